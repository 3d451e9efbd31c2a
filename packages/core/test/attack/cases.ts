/**
 * The attack table: one row per attack, each with the exact code and status the contract gives it.
 * The core's attack test runs every row through `authenticate()` (and `verify()`); the adapters' attack
 * tests send the same rows over real HTTP. Rows are grouped: transport (the Authorization header),
 * parsing (segments, base64url, UTF-8, JSON, claim types, prototype tricks), crypto and header
 * (algorithms, embedded keys, kids, signatures), Entra (issuers, tenants, audiences, foreign tokens,
 * permissions) and errors (attacker text everywhere a message could echo it).
 *
 * Nothing here imports vitest.
 */
import type { CreateTokenOptions, MockEntra } from '@org/entra-testing';
import type { EntraAuthErrorCode } from '../../src/index.js';
import {
  b64,
  decodePart,
  json64,
  jws,
  type LoopbackServer,
  makeKey,
  type Part,
  publicKeySerializations,
  segments,
  startLure,
  type TestKey,
  tamper,
  unb64,
  withProto,
} from './support.js';

export const OTHER_TENANT = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
export const THIRD_TENANT = '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f';
export const CONSUMERS = '9188040d-6c67-4c5b-b112-36a304b66dad';
export const SIGNER_KID = 'attack-suite-signer';
export const ATTACKER_KID = 'attacker-key-1';

export type AttackGroup = 'transport' | 'parsing' | 'crypto and header' | 'Entra' | 'errors';

/** What the route requires after authentication (the core's helpers, or an adapter's guards). */
export type Guard =
  | { scopes: string[]; match?: 'all' | 'any' }
  | { roles: string[]; match?: 'all' | 'any' }
  | { scopeOrRole: { scopes?: string[]; roles?: string[] } }
  | { caller: 'app' | 'user' }
  | { authContext: string };

export interface AttackCase {
  readonly group: AttackGroup;
  readonly name: string;
  /**
   * The JWT. The core verifies it with `verify()` and, when it is a b64token, also as
   * `Authorization: Bearer <token>`; adapters send the header.
   */
  readonly token?: (ctx: AttackContext) => string;
  /** Or the Authorization header value (a list: that many headers; `undefined`: none). */
  readonly authorization?: (ctx: AttackContext) => string | string[] | undefined;
  /** Validator options over the kit's (`tenantId`, `clientId`, `authority`). */
  readonly options?: (ctx: AttackContext) => Record<string, unknown>;
  readonly guard?: Guard;
  readonly code: EntraAuthErrorCode | 'ok';
  readonly status: number;
  /** Attacker-chosen text of this row that no answer may contain. */
  readonly secrets?: readonly string[];
  /** Why this row is checked in the core only (it cannot travel over HTTP, or no adapter has the guard). */
  readonly coreOnly?: string;
}

/** A row before its group is set. */
type Row = Omit<AttackCase, 'group'>;

/** Everything the rows are built from: the kit, keys the test holds, and a lure server. */
export interface AttackContext {
  readonly entra: MockEntra;
  /** Published by the kit as a raw JWK (no `issuer`): tokens it signs are valid, whatever their bytes. */
  readonly signer: TestKey;
  /** Never published anywhere but the lure. */
  readonly attacker: TestKey;
  /** A kit key whose JWKS `issuer` names OTHER_TENANT. */
  readonly otherTenantKid: string;
  /** A 1024-bit kit key (published, below the 2048-bit minimum). */
  readonly weakKid: string;
  /** A kit key published with `use: 'enc'`. */
  readonly encKid: string;
  /** The current kit key as published (n, e, x5c...). */
  readonly currentJwk: Record<string, unknown>;
  /** A second loopback server that must never see a request (jku, x5u, kid URLs point at it). */
  readonly lure: LoopbackServer;
  /** The payload of a fresh, valid kit token, with changes (`undefined` removes a claim). */
  claims(changes?: Record<string, unknown>, options?: CreateTokenOptions): Record<string, unknown>;
  /** A token signed by the signer: header `{typ, alg: RS256, kid: SIGNER_KID}` unless given whole. */
  signed(payload: Part, header?: Part): string;
  close(): Promise<void>;
}

/**
 * Sets up the kit for the table: publishes the signer (and the same key under the kid `__proto__`),
 * adds a key scoped to another tenant, a weak key and an encryption key, and starts the lure.
 * Call before any validator fetches keys.
 */
export async function prepareAttackContext(entra: MockEntra): Promise<AttackContext> {
  const signer = makeKey(SIGNER_KID);
  const attacker = makeKey(ATTACKER_KID);
  entra.addRawJwk({ ...signer.jwk, use: 'sig', kid: SIGNER_KID });
  entra.addRawJwk({ ...signer.jwk, use: 'sig', kid: '__proto__' });
  const [otherTenantKid, weakKid, encKid] = [
    await entra.addKey({ issuer: entra.issuerFor(OTHER_TENANT) }),
    await entra.addKey({ modulusLength: 1024 }),
    await entra.addKey({ use: 'enc' }),
  ];
  const lure = await startLure(attacker);
  const currentJwk = entra.jwks().keys.find((k) => k.kid === entra.currentKid);
  if (currentJwk === undefined) throw new Error('the kit does not publish its current key');
  const ctx: AttackContext = {
    entra,
    signer,
    attacker,
    otherTenantKid,
    weakKid,
    encKid,
    currentJwk,
    lure,
    claims: (changes = {}, options = {}) => decodePart(entra.createToken(changes, options), 1),
    signed: (payload, header = {}) =>
      jws(
        typeof header === 'string' || header instanceof Uint8Array
          ? header
          : { typ: 'JWT', alg: 'RS256', kid: SIGNER_KID, ...header },
        payload,
        { rsa: 'RS256', key: signer },
      ),
    close: () => lure.close(),
  };
  return ctx;
}

// ---------------------------------------------------------------------------------------------
// Small builders

const valid = (c: AttackContext): string => c.entra.createToken();
const forged = (c: AttackContext, claims: Record<string, unknown> = {}, options: CreateTokenOptions = {}) =>
  // Everything right but the signature: the kit's token re-signed by the attacker under the real kid.
  attackerSigned(c, c.claims(claims, options), { kid: c.entra.currentKid });
function attackerSigned(c: AttackContext, payload: Part, header: Record<string, unknown> = {}): string {
  return jws({ typ: 'JWT', alg: 'RS256', kid: ATTACKER_KID, ...header }, payload, {
    rsa: 'RS256',
    key: c.attacker,
  });
}
/** The kit token with its JSON payload text rewritten (then signed by the signer). */
const rawPayload = (c: AttackContext, edit: (json: string) => string, claims: Record<string, unknown> = {}) =>
  c.signed(edit(JSON.stringify(c.claims(claims))));
/** Valid JSON payload bytes with `bytes` inserted into the `name` claim's string value. */
function bytesInClaim(c: AttackContext, bytes: number[]): string {
  const text = JSON.stringify(c.claims({ name: 'SPLIT' }));
  const [before, after] = text.split('SPLIT') as [string, string];
  return c.signed(Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]));
}
const multi =
  (extra: Record<string, unknown> = {}) =>
  () => ({
    tenantId: 'organizations',
    allowAnyTenant: true,
    ...extra,
  });
const SPACES = ' '.repeat(100_000);
const MIB = 1 << 20;

/** A payload segment whose length is 2 or 3 mod 4, so its last character has unused bits. */
function tokenWithPartialPayload(c: AttackContext): string {
  for (let pad = 0; pad < 8; pad++) {
    const token = c.entra.createToken({ pad: 'x'.repeat(pad) });
    if (segments(token)[1].length % 4 >= 2) return token;
  }
  throw new Error('no payload length worked');
}
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The same bytes, spelled with non-zero unused bits in the last character. */
function nonCanonical(segment: string): string {
  const last = ALPHABET.indexOf(segment.at(-1) as string);
  return `${segment.slice(0, -1)}${ALPHABET[last | 1]}`;
}

// ---------------------------------------------------------------------------------------------
// The table

