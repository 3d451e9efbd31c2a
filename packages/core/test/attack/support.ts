/**
 * Tools of the attack suite, shared by the core's attack, fault and property tests and by the
 * adapters' attack tests: token surgery, signing with keys the test holds, a second loopback server
 * that must never be asked anything, the contract's error table (written out again here, so a change
 * in the core cannot quietly change what is expected), an RFC 6750 challenge checker, a leak finder
 * and a linear-time check that compares two input sizes instead of trusting absolute times.
 *
 * Nothing here imports vitest: adapters import it too.
 */
import {
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  constants as rsa,
  sign,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EntraAuthErrorCode } from '../../src/index.js';

// ---------------------------------------------------------------------------------------------
// Seeds

/** The seed of every generated input; `FC_SEED=<integer>` replays another run. */
export const FC_SEED: number = (() => {
  const parsed = Number.parseInt(process.env.FC_SEED ?? '', 10);
  return Number.isSafeInteger(parsed) ? parsed : 20261128;
})();

// ---------------------------------------------------------------------------------------------
// Token surgery

export const b64 = (value: string | Uint8Array): string => Buffer.from(value).toString('base64url');
export const unb64 = (segment: string): Buffer => Buffer.from(segment, 'base64url');
export const json64 = (value: unknown): string => b64(JSON.stringify(value));

/** The three segments of a compact JWS. */
export function segments(token: string): [string, string, string] {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error(`not a three-segment token: ${parts.length} segments`);
  return parts as [string, string, string];
}

/** The decoded header or payload of a token made by the test (throws on anything else). */
export function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(unb64(segments(token)[index]).toString('utf8')) as Record<string, unknown>;
}

/** `token` with its header or payload JSON changed and re-encoded, keeping the original signature. */
export function tamper(
  token: string,
  change: { header?: Record<string, unknown>; payload?: Record<string, unknown> },
): string {
  const [h, p, s] = segments(token);
  const header = change.header ? json64(defineAll(decodePart(token, 0), change.header)) : h;
  const payload = change.payload ? json64(defineAll(decodePart(token, 1), change.payload)) : p;
  return `${header}.${payload}.${s}`;
}

/** `base` with `over` defined on it (so `__proto__` stays an own name); `undefined` removes. */
export function defineAll(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(over)) {
    if (value === undefined) delete out[name];
    else Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** An object with an own property named `__proto__` (a literal `{ __proto__: x }` would set the prototype). */
export function withProto(value: unknown, rest: Record<string, unknown> = {}): Record<string, unknown> {
  return defineAll(rest, { ['__proto__']: value });
}

// ---------------------------------------------------------------------------------------------
// Keys the test holds

/** An RSA key pair the test signs with, and its public JWK. */
export interface TestKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly jwk: { kty: 'RSA'; n: string; e: string };
}

export function makeKey(kid: string, modulusLength = 2048): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength });
  const { n, e } = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return { kid, privateKey, publicKey, jwk: { kty: 'RSA', n, e } };
}

const HASH: Readonly<Record<string, string>> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
};

