/** Small fetch helpers shared by the test files: every request goes to the kit's real server. */
import { expect } from 'vitest';
import type { MockEntra } from '../src/index.js';

/** GETs a path of the kit and returns the parsed JSON body, requiring a 200. */
export async function getJson(entra: MockEntra, path: string): Promise<Record<string, any>> {
  const response = await fetch(`${entra.authority}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, any>;
}

export const v2DiscoveryPath = (tenant: string) => `/${tenant}/v2.0/.well-known/openid-configuration`;
export const v1DiscoveryPath = (tenant: string) => `/${tenant}/.well-known/openid-configuration`;
export const v2KeysPath = (tenant: string) => `/${tenant}/discovery/v2.0/keys`;
export const v1KeysPath = (tenant: string) => `/${tenant}/discovery/keys`;

/** The header and payload of a compact JWT, decoded without verification. */
export function decode(token: string): { header: Record<string, any>; payload: Record<string, any> } {
  const [header, payload] = token.split('.') as [string, string];
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()),
  };
}

export const CONSUMERS = '9188040d-6c67-4c5b-b112-36a304b66dad';
export const OTHER_TENANT = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
