/**
 * The local issuer every benchmark runs against, and the tokens it mints beforehand. One kit is
 * started by the orchestrator; child processes (servers, the micro and memory runs) get its
 * addresses and the minted tokens through a context file, and fetch keys from it over loopback.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { EntraValidatorOptions } from '@org/entra-core';
import type { MockEntra } from '@org/entra-testing';
import type { KeyStore } from './file-store.js';

/** The core's documented default size of its verified-token cache (`tokenCache: { max: 5000 }`). */
export const CORE_TOKEN_CACHE_MAX = 5000;

/** Where the kit answers and what its tokens say. */
export interface KitInfo {
  readonly authority: string;
  readonly tenantId: string;
  /** The API's client id: `aud` of v2 tokens. */
  readonly clientId: string;
  /** The v2 issuer. */
  readonly issuer: string;
  readonly discoveryUrl: string;
  readonly jwksUri: string;
}

/** Tokens minted beforehand, each distinct (the kit puts random `uti`, `aio`, `rh` in every one). */
export interface TokenSets {
  /** Valid v2 delegated tokens. */
  readonly valid: readonly string[];
  /** 100 more valid tokens, apart from `valid`: the pool that clients reuse. */
  readonly reused: readonly string[];
  /** Valid signatures, expired an hour ago (beyond the 5 minutes of tolerance). */
  readonly expired: readonly string[];
  /** Valid signatures, for another audience. */
  readonly wrongAudience: readonly string[];
  /** The kid of a published key over a signature by a key that is never published. */
  readonly badSignature: readonly string[];
}

export interface BenchContext {
  readonly kit: KitInfo;
  readonly tokens: TokenSets;
}

export function kitInfo(entra: MockEntra): KitInfo {
  const base = `${entra.authority}/${entra.tenantId}`;
  return {
    authority: entra.authority,
    tenantId: entra.tenantId,
    clientId: entra.clientId,
    issuer: entra.issuer,
    discoveryUrl: `${base}/v2.0/.well-known/openid-configuration`,
    jwksUri: `${base}/discovery/v2.0/keys`,
  };
}

/**
 * Options for `createEntraValidator` pointing at the kit, as `entra.validatorOptions()` gives.
 * `keyStore` is typed here until the core's options declare it.
 */
export function validatorOptions(
  kit: KitInfo,
  // Any option, checked by the core at start-up (BENCH_OURS_OPTIONS is JSON from the environment).
  extra: Readonly<Record<string, unknown>> & { keyStore?: KeyStore } = {},
): EntraValidatorOptions {
  return {
    tenantId: kit.tenantId,
    clientId: kit.clientId,
    authority: kit.authority,
    ...extra,
  } as EntraValidatorOptions;
}

/** Mints `count` tokens; RSA signing takes about a millisecond each here. */
export function mint(
  entra: MockEntra,
  count: number,
  claims: Record<string, unknown> = {},
  options: Parameters<MockEntra['createToken']>[1] = {},
): string[] {
  const out: string[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = entra.createToken(claims, options);
  return out;
}

export interface MintCounts {
  valid: number;
  rejected: number;
}

/** Every token set the suite uses. */
export function mintTokenSets(entra: MockEntra, counts: MintCounts): TokenSets {
  return {
    valid: mint(entra, counts.valid),
    reused: mint(entra, 100),
    expired: mint(entra, counts.rejected, {}, { issuedAt: -7200, expiresIn: 3600 }),
    wrongAudience: mint(entra, counts.rejected, { aud: 'api://00000000-0000-0000-0000-00000000beef' }),
    badSignature: mint(entra, counts.rejected, {}, { signWith: 'unpublished', kid: entra.currentKid }),
  };
}

/**
 * A flat copy of `s`. Strings built by concatenation are "cons" strings in V8, slower to scan than
 * the flat strings an HTTP parser produces; header values in the benchmarks are made flat.
 */
export function flatString(s: string): string {
  return Buffer.from(s, 'latin1').toString('latin1');
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function randomText(length: number, seed: number): string {
  let s = seed >>> 0 || 1;
  let out = '';
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out += ALPHABET[(s >>> 0) % 64];
  }
  return out;
}

/**
 * Distinct malformed inputs of a real token's size, in four shapes that clients and scanners send:
 * no dots at all, two segments, a header that is not base64url JSON, and a payload with a character
 * outside base64url. Cheap to make: no signing.
 */
export function malformedTokens(template: string, count: number): string[] {
  const [header = '', payload = '', signature = ''] = template.split('.');
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const noise = randomText(24, i + 1);
    switch (i % 4) {
      case 0:
        out.push(randomText(template.length, i + 7));
        break;
      case 1:
        out.push(`${header}.${noise}${payload.slice(24)}`);
        break;
      case 2:
        out.push(`${noise}${header.slice(24)}!.${payload}.${signature}`);
        break;
      default: {
        const at = 100 + (i % 200);
        out.push(`${header}.${payload.slice(0, at)}*${payload.slice(at + 1)}${noise}.${signature}`);
      }
    }
  }
  return out;
}

export function writeContext(path: string, context: BenchContext): void {
  writeFileSync(path, JSON.stringify(context));
}

export function readContext(path: string): BenchContext {
  return JSON.parse(readFileSync(path, 'utf8')) as BenchContext;
}