const transport: Row[] = [
  { name: 'no Authorization header', authorization: () => undefined, code: 'missing_token', status: 401 },
  { name: 'an empty header', authorization: () => '', code: 'missing_token', status: 401 },
  { name: 'only spaces and tabs', authorization: () => ' \t  \t', code: 'missing_token', status: 401 },
  { name: 'no header at all (an empty list)', authorization: () => [], code: 'missing_token', status: 401 },
  {
    name: 'Basic credentials',
    authorization: () => 'Basic dXNlcjpwYXNz',
    code: 'missing_token',
    status: 401,
  },
  {
    name: 'a valid token under the Basic scheme',
    authorization: (c) => `Basic ${valid(c)}`,
    code: 'missing_token',
    status: 401,
  },
  {
    name: 'a valid token under another scheme (Token)',
    authorization: (c) => `Token ${valid(c)}`,
    code: 'missing_token',
    status: 401,
  },
  {
    name: 'a valid token under DPoP',
    authorization: (c) => `DPoP ${valid(c)}`,
    code: 'missing_token',
    status: 401,
  },
  {
    name: 'the scheme glued to the token',
    authorization: (c) => `Bearer${valid(c)}`,
    code: 'missing_token',
    status: 401,
  },
  {
    name: 'a tab between scheme and token (RFC 7235 wants SP)',
    authorization: (c) => `Bearer\t${valid(c)}`,
    code: 'missing_token',
    status: 401,
  },
  {
    name: 'a no-break space between scheme and token',
    authorization: (c) => `Bearer\u00a0${valid(c)}`,
    code: 'missing_token',
    status: 401,
  },
  {
    name: 'a fullwidth Bearer',
    authorization: (c) => `\uff22earer ${valid(c)}`,
    code: 'missing_token',
    status: 401,
    coreOnly: 'a character above U+00FF cannot be sent in an HTTP header',
  },
  {
    name: 'lower-case bearer (the scheme is case-insensitive)',
    authorization: bearerAs('bearer'),
    code: 'ok',
    status: 200,
  },
  { name: 'upper-case BEARER', authorization: bearerAs('BEARER'), code: 'ok', status: 200 },
  { name: 'mixed-case bEaReR', authorization: bearerAs('bEaReR'), code: 'ok', status: 200 },
  {
    name: 'several spaces after the scheme',
    authorization: (c) => `Bearer    ${valid(c)}`,
    code: 'ok',
    status: 200,
  },
  {
    name: 'surrounding tabs and spaces',
    authorization: (c) => `\t Bearer ${valid(c)} \t`,
    code: 'ok',
    status: 200,
  },
  { name: 'Bearer and no token', authorization: () => 'Bearer', code: 'invalid_request', status: 400 },
  { name: 'Bearer and spaces', authorization: () => 'Bearer     ', code: 'invalid_request', status: 400 },
  {
    name: 'a space inside the token',
    authorization: (c) => {
      const [h, p, s] = segments(valid(c));
      return `Bearer ${h}.${p} .${s}`;
    },
    code: 'invalid_request',
    status: 400,
  },
  {
    name: 'the token in double quotes',
    authorization: (c) => `Bearer "${valid(c)}"`,
    code: 'invalid_request',
    status: 400,
  },
  {
    name: 'the token in single quotes',
    authorization: (c) => `Bearer '${valid(c)}'`,
    code: 'invalid_request',
    status: 400,
  },
  {
    name: 'a comma after the token',
    authorization: (c) => `Bearer ${valid(c)},`,
    code: 'invalid_request',
    status: 400,
  },
  {
    name: 'two credentials in one header, comma-separated',
    authorization: (c) => `Bearer ${valid(c)},Bearer ${valid(c)}`,
    code: 'invalid_request',
    status: 400,
  },
  {
    name: 'two credentials in one header, comma and space',
    authorization: (c) => `Bearer ${valid(c)}, Bearer ${valid(c)}`,
    code: 'invalid_request',
    status: 400,
  },
  {
    name: 'two Authorization headers, both valid',
    authorization: (c) => [`Bearer ${valid(c)}`, `Bearer ${valid(c)}`],
    code: 'invalid_request',
    status: 400,
  },
  {
    name: 'two Authorization headers, the second forged',
    authorization: (c) => [`Bearer ${valid(c)}`, `Bearer ${forged(c, { scp: 'Orders.Admin' })}`],
    code: 'invalid_request',
    status: 400,
  },
  {
    name: 'auth-params instead of a token',
    authorization: () => 'Bearer realm="api", error="x"',
    code: 'invalid_request',
    status: 400,
  },
  {
    name: 'a NUL character after the token',
    authorization: (c) => `Bearer ${valid(c)}\u0000`,
    code: 'invalid_request',
    status: 400,
    coreOnly: 'NUL cannot be sent in an HTTP header',
  },
  {
    name: 'CR LF and a second header line (header injection)',
    authorization: (c) => `Bearer ${valid(c)}\r\nX-Injected: 1`,
    code: 'invalid_request',
    status: 400,
    coreOnly: 'CR LF ends the header line on the wire',
  },
  {
    name: 'a DEL character in the token',
    authorization: (c) => `Bearer ${valid(c).slice(0, 20)}\u007f${valid(c).slice(20)}`,
    code: 'invalid_request',
    status: 400,
    coreOnly: 'DEL is refused by HTTP parsers',
  },
  {
    name: 'a vertical tab after the scheme',
    authorization: (c) => `Bearer \u000b${valid(c)}`,
    code: 'invalid_request',
    status: 400,
    coreOnly: 'control characters are refused by HTTP parsers',
  },
  {
    name: 'a Latin-1 letter inside the token',
    authorization: (c) => `Bearer ${valid(c).slice(0, 30)}\u00e9${valid(c).slice(30)}`,
    code: 'invalid_request',
    status: 400,
  },
  {
    name: 'an emoji inside the token',
    authorization: (c) => `Bearer ${valid(c).slice(0, 30)}\u{1f511}${valid(c).slice(30)}`,
    code: 'invalid_request',
    status: 400,
    coreOnly: 'a character above U+00FF cannot be sent in an HTTP header',
  },
  {
    name: 'padding in the middle of the token',
    authorization: (c) => {
      const [h, p, s] = segments(valid(c));
      return `Bearer ${h}=.${p}.${s}`;
    },
    code: 'invalid_request',
    status: 400,
  },
  {
    name: 'a 1 MiB header',
    authorization: () => `Bearer ${'a'.repeat(MIB)}`,
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'a 1 MiB header without a scheme',
    authorization: () => 'a'.repeat(MIB),
    code: 'missing_token',
    status: 401,
  },
  {
    name: '100k spaces around the scheme and a valid token',
    authorization: (c) => `${SPACES}Bearer${SPACES}${valid(c)}${SPACES}`,
    code: 'ok',
    status: 200,
  },
  {
    name: '100k spaces inside the token',
    authorization: () => `Bearer x${SPACES}y`,
    code: 'malformed_token',
    status: 401,
  },
  { name: '100k spaces and nothing else', authorization: () => SPACES, code: 'missing_token', status: 401 },
  {
    name: 'a token one character over maxTokenLength',
    authorization: () => `Bearer ${'a'.repeat(16385)}`,
    code: 'malformed_token',
    status: 401,
  },
];

function bearerAs(scheme: string) {
  return (c: AttackContext) => `${scheme} ${valid(c)}`;
}

