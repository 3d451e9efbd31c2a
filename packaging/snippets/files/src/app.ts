// The app factory docs/testing.md imports as '../src/app.js': `(authOptions) => express app`.
import type { EntraValidatorOptions } from '@org/entra-core';
import { entraAuth } from '@org/entra-express';
import express, { type Express } from 'express';

export function buildApp(options: EntraValidatorOptions): Express {
  return express().use(entraAuth(options));
}
