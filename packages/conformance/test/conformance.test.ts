// Every adapter, every supported major, one scenario table: the answers must match it and each other.

import express5 from 'express';
import express4 from 'express4';
import fastify5 from 'fastify';
import fastify4 from 'fastify4';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import { describeConformance } from '../src/index.js';
import { azureFunctionsTarget } from './apps/azure-functions.js';
import { expressTarget } from './apps/express.js';
import { fastifyTarget } from './apps/fastify.js';
import { fetchTarget } from './apps/fetch.js';
import { honoTarget } from './apps/hono.js';
import { koaTarget } from './apps/koa.js';
import { nestTarget } from './apps/nestjs.js';

describeConformance([
  expressTarget('express 5', express5),
  expressTarget('express 4', express4),
  koaTarget('koa 3', Koa3),
  koaTarget('koa 2', Koa2),
  fastifyTarget('fastify 5', fastify5),
  fastifyTarget('fastify 4', fastify4 as unknown as typeof fastify5),
  fetchTarget,
  honoTarget,
  azureFunctionsTarget,
  nestTarget('nestjs 11 (express)', 'express'),
  nestTarget('nestjs 11 (fastify)', 'fastify'),
]);
