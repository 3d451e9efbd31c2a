/**
 * Entra-shaped tokens: the default claims and header of every kind and version, and signing.
 */
import { constants, type KeyObject, sign } from 'node:crypto';
import { b2cIssuer, type CloudProfile, externalIdIssuer, type Profile } from './flavours.js';
import {
  GRAPH_APP_ID,
  GUEST,
  MEMBER,
  pairwiseSubject,
  randomAio,
  randomBase64Url,
  randomRh,
  SERVICE_PRINCIPAL_OID,
} from './identities.js';
import { issuerV1, issuerV2, resolveTenant } from './tenants.js';
import type { CreateTokenOptions } from './types.js';

/** What the kit knows that goes into a token. */
export interface TokenContext {
  readonly authority: string;
  readonly tenantId: string;
  readonly domain: string;
  readonly clientId: string;
  readonly clientAppId: string;
  /** The session of the default user: one per kit, as one sign-in would give. */
  readonly sid: string;
  /** The flavour, cloud and B2C policies of the kit. */
  readonly profile: Profile;
  readonly cloud: CloudProfile;
  /** The current time, in whole seconds. */
  nowSeconds(): number;
}

const KINDS = new Set(['delegated', 'app', 'guest', 'graph', 'id']);
const VERSIONS = new Set(['1.0', '2.0']);
const OPTION_NAMES = new Set([
  'kind',
  'version',
  'tenantId',
  'expiresIn',
  'issuedAt',
  'notBefore',
  'kid',
  'signWith',
  'header',
  'policy',
]);
const GRAPH_SCOPES = 'User.Read openid profile email';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The kinds each flavour issues. */
const FLAVOUR_KINDS: Readonly<Record<Profile['flavour'], ReadonlySet<string>>> = {
  workforce: KINDS,
  b2c: new Set(['delegated', 'app', 'id']),
  externalId: new Set(['delegated', 'app', 'graph', 'id']),
};

/** Throws a TypeError for options a test could not have meant. */
export function checkTokenOptions(
  claims: unknown,
  options: unknown,
  profile?: Profile,
): asserts options is CreateTokenOptions {
  if (!isPlainObject(claims))
    throw new TypeError('createToken: claims must be an object, e.g. { scp: "Orders.Read" }');
  if (!isPlainObject(options)) throw new TypeError('createToken: options must be an object');
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) {
      throw new TypeError(`createToken: unknown option '${name}'. Known: ${[...OPTION_NAMES].join(', ')}`);
    }
  }
  const o = options as CreateTokenOptions;
  if (o.kind !== undefined && !KINDS.has(o.kind)) {
    throw new TypeError(`createToken: kind must be one of ${[...KINDS].join(', ')}`);
  }
  if (o.version !== undefined && !VERSIONS.has(o.version)) {
    throw new TypeError("createToken: version must be '1.0' or '2.0'");
  }
  for (const name of ['expiresIn', 'issuedAt', 'notBefore'] as const) {
    const value = o[name];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new TypeError(`createToken: ${name} must be a finite number of seconds`);
    }
  }
  if (o.kid !== undefined && typeof o.kid !== 'string')
    throw new TypeError('createToken: kid must be a string');
  if (o.tenantId !== undefined && typeof o.tenantId !== 'string') {
    throw new TypeError('createToken: tenantId must be a string');
  }
  if (o.signWith !== undefined && o.signWith !== 'unpublished') {
    throw new TypeError("createToken: signWith must be 'unpublished'");
  }
  if (o.header !== undefined && !isPlainObject(o.header))
    throw new TypeError('createToken: header must be an object');
  if (profile === undefined) return;
  const flavour = profile.flavour;
  if (o.kind !== undefined && !FLAVOUR_KINDS[flavour].has(o.kind)) {
    throw new TypeError(
      `createToken: a ${flavour} kit makes ${[...FLAVOUR_KINDS[flavour]].join(', ')} tokens, not '${o.kind}'`,
    );
  }
  if (o.version !== undefined && flavour !== 'workforce') {
    throw new TypeError(
      `createToken: version is for workforce kits: ${flavour === 'b2c' ? "B2C tokens always say ver '1.0'" : "External ID tokens say ver '2.0'"} (set claims.ver to change it)`,
    );
  }
  if (o.policy !== undefined && (flavour !== 'b2c' || typeof o.policy !== 'string' || o.policy === '')) {
    throw new TypeError('createToken: policy is a non-empty string, for B2C kits only');
  }
}