const NESTED_DEPTH = 4000;
const parsing: Row[] = [
  { name: 'one segment', token: () => 'eyJhbGciOiJSUzI1NiJ9', code: 'malformed_token', status: 401 },
  {
    name: 'two segments',
    token: (c) => segments(valid(c)).slice(0, 2).join('.'),
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'four segments',
    token: (c) => `${valid(c)}.${segments(valid(c))[2]}`,
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'a JWE (five segments)',
    token: (c) =>
      [
        json64({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: c.entra.currentKid }),
        b64(Buffer.alloc(256, 7)),
        b64(Buffer.alloc(12, 1)),
        b64(Buffer.from(JSON.stringify(c.claims()))),
        b64(Buffer.alloc(16, 2)),
      ].join('.'),
    code: 'malformed_token',
    status: 401,
  },
  { name: 'only dots', token: () => '..', code: 'malformed_token', status: 401 },
  {
    name: 'an empty signature',
    token: (c) => `${segments(valid(c)).slice(0, 2).join('.')}.`,
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'an empty header',
    token: (c) => `.${segments(valid(c)).slice(1).join('.')}`,
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'an empty payload',
    token: (c) => {
      const [h, , s] = segments(valid(c));
      return `${h}..${s}`;
    },
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'padding after the signature',
    token: (c) => `${valid(c)}==`,
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'padding after the header',
    token: (c) => {
      const [h, p, s] = segments(valid(c));
      return `${h}=.${p}.${s}`;
    },
    code: 'malformed_token',
    status: 401,
  },
  {
    name: '+ in the signature',
    token: (c) => {
      const [h, p, s] = segments(valid(c));
      return `${h}.${p}.+${s.slice(1)}`;
    },
    code: 'malformed_token',
    status: 401,
  },
  {
    name: '/ in the signature',
    token: (c) => {
      const [h, p, s] = segments(valid(c));
      return `${h}.${p}./${s.slice(1)}`;
    },
    code: 'malformed_token',
    status: 401,
  },
  {
    name: '~ in the payload',
    token: (c) => {
      const [h, p, s] = segments(valid(c));
      return `${h}.~${p.slice(1)}.${s}`;
    },
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'the signature in standard base64 with padding (same bytes)',
    token: (c) => {
      const [h, p, s] = segments(valid(c));
      return `${h}.${p}.${unb64(s).toString('base64')}`;
    },
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'non-canonical base64url: unused bits set in the signature (same bytes)',
    token: (c) => {
      const [h, p, s] = segments(valid(c));
      return `${h}.${p}.${nonCanonical(s)}`;
    },
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'non-canonical base64url: unused bits set in the payload (same bytes)',
    token: (c) => {
      const [h, p, s] = segments(tokenWithPartialPayload(c));
      return `${h}.${nonCanonical(p)}.${s}`;
    },
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'a segment whose length is 1 mod 4',
    token: (c) => {
      const [h, p, s] = segments(valid(c));
      return `${h}.${p}.${s}${'A'.repeat((((1 - s.length) % 4) + 4) % 4)}`;
    },
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'a space inside the payload',
    token: (c) => {
      const [h, p, s] = segments(valid(c));
      return `${h}.${p.slice(0, 8)} ${p.slice(8)}.${s}`;
    },
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'a line feed inside the signature',
    token: (c) => {
      const [h, p, s] = segments(valid(c));
      return `${h}.${p}.${s.slice(0, 64)}\n${s.slice(64)}`;
    },
    code: 'malformed_token',
    status: 401,
  },
  {
    name: '! inside the payload',
    token: (c) => {
      const [h, p, s] = segments(valid(c));
      return `${h}.${p.slice(0, 8)}!${p.slice(9)}.${s}`;
    },
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'a non-ASCII letter inside the header',
    token: (c) => {
      const [h, p, s] = segments(valid(c));
      return `${h.slice(0, 5)}\u00e9${h.slice(6)}.${p}.${s}`;
    },
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'invalid UTF-8 in the payload (0xFF)',
    token: (c) => bytesInClaim(c, [0xff]),
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'an overlong UTF-8 encoding of / (C0 AF)',
    token: (c) => bytesInClaim(c, [0xc0, 0xaf]),
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'a UTF-8-encoded lone surrogate (ED A0 80)',
    token: (c) => bytesInClaim(c, [0xed, 0xa0, 0x80]),
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'a truncated UTF-8 sequence (E2 82)',
    token: (c) => bytesInClaim(c, [0xe2, 0x82]),
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'invalid UTF-8 in the header',
    token: (c) =>
      c.signed(
        c.claims(),
        Buffer.concat([
          Buffer.from(`{"typ":"JWT","alg":"RS256","kid":"${SIGNER_KID}","x":"`),
          Buffer.from([0xfe]),
          Buffer.from('"}'),
        ]),
      ),
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'a byte-order mark before the payload JSON',
    token: (c) => c.signed(`\ufeff${JSON.stringify(c.claims())}`),
    code: 'malformed_token',
    status: 401,
  },
  ...(['null', '[]', '"x"', '1', 'true'] as const).map(
    (text): Row => ({
      name: `a payload that is JSON ${text}`,
      token: (c) => c.signed(text),
      code: 'malformed_token',
      status: 401,
    }),
  ),
  {
    name: 'a header that is a JSON array',
    token: (c) => c.signed(c.claims(), `[{"typ":"JWT","alg":"RS256","kid":"${SIGNER_KID}"}]`),
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'a payload with text after the JSON',
    token: (c) => rawPayload(c, (t) => `${t}x`),
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'a payload that is not JSON',
    token: (c) => c.signed('aud=api://x&scp=Orders.Admin'),
    code: 'malformed_token',
    status: 401,
  },
  // Claims of the wrong type
  ...(
    [
      ['exp as a string', { exp: '9999999999' }, 'malformed_token'],
      ['exp null', { exp: null }, 'malformed_token'],
      ['exp as an array', { exp: [9999999999] }, 'malformed_token'],
      ['exp true', { exp: true }, 'malformed_token'],
      ['no exp', { exp: undefined }, 'malformed_token'],
      ['nbf as a string', { nbf: 'now' }, 'malformed_token'],
      ['iat as a string', { iat: '0' }, 'malformed_token'],
      ['iat null', { iat: null }, 'malformed_token'],
      ['iss as an array', { iss: ['ISSUER'] }, 'invalid_issuer'],
      ['iss as a number', { iss: 1 }, 'invalid_issuer'],
      ['iss null', { iss: null }, 'invalid_issuer'],
      ['iss as an object', { iss: { href: 'ISSUER' } }, 'invalid_issuer'],
      ['aud []', { aud: [] }, 'invalid_audience'],
      ['aud as a number', { aud: 42 }, 'invalid_audience'],
      ['aud [42]', { aud: [42] }, 'invalid_audience'],
      ['aud [the API, 1]', { aud: ['AUDIENCE', 1] }, 'invalid_audience'],
      ['aud as an object', { aud: { AUDIENCE: true } }, 'invalid_audience'],
      ['aud null', { aud: null }, 'invalid_audience'],
      ['scp as an array', { scp: ['access_as_user'] }, 'malformed_token'],
      ['scp as a number', { scp: 1 }, 'malformed_token'],
      ['scp null', { scp: null }, 'malformed_token'],
      ['roles as a string', { roles: 'Orders.Admin' }, 'malformed_token'],
      ['roles [1]', { roles: [1] }, 'malformed_token'],
      ['roles as an object', { roles: { 0: 'Orders.Admin' } }, 'malformed_token'],
      ['roles null', { roles: null }, 'malformed_token'],
      ['ver as a number', { ver: 2 }, 'unsupported_token_version'],
      ['ver "2"', { ver: '2' }, 'unsupported_token_version'],
      ['ver "2.0 "', { ver: '2.0 ' }, 'unsupported_token_version'],
      ['ver ["2.0"]', { ver: ['2.0'] }, 'unsupported_token_version'],
      ['no ver', { ver: undefined }, 'unsupported_token_version'],
    ] as const
  ).map(
    ([name, claims, code]): Row => ({
      name,
      token: (c) => {
        const fill = (v: unknown): unknown =>
          v === 'ISSUER'
            ? c.entra.issuer
            : v === 'AUDIENCE'
              ? c.entra.clientId
              : Array.isArray(v)
                ? v.map(fill)
                : typeof v === 'object' && v !== null
                  ? Object.fromEntries(Object.entries(v).map(([k, x]) => [fill(k) as string, fill(x)]))
                  : v;
        return c.entra.createToken(fill(claims) as Record<string, unknown>);
      },
      code,
      status: 401,
    }),
  ),
  {
    name: 'exp 1e400 (Infinity once parsed)',
    token: (c) => rawPayload(c, (t) => t.replace(/"exp":\d+/, '"exp":1e400')),
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'exp -1e400',
    token: (c) => rawPayload(c, (t) => t.replace(/"exp":\d+/, '"exp":-1e400')),
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'nbf 1e400',
    token: (c) => rawPayload(c, (t) => t.replace(/"nbf":\d+/, '"nbf":1e400')),
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'a duplicate aud: the last one counts (RFC 7519 §4), here the API',
    token: (c) => rawPayload(c, (t) => `{"aud":"api://attacker-first",${t.slice(1)}`),
    code: 'ok',
    status: 200,
  },
  {
    name: 'a duplicate aud: the last one counts, here another API',
    token: (c) => rawPayload(c, (t) => `${t.slice(0, -1)},"aud":"api://attacker-last"}`),
    code: 'invalid_audience',
    status: 401,
    secrets: ['attacker-last'],
  },
  {
    name: 'a duplicate alg in the header: none, then RS256 (the last counts)',
    token: (c) => c.signed(c.claims(), `{"typ":"JWT","alg":"none","alg":"RS256","kid":"${SIGNER_KID}"}`),
    code: 'ok',
    status: 200,
  },
  {
    name: 'a duplicate alg in the header: RS256, then none',
    token: (c) => c.signed(c.claims(), `{"typ":"JWT","alg":"RS256","alg":"none","kid":"${SIGNER_KID}"}`),
    code: 'unsupported_algorithm',
    status: 401,
  },
  {
    name: `a claim nested ${NESTED_DEPTH} arrays deep, within the size cap`,
    token: (c) =>
      rawPayload(
        c,
        (t) => `${t.slice(0, -1)},"deep":${'['.repeat(NESTED_DEPTH)}${']'.repeat(NESTED_DEPTH)}}`,
      ),
    code: 'ok',
    status: 200,
  },
  {
    name: 'a claim nested 1500 objects deep',
    token: (c) =>
      rawPayload(c, (t) => `${t.slice(0, -1)},"deep":${'{"a":'.repeat(1500)}1${'}'.repeat(1500)}}`),
    code: 'ok',
    status: 200,
  },
  {
    name: 'an 11 KB claim, within the size cap',
    token: (c) => c.entra.createToken({ huge: 'x'.repeat(11_000) }),
    code: 'ok',
    status: 200,
  },
  {
    name: '1000 extra claims',
    token: (c) =>
      c.entra.createToken(Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`c${i}`, 0]))),
    code: 'ok',
    status: 200,
  },
  {
    name: 'a signed token over maxTokenLength',
    token: (c) => c.entra.createToken({ huge: 'x'.repeat(13_000) }),
    code: 'malformed_token',
    status: 401,
  },
  // Prototype tricks
  {
    name: '__proto__ in the payload grants no scope or role (no permissions left)',
    token: (c) =>
      c.entra.createToken(withProto({ scp: 'Orders.Read', roles: ['Orders.Admin'] }, { scp: undefined })),
    code: 'missing_permissions',
    status: 403,
  },
  {
    name: '__proto__ in the payload grants no role',
    token: (c) => c.entra.createToken(withProto({ roles: ['Orders.Admin'] })),
    guard: { roles: ['Orders.Admin'] },
    code: 'insufficient_role',
    status: 403,
  },
  {
    name: '__proto__ in the payload supplies no exp',
    token: (c) => c.entra.createToken(withProto({ exp: 9999999999 }, { exp: undefined })),
    code: 'malformed_token',
    status: 401,
  },
  {
    name: '__proto__ in the payload supplies no audience',
    token: (c) => c.entra.createToken(withProto({ aud: c.entra.clientId }, { aud: undefined })),
    code: 'invalid_audience',
    status: 401,
  },
  {
    name: 'constructor.prototype in the payload pollutes nothing',
    token: (c) =>
      c.entra.createToken({ constructor: { prototype: { polluted: 'yes', scp: 'Orders.Admin' } } }),
    code: 'ok',
    status: 200,
  },
  {
    name: '__proto__ in the payload with an acrs claim satisfies no authentication context',
    token: (c) => c.entra.createToken(withProto({ acrs: ['c1'], xms_cc: ['cp1'] })),
    guard: { authContext: 'c1' },
    code: 'insufficient_scope',
    status: 403,
    coreOnly: 'the adapters have no authentication-context guard',
  },
  {
    name: '__proto__ in the header supplies no alg',
    token: (c) => c.entra.createToken({}, { header: withProto({ alg: 'RS256' }, { alg: undefined }) }),
    code: 'malformed_token',
    status: 401,
  },
  {
    name: '__proto__ in the header supplies no kid',
    token: (c) =>
      c.entra.createToken({}, { header: withProto({ kid: c.entra.currentKid }, { kid: undefined }) }),
    code: 'malformed_token',
    status: 401,
  },
  {
    name: '__proto__ in the header with crit and alg none inside is ignored',
    token: (c) => c.entra.createToken({}, { header: withProto({ alg: 'none', crit: ['exp'] }) }),
    code: 'ok',
    status: 200,
  },
  {
    name: 'constructor in the header is ignored',
    token: (c) => c.entra.createToken({}, { header: { constructor: { prototype: { alg: 'none' } } } }),
    code: 'ok',
    status: 200,
  },
  {
    name: 'a published key whose kid is __proto__',
    token: (c) => c.signed(c.claims(), { kid: '__proto__' }),
    code: 'ok',
    status: 200,
  },
  {
    name: 'kid __proto__ with another key’s signature',
    token: (c) => attackerSigned(c, c.claims(), { kid: '__proto__' }),
    code: 'invalid_signature',
    status: 401,
  },
  ...(['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'] as const).map(
    (kid): Row => ({
      name: `kid ${kid}`,
      token: (c) => c.entra.createToken({}, { kid }),
      code: 'unknown_signing_key',
      status: 401,
    }),
  ),
];