/** How the signature of {@link jws} is made, whatever the header says. */
export type Signature =
  | { rsa: 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512'; key: TestKey }
  | { hmac: 'HS256' | 'HS384' | 'HS512'; secret: string | Uint8Array }
  | { raw: Uint8Array };

/** A part of a token: an object (JSON-encoded), JSON text as written, or raw bytes. */
export type Part = Record<string, unknown> | string | Uint8Array;

function encodePart(part: Part): string {
  if (typeof part === 'string' || part instanceof Uint8Array) return b64(part);
  return json64(part);
}

/** A compact JWS over exactly these parts, signed as `signature` says. */
export function jws(header: Part, payload: Part, signature: Signature): string {
  const input = `${encodePart(header)}.${encodePart(payload)}`;
  let bytes: Uint8Array;
  if ('raw' in signature) bytes = signature.raw;
  else if ('hmac' in signature) {
    bytes = createHmac(`sha${signature.hmac.slice(2)}`, signature.secret)
      .update(input)
      .digest();
  } else {
    const pss = signature.rsa.startsWith('PS');
    bytes = sign(
      HASH[signature.rsa] as string,
      Buffer.from(input),
      pss
        ? {
            key: signature.key.privateKey,
            padding: rsa.RSA_PKCS1_PSS_PADDING,
            saltLength: rsa.RSA_PSS_SALTLEN_DIGEST,
          }
        : signature.key.privateKey,
    );
  }
  return `${input}.${b64(bytes)}`;
}

/**
 * Every serialization of an RSA public key an HMAC-confusion attacker would try as the secret:
 * SPKI and PKCS#1 PEM (with and without the final newline), DER, the JWK as JSON, `n` as text and
 * as bytes, and the certificate.
 */
export function publicKeySerializations(jwk: Record<string, unknown>): Array<[string, string | Uint8Array]> {
  const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n as string, e: jwk.e as string }, format: 'jwk' });
  const spkiPem = key.export({ type: 'spki', format: 'pem' }) as string;
  const pkcs1Pem = key.export({ type: 'pkcs1', format: 'pem' }) as string;
  const out: Array<[string, string | Uint8Array]> = [
    ['SPKI PEM with its final newline', spkiPem],
    ['SPKI PEM without the final newline', spkiPem.trimEnd()],
    ['PKCS#1 PEM', pkcs1Pem],
    ['SPKI DER', key.export({ type: 'spki', format: 'der' })],
    ['PKCS#1 DER', key.export({ type: 'pkcs1', format: 'der' })],
    ['the JWK as JSON ({kty, n, e})', JSON.stringify({ kty: 'RSA', n: jwk.n, e: jwk.e })],
    ['the published JWK as JSON', JSON.stringify(jwk)],
    ['n as base64url text', jwk.n as string],
    ['n as bytes', unb64(jwk.n as string)],
  ];
  const x5c = jwk.x5c;
  if (Array.isArray(x5c) && typeof x5c[0] === 'string') {
    out.push(['the certificate (x5c) as DER', Buffer.from(x5c[0], 'base64')]);
    out.push([
      'the certificate as PEM',
      `-----BEGIN CERTIFICATE-----\n${(x5c[0].match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`,
    ]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// A second loopback server

/** A local HTTP server that records every request it gets. */
export interface LoopbackServer {
  readonly url: string;
  readonly port: number;
  /** Paths requested so far. */
  readonly requests: string[];
  /** Connections closed by the client or the server so far. */
  closedConnections(): number;
  close(): Promise<void>;
}

export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LoopbackServer> {
  const requests: string[] = [];
  let closed = 0;
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.on('close', () => {
      closed++;
    });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    closedConnections: () => closed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A lure: answers every request with a key set holding `key`, so a fetch would make a forgery pass. */
export function startLure(key: TestKey): Promise<LoopbackServer> {
  return startServer((_req, res) => {
    const body = JSON.stringify({ keys: [{ ...key.jwk, kid: key.kid, use: 'sig', alg: 'RS256' }] });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// The contract (DESIGN.md, "Errors"), written out again

export type ChallengeKind =
  | 'bare'
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'insufficient_claims'
  | 'none';

export const CONTRACT: Readonly<Record<EntraAuthErrorCode, { status: number; challenge: ChallengeKind }>> = {
  missing_token: { status: 401, challenge: 'bare' },
  invalid_request: { status: 400, challenge: 'invalid_request' },
  malformed_token: { status: 401, challenge: 'invalid_token' },
  unsupported_algorithm: { status: 401, challenge: 'invalid_token' },
  unknown_signing_key: { status: 401, challenge: 'invalid_token' },
  invalid_signature: { status: 401, challenge: 'invalid_token' },
  token_expired: { status: 401, challenge: 'invalid_token' },
  token_not_yet_valid: { status: 401, challenge: 'invalid_token' },
  token_too_old: { status: 401, challenge: 'invalid_token' },
  invalid_issuer: { status: 401, challenge: 'invalid_token' },
  invalid_audience: { status: 401, challenge: 'invalid_token' },
  tenant_not_allowed: { status: 401, challenge: 'invalid_token' },
  unsupported_token_version: { status: 401, challenge: 'invalid_token' },
  foreign_token: { status: 401, challenge: 'invalid_token' },
  missing_permissions: { status: 403, challenge: 'insufficient_scope' },
  insufficient_scope: { status: 403, challenge: 'insufficient_scope' },
  insufficient_role: { status: 403, challenge: 'insufficient_scope' },
  client_not_allowed: { status: 403, challenge: 'insufficient_scope' },
  guest_not_allowed: { status: 403, challenge: 'insufficient_scope' },
  insufficient_claims: { status: 401, challenge: 'insufficient_claims' },
  keys_unavailable: { status: 503, challenge: 'none' },
  tenant_check_failed: { status: 503, challenge: 'none' },
  groups_unavailable: { status: 503, challenge: 'none' },
};

// RFC 6750 §3: error, error_description (and here realm, claims, authorization_uri) are quoted
// strings of %x20-21 / %x23-5B / %x5D-7E; scope is scope-tokens (%x21 / %x23-5B / %x5D-7E)
// separated by single spaces.
const QUOTED_VALUE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const SCOPE_VALUE = /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/;
const PARAM = /^([a-z_]+)="([^"\\]*)"/;
const ERRORS = new Set(['invalid_request', 'invalid_token', 'insufficient_scope', 'insufficient_claims']);

/**
 * Problems with a `WWW-Authenticate` value for a refusal of `kind` (an empty list: well-formed):
 * `Bearer` then `name="value"` pairs joined by `, `, every value within RFC 6750's characters,
 * no attribute twice, the `error` the contract names, and `realm="api"`.
 */
export function challengeProblems(value: string | undefined, kind: ChallengeKind): string[] {
  if (kind === 'none') return value === undefined ? [] : [`expected no challenge, got ${value}`];
  if (value === undefined) return ['no challenge'];
  if (kind === 'bare')
    return value === 'Bearer realm="api"' ? [] : [`expected Bearer realm="api", got ${value}`];
  const problems: string[] = [];
  if (!value.startsWith('Bearer ')) return [`does not start with "Bearer ": ${value}`];
  let rest = value.slice('Bearer '.length);
  const params = new Map<string, string>();
  for (;;) {
    const m = PARAM.exec(rest);
    if (m === null) {
      problems.push(`unparsable at: ${rest.slice(0, 40)}`);
      break;
    }
    const [whole, name, v] = m as unknown as [string, string, string];
    if (params.has(name)) problems.push(`attribute ${name} twice`);
    params.set(name, v);
    rest = rest.slice(whole.length);
    if (rest === '') break;
    if (!rest.startsWith(', ')) {
      problems.push(`attributes not separated by ", ": ${rest.slice(0, 40)}`);
      break;
    }
    rest = rest.slice(2);
  }
  for (const [name, v] of params) {
    if (name === 'scope' ? !SCOPE_VALUE.test(v) : !QUOTED_VALUE.test(v))
      problems.push(`${name} has characters RFC 6750 does not allow`);
  }
  const allowed = new Set(['realm', 'error', 'error_description', 'scope', 'authorization_uri', 'claims']);
  for (const name of params.keys()) if (!allowed.has(name)) problems.push(`unexpected attribute ${name}`);
  if (params.get('realm') !== 'api') problems.push('realm is not "api"');
  const error = params.get('error');
  if (error === undefined || !ERRORS.has(error)) problems.push(`error is ${error}`);
  else if (error !== kind) problems.push(`error is ${error}, the contract says ${kind}`);
  if (kind === 'insufficient_claims' && (!params.has('claims') || !params.has('authorization_uri')))
    problems.push('a claims challenge without claims or authorization_uri');
  return problems;
}

/** True when a message is safe for a client: no control characters, quotes or backslashes. */
export function isSafeMessage(message: string): boolean {
  return /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(message);
}

// ---------------------------------------------------------------------------------------------
// Leaks

/** The secrets found in `texts` (case-sensitive substrings). */
export function leaks(texts: readonly (string | undefined)[], secrets: readonly string[]): string[] {
  const all = texts.filter((t): t is string => t !== undefined).join('\n');
  return [...new Set(secrets)].filter((s) => s.length > 0 && all.includes(s));
}

/**
 * The parts of a token that must never be echoed: the token, each segment long enough not to occur
 * by chance in English text, and the header's `kid`, whether or not the token parses.
 */
export function tokenSecrets(token: string | undefined): string[] {
  if (token === undefined || token === '') return [];
  const out = [token];
  for (const part of token.split('.')) if (part.length >= 12) out.push(part);
  try {
    const kid = decodePart(token, 0).kid;
    if (typeof kid === 'string' && kid.length >= 4) out.push(kid);
  } catch {
    // not a JWS the test can read: the token and its segments are enough
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Linear time

/**
 * How many times longer a call on `big` takes than a call on `small`, from the fastest of several
 * rounds (noise only ever adds time). Inputs 10 times apart give about 10 for a linear algorithm and
 * about 100 for a quadratic one, whatever the machine's speed.
 */
export function timeRatio(run: (input: string) => void, small: string, big: string, rounds = 9): number {
  const perCall = (input: string, reps: number): number => {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) run(input);
    return (performance.now() - t0) / reps;
  };
  // Enough repetitions for each measurement to last well above the timer's resolution.
  const repsBig = 5;
  const repsSmall = 5 * Math.max(1, Math.round(big.length / Math.max(1, small.length)));
  perCall(small, repsSmall);
  perCall(big, repsBig);
  let bestSmall = Number.POSITIVE_INFINITY;
  let bestBig = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    bestSmall = Math.min(bestSmall, perCall(small, repsSmall));
    bestBig = Math.min(bestBig, perCall(big, repsBig));
  }
  // A floor of 1 µs per small call keeps an almost-free small input from inflating the ratio.
  return bestBig / Math.max(bestSmall, 0.001);
}

// ---------------------------------------------------------------------------------------------
// HTTP as the bytes say

/** Characters a header value can carry over HTTP/1.1 as is (HTAB, SP, VCHAR, obs-text). */
export function isTransportable(value: string): boolean {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(value);
}