/**
 * `base` with `over` merged in: existing names keep their place, new ones come last, `undefined`
 * removes. Names are defined, not assigned, so a claim called `__proto__` is an own property.
 */
export function mergeFields(
  base: Record<string, unknown>,
  over: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out = { ...base };
  for (const [name, value] of Object.entries(over ?? {})) {
    if (value === undefined) delete out[name];
    else Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function sortedByName(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The validity window (`issuedAt`, `notBefore`, `expiresIn` relative to now) and the tenant of a token. */
function windowAndTenant(
  ctx: TokenContext,
  options: CreateTokenOptions,
): { iat: number; nbf: number; exp: number; tid: string } {
  const now = ctx.nowSeconds();
  const iat = now + (options.issuedAt ?? 0);
  const nbf = options.notBefore === undefined ? iat : now + options.notBefore;
  const exp = iat + (options.expiresIn ?? 3600);
  const tid =
    options.tenantId === undefined
      ? ctx.tenantId
      : (resolveTenant(options.tenantId, ctx)?.tid ?? options.tenantId);
  return { iat, nbf, exp, tid };
}

/**
 * The default payload. Like Entra's: `aud`, `iss`, `iat`, `nbf`, `exp` first, then every other
 * claim in alphabetical order.
 */
export function defaultClaims(ctx: TokenContext, options: CreateTokenOptions): Record<string, unknown> {
  if (ctx.profile.flavour === 'b2c') return b2cClaims(ctx, options);
  const kind = options.kind ?? 'delegated';
  const v1 = options.version === '1.0';
  const { iat, nbf, exp, tid } = windowAndTenant(ctx, options);
  const v1Origin = ctx.cloud.v1IssuerOrigin;
  const iss = v1
    ? issuerV1(tid, v1Origin)
    : ctx.profile.flavour === 'externalId'
      ? externalIdIssuer(tid)
      : issuerV2(ctx.authority, tid);
  const rest: Record<string, unknown> = {
    aio: randomAio(),
    rh: randomRh(),
    tid,
    uti: randomBase64Url(16),
    ver: v1 ? '1.0' : '2.0',
  };
  let aud: string;

  if (kind === 'app') {
    aud = v1 ? `api://${ctx.clientId}` : ctx.clientId;
    Object.assign(rest, {
      idtyp: 'app',
      oid: SERVICE_PRINCIPAL_OID,
      roles: ['access_as_application'],
      sub: SERVICE_PRINCIPAL_OID,
    });
    // v1 app-only tokens carry idp = iss (the app's own tenant): not a guest.
    if (v1) Object.assign(rest, { appid: ctx.clientAppId, appidacr: '1', idp: issuerV1(tid, v1Origin) });
    else Object.assign(rest, { azp: ctx.clientAppId, azpacr: '1' });
  } else {
    const person = kind === 'guest' ? GUEST : MEMBER;
    const username = `${person.alias}@${ctx.domain}`;
    // `sub` is pairwise: per user and per application the token is for.
    const audienceApp = kind === 'id' ? ctx.clientAppId : kind === 'graph' ? GRAPH_APP_ID : ctx.clientId;
    Object.assign(rest, {
      name: `${person.givenName} ${person.familyName}`,
      oid: person.oid,
      sub: pairwiseSubject(person.oid, audienceApp),
    });
    if (v1) {
      Object.assign(rest, {
        amr: ['pwd'],
        family_name: person.familyName,
        given_name: person.givenName,
        ipaddr: '127.0.0.1',
        unique_name: username,
        upn: username,
      });
    } else {
      Object.assign(rest, { preferred_username: username, sid: ctx.sid });
    }
    if (kind === 'id') {
      aud = ctx.clientAppId;
      rest.nonce = randomBase64Url(16);
    } else {
      rest.scp = kind === 'graph' ? GRAPH_SCOPES : 'access_as_user';
      if (v1) Object.assign(rest, { acr: '1', appid: ctx.clientAppId, appidacr: '0' });
      else Object.assign(rest, { azp: ctx.clientAppId, azpacr: '0' });
      if (kind === 'graph') {
        aud = v1 ? ctx.cloud.graphResource : GRAPH_APP_ID;
        Object.assign(rest, { app_displayname: 'Contoso Web', idtyp: 'user' });
      } else {
        aud = v1 ? `api://${ctx.clientId}` : ctx.clientId;
      }
    }
    if (kind === 'guest') {
      Object.assign(rest, { acct: 1, email: person.email, idp: issuerV1(person.homeTenantId, v1Origin) });
    }
  }
  return { aud, iss, iat, nbf, exp, ...sortedByName(rest) };
}

/**
 * An Azure AD B2C token, in B2C's claim order (azure-docs `active-directory-b2c/access-tokens.md`):
 * `ver` 1.0, the policy in `tfp`, `sub` = the user's object id (and `oid`, when the user flow emits
 * it), no `tid`, and a `nonce` in access tokens too when the sign-in asked for one.
 */
function b2cClaims(ctx: TokenContext, options: CreateTokenOptions): Record<string, unknown> {
  const kind = options.kind ?? 'delegated';
  const { iat, nbf, exp, tid } = windowAndTenant(ctx, options);
  const tfp = options.policy ?? (ctx.profile.policies[0] as string);
  const iss = b2cIssuer(ctx.authority, ctx.profile, tid, tfp);
  if (kind === 'app') {
    // Client credentials: the service principal in `sub`, the granted app permissions in `scp`.
    return {
      iss,
      exp,
      nbf,
      aud: ctx.clientId,
      sub: SERVICE_PRINCIPAL_OID,
      tfp,
      scp: 'access_as_application',
      azp: ctx.clientAppId,
      ver: '1.0',
      iat,
    };
  }
  const person = MEMBER;
  const user = { oid: person.oid, sub: person.oid, name: `${person.givenName} ${person.familyName}` };
  if (kind === 'id') {
    return {
      iss,
      exp,
      nbf,
      aud: ctx.clientAppId,
      ...user,
      tfp,
      nonce: randomBase64Url(16),
      ver: '1.0',
      iat,
      auth_time: iat,
    };
  }
  return {
    iss,
    exp,
    nbf,
    aud: ctx.clientId,
    ...user,
    tfp,
    nonce: randomBase64Url(16),
    scp: 'access_as_user',
    azp: ctx.clientAppId,
    ver: '1.0',
    iat,
  };
}

/** The default header: v2 `{typ, alg, kid}`, v1 adds `x5t`; Graph tokens carry a `nonce`. */
export function defaultHeader(options: CreateTokenOptions, kid: string): Record<string, unknown> {
  const header: Record<string, unknown> = { typ: 'JWT' };
  // Graph signs over a hash of this nonce, which is why nobody but Graph can verify its tokens.
  if (options.kind === 'graph') header.nonce = randomBase64Url(32);
  header.alg = 'RS256';
  if (options.version === '1.0') header.x5t = kid;
  header.kid = kid;
  return header;
}

const SIGNATURES = new Map<string, { hash: string; pss: boolean }>([
  ['RS256', { hash: 'sha256', pss: false }],
  ['RS384', { hash: 'sha384', pss: false }],
  ['RS512', { hash: 'sha512', pss: false }],
  ['PS256', { hash: 'sha256', pss: true }],
  ['PS384', { hash: 'sha384', pss: true }],
  ['PS512', { hash: 'sha512', pss: true }],
]);

/**
 * A compact JWS. An RSA `alg` in the header (RS/PS 256/384/512) picks the signature; any other
 * `alg` (`none`, `HS256`, missing) only changes the header, over an RS256 signature.
 */
export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject,
): string {
  const encode = (part: Record<string, unknown>) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  const { hash, pss } = SIGNATURES.get(String(header.alg)) ?? { hash: 'sha256', pss: false };
  const signature = sign(
    hash,
    Buffer.from(input),
    pss
      ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
      : key,
  );
  return `${input}.${signature.toString('base64url')}`;
}