// The serializations are computed from the kit's key at run time; their names are fixed here so the
// table can be built before the kit exists (publicKeySerializations returns them in this order).
const SERIALIZATION_NAMES: readonly string[] = [
  'SPKI PEM with its final newline',
  'SPKI PEM without the final newline',
  'PKCS#1 PEM',
  'SPKI DER',
  'PKCS#1 DER',
  'the JWK as JSON ({kty, n, e})',
  'the published JWK as JSON',
  'n as base64url text',
  'n as bytes',
  'the certificate (x5c) as DER',
  'the certificate as PEM',
];

const NONE_SPELLINGS = ['none', 'None', 'NONE', 'nOnE'];
const crypto: Row[] = [
  ...NONE_SPELLINGS.map(
    (alg): Row => ({
      name: `alg ${alg}, with a signature`,
      token: (c) => c.entra.createToken({}, { header: { alg } }),
      code: 'unsupported_algorithm',
      status: 401,
    }),
  ),
  ...NONE_SPELLINGS.map(
    (alg): Row => ({
      name: `alg ${alg}, without a signature`,
      token: (c) =>
        `${segments(c.entra.createToken({}, { header: { alg } }))
          .slice(0, 2)
          .join('.')}.`,
      code: 'unsupported_algorithm',
      status: 401,
    }),
  ),
  ...(['HS256', 'HS384', 'HS512'] as const).flatMap((alg) =>
    SERIALIZATION_NAMES.map(
      (serialization, index): Row => ({
        name: `${alg} signed with the RSA public key: ${serialization}`,
        token: (c) => {
          const secret = publicKeySerializations(c.currentJwk)[index]?.[1];
          if (secret === undefined) throw new Error(`no serialization ${serialization}`);
          return jws({ typ: 'JWT', alg, kid: c.entra.currentKid }, c.claims(), { hmac: alg, secret });
        },
        code: 'unsupported_algorithm',
        status: 401,
      }),
    ),
  ),
  {
    name: 'HS256 with the PEM key on a validator allowing RS256, RS384 and RS512',
    token: (c) => {
      const secret = publicKeySerializations(c.currentJwk)[0]?.[1] as string;
      return jws({ typ: 'JWT', alg: 'HS256', kid: c.entra.currentKid }, c.claims(), {
        hmac: 'HS256',
        secret,
      });
    },
    options: () => ({ algorithms: ['RS256', 'RS384', 'RS512'] }),
    code: 'unsupported_algorithm',
    status: 401,
  },
  ...(['RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const).map(
    (alg): Row => ({
      name: `${alg}, really signed, on an RS256-only validator`,
      token: (c) => c.entra.createToken({}, { header: { alg } }),
      code: 'unsupported_algorithm',
      status: 401,
    }),
  ),
  ...['ES256', 'ES384', 'EdDSA', 'RSA-OAEP', 'rs256', 'RS256 ', 'RS256\u0000', 'dir'].map(
    (alg): Row => ({
      name: `alg ${JSON.stringify(alg)}`,
      token: (c) => c.entra.createToken({}, { header: { alg } }),
      code: 'unsupported_algorithm',
      status: 401,
    }),
  ),
  ...(
    [
      ['alg as an array', ['RS256']],
      ['alg as a number', 256],
      ['alg null', null],
      ['no alg', undefined],
    ] as const
  ).map(
    ([name, alg]): Row => ({
      name,
      token: (c) => c.entra.createToken({}, { header: { alg } }),
      code: 'malformed_token',
      status: 401,
    }),
  ),
  {
    name: 'RS384 allowed and used (control)',
    token: (c) => c.entra.createToken({}, { header: { alg: 'RS384' } }),
    options: () => ({ algorithms: ['RS256', 'RS384'] }),
    code: 'ok',
    status: 200,
  },
  {
    name: 'an RS384 header over an RS256 signature',
    token: (c) =>
      jws({ typ: 'JWT', alg: 'RS384', kid: SIGNER_KID }, c.claims(), { rsa: 'RS256', key: c.signer }),
    options: () => ({ algorithms: ['RS256', 'RS384'] }),
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'an RS256 header over a PS256 signature',
    token: (c) =>
      jws({ typ: 'JWT', alg: 'RS256', kid: SIGNER_KID }, c.claims(), { rsa: 'PS256', key: c.signer }),
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'an embedded jwk (the attacker’s key) with the attacker’s kid',
    token: (c) => attackerSigned(c, c.claims(), { jwk: { ...c.attacker.jwk, kid: ATTACKER_KID } }),
    code: 'unknown_signing_key',
    status: 401,
  },
  {
    name: 'an embedded jwk (the attacker’s key) with the real kid',
    token: (c) =>
      attackerSigned(c, c.claims(), {
        kid: c.entra.currentKid,
        jwk: { ...c.attacker.jwk, kid: c.entra.currentKid },
      }),
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'an embedded x5c (the real certificate) over the attacker’s signature',
    token: (c) =>
      attackerSigned(c, c.claims(), {
        kid: c.entra.currentKid,
        x5c: c.currentJwk.x5c,
        x5t: c.currentJwk.x5t,
      }),
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'jku pointing at a second server, attacker’s kid',
    token: (c) => attackerSigned(c, c.claims(), { jku: `${c.lure.url}/keys` }),
    code: 'unknown_signing_key',
    status: 401,
  },
  {
    name: 'jku pointing at a second server, real kid',
    token: (c) => attackerSigned(c, c.claims(), { kid: c.entra.currentKid, jku: `${c.lure.url}/jku` }),
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'x5u pointing at a second server',
    token: (c) => attackerSigned(c, c.claims(), { x5u: `${c.lure.url}/x5u` }),
    code: 'unknown_signing_key',
    status: 401,
  },
  {
    name: 'jku pointing at the issuer’s own host, another path',
    token: (c) => attackerSigned(c, c.claims(), { jku: `${c.entra.authority}/evil/keys` }),
    code: 'unknown_signing_key',
    status: 401,
  },
  ...[
    '../../../../etc/passwd',
    "' OR '1'='1",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell-style kid, on purpose
    '${jndi:ldap://127.0.0.1/a}',
    '<script>alert(1)</script>',
    '%00',
    'LURE/keys',
    'k'.repeat(256),
    '\u0137\u012b\u0111',
  ].map(
    (kid, i): Row => ({
      name: `kid injection ${i + 1}: ${kid.length > 40 ? `${kid.length} characters` : JSON.stringify(kid)}`,
      token: (c) => attackerSigned(c, c.claims(), { kid: kid.replace('LURE', c.lure.url) }),
      code: 'unknown_signing_key',
      status: 401,
    }),
  ),
  {
    name: 'a kid of 257 characters',
    token: (c) => attackerSigned(c, c.claims(), { kid: 'k'.repeat(257) }),
    code: 'malformed_token',
    status: 401,
  },
  ...(
    [
      ['no kid', undefined],
      ['kid as a number', 7],
      ['kid null', null],
      ['an empty kid', ''],
      ['kid as an array', ['KID']],
      ['kid as an object', { kid: 'KID' }],
    ] as const
  ).map(
    ([name, kid]): Row => ({
      name,
      token: (c) => c.entra.createToken({}, { header: { kid } }),
      code: 'malformed_token',
      status: 401,
    }),
  ),
  ...(
    [
      ['crit ["exp"]', { crit: ['exp'] }],
      ['crit []', { crit: [] }],
      ['crit ["b64"] with b64 false', { crit: ['b64'], b64: false }],
      ['typ at+jwt', { typ: 'at+jwt' }],
      ['typ JWS', { typ: 'JWS' }],
      ['typ JOSE+JSON', { typ: 'JOSE+JSON' }],
      ['typ as a number', { typ: 1 }],
      ['typ null', { typ: null }],
      ['an empty typ', { typ: '' }],
    ] as const
  ).map(
    ([name, header]): Row => ({
      name,
      token: (c) => c.entra.createToken({}, { header: { ...header } }),
      code: 'malformed_token',
      status: 401,
    }),
  ),
  {
    name: 'typ jwt in lower case (control)',
    token: (c) => c.entra.createToken({}, { header: { typ: 'jwt' } }),
    code: 'ok',
    status: 200,
  },
  {
    name: 'no typ (control)',
    token: (c) => c.entra.createToken({}, { header: { typ: undefined } }),
    code: 'ok',
    status: 200,
  },
  {
    name: 'cty JWT and a nested token as the payload',
    token: (c) => c.signed(valid(c), { cty: 'JWT' }),
    code: 'malformed_token',
    status: 401,
  },
  {
    name: 'a tampered payload (scp Orders.Admin) over the original signature',
    token: (c) => tamper(valid(c), { payload: { scp: 'Orders.Admin' } }),
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'a tampered header (an added field) over the original signature',
    token: (c) => tamper(valid(c), { header: { x5t: 'x' } }),
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'one bit of the signature flipped',
    token: (c) => {
      const [h, p, s] = segments(valid(c));
      const sig = unb64(s);
      sig[100] = (sig[100] as number) ^ 1;
      return `${h}.${p}.${b64(sig)}`;
    },
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'the signature cut to 255 bytes',
    token: (c) => {
      const [h, p, s] = segments(valid(c));
      return `${h}.${p}.${b64(unb64(s).subarray(0, 255))}`;
    },
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'the signature with a byte appended',
    token: (c) => {
      const [h, p, s] = segments(valid(c));
      return `${h}.${p}.${b64(Buffer.concat([unb64(s), Buffer.from([0])]))}`;
    },
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'the signature with a zero byte prepended',
    token: (c) => {
      const [h, p, s] = segments(valid(c));
      return `${h}.${p}.${b64(Buffer.concat([Buffer.from([0]), unb64(s)]))}`;
    },
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'an all-zero signature',
    token: (c) => `${segments(valid(c)).slice(0, 2).join('.')}.${b64(Buffer.alloc(256))}`,
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'the signature of another token spliced in',
    token: (c) => {
      const [h, p] = segments(valid(c));
      return `${h}.${p}.${segments(c.entra.createToken({ scp: 'Other' }))[2]}`;
    },
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'header and signature of a v1 token over a v2 payload',
    token: (c) => {
      const [h, , s] = segments(c.entra.createToken({}, { version: '1.0' }));
      return `${h}.${segments(valid(c))[1]}.${s}`;
    },
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'an unpublished key under the real kid',
    token: (c) => c.entra.createToken({}, { signWith: 'unpublished', kid: c.entra.currentKid }),
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'a forged token that is also expired',
    token: (c) => forged(c, {}, { issuedAt: -7200, expiresIn: 3600 }),
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'a forged token that is also not yet valid',
    token: (c) => forged(c, {}, { issuedAt: 3600, notBefore: 3600 }),
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'a forged token that also lacks the scope',
    token: (c) => forged(c, { scp: 'Orders.Read' }),
    guard: { scopes: ['Orders.Write'] },
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'a forged token with neither scp nor roles',
    token: (c) => forged(c, { scp: undefined }),
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'a forged token for another audience',
    token: (c) => forged(c, { aud: 'api://billing' }),
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'a forged token of another tenant',
    token: (c) => forged(c, {}, { tenantId: OTHER_TENANT }),
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'a forged guest token on an API refusing guests',
    token: (c) => forged(c, {}, { kind: 'guest' }),
    options: () => ({ allowGuests: false }),
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'a forged ID token',
    token: (c) => forged(c, {}, { kind: 'id' }),
    code: 'invalid_signature',
    status: 401,
  },
  {
    name: 'an expired token from an unpublished key',
    token: (c) => c.entra.createToken({}, { signWith: 'unpublished', issuedAt: -7200, expiresIn: 3600 }),
    code: 'unknown_signing_key',
    status: 401,
  },
  {
    name: 'a published key of 1024 bits',
    token: (c) => c.entra.createToken({}, { kid: c.weakKid }),
    code: 'unknown_signing_key',
    status: 401,
  },
  {
    name: 'a published key for encryption (use enc)',
    token: (c) => c.entra.createToken({}, { kid: c.encKid }),
    code: 'unknown_signing_key',
    status: 401,
  },
];

const SCOPE_VARIANTS = [
  'orders.read',
  'ORDERS.READ',
  'Orders.ReadWrite',
  'Orders.Rea',
  'Orders.Read.All',
  'XOrders.Read',
  'Orders',
  'Orders.Read,Orders.Write',
  'Orders.Read\tOrders.Write',
  'Orders.Read\u00a0',
  '\uff2frders.Read',
];
const ROLE_VARIANTS = [
  ['orders.admin'],
  ['Orders.Admin '],
  ['Orders.Admin.All'],
  ['Orders'],
  ['Orders.Admin,Orders.Read'],
  ['ORDERS.ADMIN'],
];

const entraCases: Row[] = [
  {
    name: 'iss of this tenant, tid of another (single tenant)',
    token: (c) => c.entra.createToken({ tid: OTHER_TENANT }),
    code: 'invalid_issuer',
    status: 401,
  },
  {
    name: 'no tid on a single-tenant API',
    token: (c) => c.entra.createToken({ tid: undefined }),
    code: 'invalid_issuer',
    status: 401,
  },
  {
    name: 'iss of one tenant, tid of another (multi-tenant)',
    token: (c) => c.entra.createToken({ iss: c.entra.issuerFor(OTHER_TENANT), tid: THIRD_TENANT }),
    options: multi(),
    code: 'invalid_issuer',
    status: 401,
  },
  ...(
    [
      ['a domain', 'contoso.onmicrosoft.com'],
      ['the {tenantid} placeholder', '{tenantid}'],
      ['common', 'common'],
      ['a GUID and a line feed', `${OTHER_TENANT}\n`],
      ['a GUID and a path', `${OTHER_TENANT}/../x`],
    ] as const
  ).map(
    ([what, tid]): Row => ({
      name: `a non-GUID tid on a multi-tenant API: ${what}`,
      token: (c) =>
        c.entra.createToken({ tid, iss: c.entra.issuerFor(OTHER_TENANT).replace(OTHER_TENANT, tid) }),
      options: multi(),
      code: 'invalid_issuer',
      status: 401,
    }),
  ),
  {
    name: 'no tid on a multi-tenant API',
    token: (c) => c.entra.createToken({ tid: undefined }, { tenantId: OTHER_TENANT }),
    options: multi(),
    code: 'invalid_issuer',
    status: 401,
  },
  {
    name: 'tid as a number on a multi-tenant API',
    token: (c) => c.entra.createToken({ tid: 1 }, { tenantId: OTHER_TENANT }),
    options: multi(),
    code: 'invalid_issuer',
    status: 401,
  },
  ...(
    [
      ['a trailing slash', (iss: string) => `${iss}/`],
      ['upper case', (iss: string) => iss.toUpperCase()],
      ['a suffixed host', (iss: string) => iss.replace('127.0.0.1', '127.0.0.1.nip.io')],
      ['another scheme (https: for an http: issuer)', (iss: string) => iss.replace('http:', 'https:')],
      ['another path prefix', (iss: string) => iss.replace(/(:\d+)\//, '$1/evil/')],
      ['a query string', (iss: string) => `${iss}?x=1`],
      ['a leading space', (iss: string) => ` ${iss}`],
      ['an encoded slash', (iss: string) => iss.replace('/v2.0', '%2Fv2.0')],
      [
        'the public cloud’s host',
        (iss: string) => iss.replace(/^http:\/\/[^/]+/, 'https://login.microsoftonline.com'),
      ],
    ] as const
  ).map(
    ([what, change]): Row => ({
      name: `a lookalike issuer: ${what}`,
      token: (c) => c.entra.createToken({ iss: change(c.entra.issuer) }),
      code: 'invalid_issuer',
      status: 401,
    }),
  ),
  ...(
    [
      ['a trailing slash', (iss: string) => `${iss}/`],
      ['upper case', (iss: string) => iss.toUpperCase()],
      ['another scheme', (iss: string) => iss.replace('http:', 'https:')],
    ] as const
  ).map(
    ([what, change]): Row => ({
      name: `a lookalike issuer on a multi-tenant API: ${what}`,
      token: (c) =>
        c.entra.createToken({ iss: change(c.entra.issuerFor(OTHER_TENANT)) }, { tenantId: OTHER_TENANT }),
      options: multi(),
      code: 'invalid_issuer',
      status: 401,
    }),
  ),
  {
    name: 'the v1 issuer on a v2 token',
    token: (c) => c.entra.createToken({ iss: c.entra.issuerV1 }),
    code: 'invalid_issuer',
    status: 401,
  },
  {
    name: 'the v2 issuer on a v1 token',
    token: (c) => c.entra.createToken({ iss: c.entra.issuer }, { version: '1.0' }),
    code: 'invalid_issuer',
    status: 401,
  },
  ...(
    [
      ['no trailing slash', (iss: string) => iss.slice(0, -1)],
      ['a suffixed host', (iss: string) => iss.replace('sts.windows.net', 'sts.windows.net.evil.example')],
      ['http:', (iss: string) => iss.replace('https:', 'http:')],
    ] as const
  ).map(
    ([what, change]): Row => ({
      name: `a lookalike v1 issuer: ${what}`,
      token: (c) => c.entra.createToken({ iss: change(c.entra.issuerV1) }, { version: '1.0' }),
      code: 'invalid_issuer',
      status: 401,
    }),
  ),
  {
    name: 'a v1 lookalike issuer on a multi-tenant API (suffixed host)',
    token: (c) =>
      c.entra.createToken(
        { iss: `https://sts.windows.net.evil.example/${OTHER_TENANT}/` },
        { version: '1.0', tenantId: OTHER_TENANT },
      ),
    options: multi(),
    code: 'invalid_issuer',
    status: 401,
  },
  {
    name: 'a key whose JWKS issuer names another tenant',
    token: (c) => c.entra.createToken({}, { kid: c.otherTenantKid }),
    code: 'invalid_issuer',
    status: 401,
  },
  {
    name: 'multi-tenant: a key scoped to one tenant signs another tenant’s token',
    token: (c) => c.entra.createToken({}, { kid: c.otherTenantKid, tenantId: THIRD_TENANT }),
    options: multi(),
    code: 'invalid_issuer',
    status: 401,
  },
  {
    name: 'multi-tenant: that key signs its own tenant’s token (control)',
    token: (c) => c.entra.createToken({}, { kid: c.otherTenantKid, tenantId: OTHER_TENANT }),
    options: multi(),
    code: 'ok',
    status: 200,
  },
  {
    name: 'a v1 token on a v2-only API',
    token: (c) => c.entra.createToken({}, { version: '1.0' }),
    options: () => ({ tokenVersions: ['2.0'] }),
    code: 'unsupported_token_version',
    status: 401,
  },
  {
    name: 'a v2 token on a v1-only API',
    token: valid,
    options: () => ({ tokenVersions: ['1.0'] }),
    code: 'unsupported_token_version',
    status: 401,
  },
  {
    name: 'a Microsoft Graph token (nonce in the header)',
    token: (c) => c.entra.createToken({}, { kind: 'graph' }),
    code: 'foreign_token',
    status: 401,
  },
  {
    name: 'a v1 Microsoft Graph token',
    token: (c) => c.entra.createToken({}, { kind: 'graph', version: '1.0' }),
    code: 'foreign_token',
    status: 401,
  },
  {
    name: 'a Graph audience without a nonce',
    token: (c) => c.entra.createToken({ aud: 'https://graph.microsoft.com' }),
    code: 'foreign_token',
    status: 401,
  },
  {
    name: 'a Graph token with a forged signature (recognised before the signature)',
    token: (c) =>
      tamper(c.entra.createToken({}, { kind: 'graph' }), { payload: { scp: 'Directory.ReadWrite.All' } }),
    code: 'foreign_token',
    status: 401,
  },
  {
    name: 'a Graph audience inside an array',
    token: (c) => c.entra.createToken({ aud: ['00000003-0000-0000-c000-000000000000'] }),
    code: 'invalid_audience',
    status: 401,
  },
  ...[
    'https://management.azure.com/',
    '797f4846-ba00-4fd7-ba43-dac1f8f63013',
    'https://management.core.windows.net/',
    'https://vault.azure.net',
    'https://graph.windows.net',
  ].map(
    (aud): Row => ({
      name: `a token for a Microsoft service: ${aud}`,
      token: (c) => c.entra.createToken({ aud }),
      code: 'foreign_token',
      status: 401,
    }),
  ),
  {
    name: 'an ID token',
    token: (c) => c.entra.createToken({}, { kind: 'id' }),
    code: 'foreign_token',
    status: 401,
  },
  {
    name: 'a v1 ID token',
    token: (c) => c.entra.createToken({}, { kind: 'id', version: '1.0' }),
    code: 'foreign_token',
    status: 401,
  },
  {
    name: 'an ID token whose aud is this API',
    token: (c) => c.entra.createToken({ aud: c.entra.clientId }, { kind: 'id' }),
    code: 'foreign_token',
    status: 401,
  },
  {
    name: 'a token with scopes and a nonce claim (an ID token shape)',
    token: (c) => c.entra.createToken({ nonce: 'n-0S6_WzA2Mj' }),
    code: 'foreign_token',
    status: 401,
  },
  ...(
    [
      ['another API of the tenant (App ID URI)', () => 'api://billing'],
      ['another API of the tenant (client id)', () => OTHER_TENANT],
      ['the calling app itself', (c: AttackContext) => c.entra.clientAppId],
      ['this API’s App ID URI with a trailing slash', (c: AttackContext) => `${c.entra.audience}/`],
      ['this API’s client id in upper case', (c: AttackContext) => c.entra.clientId.toUpperCase()],
      ['this API’s App ID URI in upper case', (c: AttackContext) => c.entra.audience.toUpperCase()],
    ] as const
  ).map(
    ([what, aud]): Row => ({
      name: `a token for ${what}`,
      token: (c) => c.entra.createToken({ aud: aud(c) }),
      code: 'invalid_audience',
      status: 401,
    }),
  ),
  {
    name: 'a personal account on an organizations API',
    token: (c) => c.entra.createToken({}, { tenantId: CONSUMERS }),
    options: multi(),
    code: 'tenant_not_allowed',
    status: 401,
  },
  {
    name: 'a personal account, tid in upper case, on an organizations API',
    token: (c) =>
      c.entra.createToken({
        tid: CONSUMERS.toUpperCase(),
        iss: c.entra.issuerFor(CONSUMERS).replace(CONSUMERS, CONSUMERS.toUpperCase()),
      }),
    options: multi(),
    code: 'tenant_not_allowed',
    status: 401,
  },
  {
    name: 'a personal account on an organizations API that lists the consumers tenant',
    token: (c) => c.entra.createToken({}, { tenantId: CONSUMERS }),
    options: () => ({ tenantId: 'organizations', allowedTenants: [CONSUMERS, OTHER_TENANT] }),
    code: 'tenant_not_allowed',
    status: 401,
  },
  {
    name: 'a personal account on a single-tenant API',
    token: (c) => c.entra.createToken({}, { tenantId: CONSUMERS }),
    code: 'invalid_issuer',
    status: 401,
  },
  {
    name: 'an allowedTenants function that throws (its error text never shown)',
    token: (c) => c.entra.createToken({}, { tenantId: OTHER_TENANT }),
    options: () => ({
      tenantId: 'organizations',
      allowedTenants: () => {
        throw new Error('tenant directory unreachable at db.internal:5432');
      },
    }),
    code: 'tenant_check_failed',
    status: 503,
    secrets: ['db.internal'],
  },
  {
    name: 'a tenant outside allowedTenants',
    token: (c) => c.entra.createToken({}, { tenantId: THIRD_TENANT }),
    options: () => ({ tenantId: 'organizations', allowedTenants: [OTHER_TENANT] }),
    code: 'tenant_not_allowed',
    status: 401,
  },
  {
    name: 'a personal account on a common API accepting any tenant (control)',
    token: (c) => c.entra.createToken({}, { tenantId: CONSUMERS }),
    options: () => ({ tenantId: 'common', allowAnyTenant: true }),
    code: 'ok',
    status: 200,
  },
  // App-only and delegated
  {
    name: 'an app-only token on a delegated-only route',
    token: (c) => c.entra.createToken({}, { kind: 'app' }),
    guard: { caller: 'user' },
    code: 'insufficient_scope',
    status: 403,
  },
  {
    name: 'an app-only token without idtyp on a delegated-only route',
    token: (c) => c.entra.createToken({ idtyp: undefined }, { kind: 'app' }),
    guard: { caller: 'user' },
    code: 'insufficient_scope',
    status: 403,
  },
  {
    name: 'an app-only token (idtyp app) that also carries scp, on a delegated-only route',
    token: (c) => c.entra.createToken({ scp: 'Orders.Read' }, { kind: 'app' }),
    guard: { caller: 'user' },
    code: 'insufficient_scope',
    status: 403,
  },
  {
    name: 'a delegated token on an app-only route',
    token: valid,
    guard: { caller: 'app' },
    code: 'insufficient_role',
    status: 403,
  },
  {
    name: 'a user token with app roles, no scp and no idtyp, on an app-only route',
    token: (c) => c.entra.createToken({ scp: undefined, idtyp: undefined, roles: ['Orders.Read.All'] }),
    guard: { caller: 'app' },
    code: 'insufficient_role',
    status: 403,
  },
  {
    name: 'a delegated token with an app role on an app-only route',
    token: (c) => c.entra.createToken({ roles: ['Orders.Read.All'] }),
    guard: { caller: 'app' },
    code: 'insufficient_role',
    status: 403,
  },
  {
    name: 'an application permission named like the required scope',
    token: (c) => c.entra.createToken({ roles: ['Orders.Read'] }, { kind: 'app' }),
    guard: { scopes: ['Orders.Read'] },
    code: 'insufficient_scope',
    status: 403,
  },
  {
    name: 'a scope named like the required role',
    token: (c) => c.entra.createToken({ scp: 'Orders.Admin' }),
    guard: { roles: ['Orders.Admin'] },
    code: 'insufficient_role',
    status: 403,
  },
  {
    name: 'scope-or-role: an app-only token whose role is the scope’s name',
    token: (c) => c.entra.createToken({ roles: ['Orders.Read'] }, { kind: 'app' }),
    guard: { scopeOrRole: { scopes: ['Orders.Read'], roles: ['Orders.Read.All'] } },
    code: 'insufficient_role',
    status: 403,
  },
  {
    name: 'scope-or-role: a delegated token whose scope is the role’s name',
    token: (c) => c.entra.createToken({ scp: 'Orders.Read.All' }),
    guard: { scopeOrRole: { scopes: ['Orders.Read'], roles: ['Orders.Read.All'] } },
    code: 'insufficient_scope',
    status: 403,
  },
  {
    name: 'scope-or-role: an app-only token with the role (control)',
    token: (c) => c.entra.createToken({ roles: ['Orders.Read.All'] }, { kind: 'app' }),
    guard: { scopeOrRole: { scopes: ['Orders.Read'], roles: ['Orders.Read.All'] } },
    code: 'ok',
    status: 200,
  },
  ...SCOPE_VARIANTS.map(
    (scp): Row => ({
      name: `scope ${JSON.stringify(scp)} for a required Orders.Read`,
      token: (c) => c.entra.createToken({ scp }),
      guard: { scopes: ['Orders.Read'] },
      code: 'insufficient_scope',
      status: 403,
    }),
  ),
  {
    name: 'scopes Orders.Write Orders.Read for a required Orders.Read (control)',
    token: (c) => c.entra.createToken({ scp: 'Orders.Write Orders.Read' }),
    guard: { scopes: ['Orders.Read'] },
    code: 'ok',
    status: 200,
  },
  {
    name: 'one of two scopes required with match all',
    token: (c) => c.entra.createToken({ scp: 'Orders.Read' }),
    guard: { scopes: ['Orders.Read', 'Orders.Write'] },
    code: 'insufficient_scope',
    status: 403,
  },
  ...ROLE_VARIANTS.map(
    (roles): Row => ({
      name: `roles ${JSON.stringify(roles)} for a required Orders.Admin`,
      token: (c) => c.entra.createToken({ roles }, { kind: 'app' }),
      guard: { roles: ['Orders.Admin'] },
      code: 'insufficient_role',
      status: 403,
    }),
  ),
  {
    name: 'neither scp nor roles',
    token: (c) => c.entra.createToken({ scp: undefined }),
    code: 'missing_permissions',
    status: 403,
  },
  {
    name: 'azp of another app and appid of the allowed one',
    token: (c) => c.entra.createToken({ azp: OTHER_TENANT, appid: c.entra.clientAppId }),
    options: (c) => ({ allowedClientIds: [c.entra.clientAppId] }),
    code: 'client_not_allowed',
    status: 403,
  },
  {
    name: 'a guest on an API refusing guests',
    token: (c) => c.entra.createToken({}, { kind: 'guest' }),
    options: () => ({ allowGuests: false }),
    code: 'guest_not_allowed',
    status: 403,
  },
  {
    name: 'an expired token',
    token: (c) => c.entra.createToken({}, { issuedAt: -7200, expiresIn: 3600 }),
    code: 'token_expired',
    status: 401,
  },
  {
    name: 'a token not valid yet',
    token: (c) => c.entra.createToken({}, { issuedAt: 3600, notBefore: 3600 }),
    code: 'token_not_yet_valid',
    status: 401,
  },
  {
    name: 'a token older than maxTokenAgeSeconds',
    token: (c) => c.entra.createToken({}, { issuedAt: -3600, expiresIn: 7200 }),
    options: () => ({ maxTokenAgeSeconds: 600 }),
    code: 'token_too_old',
    status: 401,
  },
];

const errors: Row[] = [
  {
    name: 'attacker text (quotes, CR LF, backslash) in aud',
    token: (c) => c.entra.createToken({ aud: 'api://attacker-"chosen"\r\n\\x' }),
    code: 'invalid_audience',
    status: 401,
    secrets: ['attacker-', 'chosen'],
  },
  {
    name: 'attacker text in iss',
    token: (c) => c.entra.createToken({ iss: 'https://evil.example/"iss"\r\n' }),
    code: 'invalid_issuer',
    status: 401,
    secrets: ['evil.example'],
  },
  {
    name: 'attacker text in kid',
    token: (c) => c.entra.createToken({}, { signWith: 'unpublished', kid: 'kid-"injection"\r\nX: y' }),
    code: 'unknown_signing_key',
    status: 401,
    secrets: ['injection'],
  },
  {
    name: 'attacker text in alg',
    token: (c) => c.entra.createToken({}, { header: { alg: 'attacker-alg"\\\r\n' } }),
    code: 'unsupported_algorithm',
    status: 401,
    secrets: ['attacker-alg'],
  },
  {
    name: 'attacker text in typ',
    token: (c) => c.entra.createToken({}, { header: { typ: 'attacker-typ"\r\n' } }),
    code: 'malformed_token',
    status: 401,
    secrets: ['attacker-typ'],
  },
  {
    name: 'attacker text in tid on a multi-tenant API',
    token: (c) => c.entra.createToken({ tid: 'attacker-tid"\r\n' }, { tenantId: OTHER_TENANT }),
    options: multi(),
    code: 'invalid_issuer',
    status: 401,
    secrets: ['attacker-tid'],
  },
  {
    name: 'attacker text in scp on a route requiring a scope',
    token: (c) => c.entra.createToken({ scp: 'attacker-scope"\\ Orders.Rea' }),
    guard: { scopes: ['Orders.Read'] },
    code: 'insufficient_scope',
    status: 403,
    secrets: ['attacker-scope', 'Orders.Rea"', 'Orders.Rea '],
  },
  {
    name: 'attacker text in roles on a route requiring a role',
    token: (c) => c.entra.createToken({ roles: ['attacker-role"\r\n'] }, { kind: 'app' }),
    guard: { roles: ['Orders.Admin'] },
    code: 'insufficient_role',
    status: 403,
    secrets: ['attacker-role'],
  },
  {
    name: 'attacker text in ver',
    token: (c) => c.entra.createToken({ ver: 'attacker-ver"' }),
    code: 'unsupported_token_version',
    status: 401,
    secrets: ['attacker-ver'],
  },
  {
    name: 'attacker text in exp',
    token: (c) => c.entra.createToken({ exp: 'attacker-exp"' }),
    code: 'malformed_token',
    status: 401,
    secrets: ['attacker-exp'],
  },
  {
    name: 'attacker text in azp with allowedClientIds',
    token: (c) => c.entra.createToken({ azp: 'attacker-azp"\r\n' }),
    options: (c) => ({ allowedClientIds: [c.entra.clientAppId] }),
    code: 'client_not_allowed',
    status: 403,
    secrets: ['attacker-azp'],
  },
  {
    name: 'attacker text in idp of a guest on an API refusing guests',
    token: (c) => c.entra.createToken({ idp: 'https://attacker-idp.example/"' }, { kind: 'guest' }),
    options: () => ({ allowGuests: false }),
    code: 'guest_not_allowed',
    status: 403,
    secrets: ['attacker-idp'],
  },
  {
    name: 'attacker text in the Graph nonce',
    token: (c) => c.entra.createToken({}, { kind: 'graph', header: { nonce: 'attacker-nonce"\r\n' } }),
    code: 'foreign_token',
    status: 401,
    secrets: ['attacker-nonce'],
  },
  {
    name: 'attacker text in user names with no permissions',
    token: (c) =>
      c.entra.createToken({ scp: undefined, name: 'attacker-name"', preferred_username: 'attacker-upn"' }),
    code: 'missing_permissions',
    status: 403,
    secrets: ['attacker-name', 'attacker-upn'],
  },
  {
    name: 'attacker text after Bearer',
    authorization: () => 'Bearer attacker-header"\\',
    code: 'invalid_request',
    status: 400,
    secrets: ['attacker-header'],
  },
  {
    name: 'attacker text as the scheme',
    authorization: () => 'Attacker-Scheme" abc',
    code: 'missing_token',
    status: 401,
    secrets: ['Attacker-Scheme'],
  },
  {
    name: 'issuer unreachable: 503, Retry-After, no challenge',
    token: valid,
    options: () => ({ authority: 'http://127.0.0.1:1', jwks: { timeoutMs: 2000 } }),
    code: 'keys_unavailable',
    status: 503,
  },
  {
    name: 'an authentication context the client can step up to (claims challenge)',
    token: (c) => c.entra.createToken({ xms_cc: ['cp1'] }),
    guard: { authContext: 'c1' },
    code: 'insufficient_claims',
    status: 401,
    coreOnly: 'the adapters have no authentication-context guard',
  },
  {
    name: 'an authentication context the client cannot step up to',
    token: valid,
    guard: { authContext: 'c1' },
    code: 'insufficient_scope',
    status: 403,
    coreOnly: 'the adapters have no authentication-context guard',
  },
];

/** Every row, in groups. */
export const ATTACK_CASES: readonly AttackCase[] = [
  ...transport.map((c) => ({ ...c, group: 'transport' as const })),
  ...parsing.map((c) => ({ ...c, group: 'parsing' as const })),
  ...crypto.map((c) => ({ ...c, group: 'crypto and header' as const })),
  ...entraCases.map((c) => ({ ...c, group: 'Entra' as const })),
  ...errors.map((c) => ({ ...c, group: 'errors' as const })),
];

export const ATTACK_GROUPS: readonly AttackGroup[] = [
  'transport',
  'parsing',
  'crypto and header',
  'Entra',
  'errors',
];

/** The secrets no answer may contain, whatever the row: the configuration and the test's keys. */
export function configSecrets(ctx: AttackContext): string[] {
  const e = ctx.entra;
  return [
    e.issuer,
    e.issuerV1,
    e.clientId,
    e.audience,
    e.tenantId,
    e.clientAppId,
    e.authority,
    e.currentKid,
    OTHER_TENANT,
    THIRD_TENANT,
    ctx.lure.url,
    SIGNER_KID,
    ATTACKER_KID,
    ctx.otherTenantKid,
    ctx.weakKid,
    ctx.encKid,
  ];
}
