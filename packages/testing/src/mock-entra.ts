/**
 * `createMockEntra`: keys, documents, tokens and the HTTP server put together.
 */
import { discoveryB2C, discoveryV1, discoveryV2, unknownTenantError } from './documents.js';
import { checkFault } from './faults.js';
import {
  b2cIssuer,
  CLOUD_PROFILES,
  externalIdIssuer,
  type Profile,
  resolveProfile,
  servedPolicy,
} from './flavours.js';
import {
  DEFAULT_CLIENT_APP_ID,
  DEFAULT_CLIENT_ID,
  DEFAULT_DOMAIN,
  DEFAULT_TENANT_ID,
  GUID_RE,
  randomGuid,
  randomKid,
} from './identities.js';
import { generateSigningKey, KeyRing } from './keys.js';
import { IssuerServer, type Reply, type Route } from './server.js';
import { issuerV1, issuerV2, type ResolvedTenant, resolveTenant } from './tenants.js';
import {
  checkTokenOptions,
  defaultClaims,
  defaultHeader,
  mergeFields,
  signJwt,
  type TokenContext,
} from './tokens.js';
import type {
  CreateTokenOptions,
  MockEntra,
  MockEntraOptions,
  MockFlavour,
  MockValidatorOptions,
} from './types.js';

const OPTION_NAMES = new Set([
  'tenantId',
  'port',
  'clientId',
  'clientAppId',
  'domain',
  'clock',
  'flavour',
  'cloud',
  'policies',
  'issuerFormat',
]);
const ADD_KEY_OPTION_NAMES = new Set(['issuer', 'publish', 'modulusLength', 'use']);

function guidOption(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !GUID_RE.test(value)) {
    throw new TypeError(`createMockEntra: ${name} must be a GUID such as '${fallback}'`);
  }
  return value.toLowerCase();
}

function checkOptions(options: MockEntraOptions) {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createMockEntra: options must be an object');
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) {
      throw new TypeError(
        `createMockEntra: unknown option '${name}'. Known: ${[...OPTION_NAMES].join(', ')}`,
      );
    }
  }
  const { port = 0, domain = DEFAULT_DOMAIN, clock = Date.now } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError('createMockEntra: port must be an integer from 0 (any free port) to 65535');
  }
  if (typeof domain !== 'string' || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(domain)) {
    throw new TypeError("createMockEntra: domain must be a domain name such as 'contoso.onmicrosoft.com'");
  }
  if (typeof clock !== 'function')
    throw new TypeError('createMockEntra: clock must be a function returning milliseconds');
  return {
    tenantId: guidOption('tenantId', options.tenantId, DEFAULT_TENANT_ID),
    clientId: guidOption('clientId', options.clientId, DEFAULT_CLIENT_ID),
    clientAppId: guidOption('clientAppId', options.clientAppId, DEFAULT_CLIENT_APP_ID),
    domain: domain.toLowerCase(),
    port,
    clock,
    profile: resolveProfile(options),
  };
}

const NOT_FOUND: Reply = {
  status: 404,
  body: { error: 'not_found', error_description: 'No such endpoint on this issuer.' },
};

/** What an Azure AD B2C tenant serves: a document and a key set per policy, and nothing else. */
function answerB2C(
  route: Route & { kind: 'discovery' | 'jwks' },
  tenant: ResolvedTenant,
  profile: Profile,
  authority: string,
  ring: KeyRing,
): Reply {
  const policy = route.policy === undefined ? undefined : servedPolicy(profile, route.policy);
  if (policy === undefined || tenant.tid === undefined) {
    return {
      status: 404,
      body: {
        error: 'not_found',
        error_description:
          'AADB2C90008: The policy does not exist in this tenant, or the path names no policy.',
      },
    };
  }
  if (route.kind === 'jwks') return { status: 200, body: ring.b2cKeySet() };
  return {
    status: 200,
    body: discoveryB2C(authority, route.tenant, policy, b2cIssuer(authority, profile, tenant.tid, policy)),
  };
}

/**
 * Starts a local Microsoft Entra ID look-alike on 127.0.0.1: v1 and v2 discovery documents and key
 * sets at Entra's paths (for the tenant GUID, its domain, `common`, `organizations`, `consumers`
 * and any other GUID), a token factory, key rotation and fault injection. Two RSA-2048 keys are
 * generated at start (100–250 ms): make one kit per test file, and `close()` it.
 *
 * `flavour: 'b2c'` impersonates an Azure AD B2C tenant (a document and key set per policy, B2C-shaped
 * tokens), `flavour: 'externalId'` an Entra External ID tenant, and `cloud` a national cloud; each
 * kit's `validatorOptions()` has the matching option shape.
 *
 * @example
 * ```ts
 * import { createMockEntra, type MockEntra } from '@org/entra-testing';
 * import { createEntraValidator } from '@org/entra-core';
 *
 * let entra: MockEntra;
 * beforeAll(async () => { entra = await createMockEntra(); });
 * afterAll(() => entra.close());
 *
 * test('accepts a token from the tenant', async () => {
 *   const validator = createEntraValidator(entra.validatorOptions());
 *   const principal = await validator.verify(entra.createToken({ scp: 'Orders.Read' }));
 *   expect(principal.scopes).toEqual(['Orders.Read']);
 * });
 *
 * test('accepts a B2C token', async () => {
 *   await using b2c = await createMockEntra({ flavour: 'b2c', policies: ['B2C_1_signupsignin'] });
 *   const validator = createEntraValidator(b2c.validatorOptions());
 *   expect((await validator.verify(b2c.createToken())).policy).toBe('B2C_1_signupsignin');
 * });
 * ```
 */
export async function createMockEntra<F extends MockFlavour = 'workforce'>(
  options: MockEntraOptions<F> = {},
): Promise<MockEntra<F>> {
  const { tenantId, clientId, clientAppId, domain, port, clock, profile } = checkOptions(options);
  const cloud = CLOUD_PROFILES[profile.cloud];
  // Listen first: a port in use fails at once, before any key is generated.
  const server = await IssuerServer.listen(port);
  let ring: KeyRing;
  try {
    ring = await KeyRing.create(clock());
  } catch (error) {
    await server.close();
    throw error;
  }
  const authority = server.authority;
  const home = { tenantId, domain };
  /** The v2.0 issuer of a tenant (the template for `common` / `organizations`). */
  const issuerV2For = (tid: string | undefined): string =>
    profile.flavour === 'externalId' && tid !== undefined ? externalIdIssuer(tid) : issuerV2(authority, tid);
  const firstPolicy = profile.policies[0] ?? '';
  const issuerFor = (tid: string, version: '1.0' | '2.0'): string =>
    profile.flavour === 'b2c'
      ? b2cIssuer(authority, profile, tid, firstPolicy)
      : version === '1.0' && profile.flavour === 'workforce'
        ? issuerV1(tid, cloud.v1IssuerOrigin)
        : issuerV2For(tid);
  let metadataOverrides: Record<string, unknown> | null = null;
  const tokenContext: TokenContext = {
    authority,
    tenantId,
    domain,
    clientId,
    clientAppId,
    sid: randomGuid(),
    profile,
    cloud,
    nowSeconds: () => Math.floor(clock() / 1000),
  };

  server.serve((route, query) => {
    if (route.kind === 'other') return NOT_FOUND;
    const tenant = resolveTenant(route.tenant, home);
    const own = tenant !== undefined && (profile.flavour === 'workforce' || tenant.tid === tenantId);
    if (tenant === undefined || !own) {
      return { status: 400, body: unknownTenantError(authority, clock(), route.tenant) };
    }
    if (profile.flavour === 'b2c') {
      const reply = answerB2C(route, tenant, profile, authority, ring);
      return route.kind === 'discovery' && reply.status === 200
        ? { status: 200, body: mergeFields(reply.body, metadataOverrides ?? undefined) }
        : reply;
    }
    // Workforce and External ID tenants: no policy segment; External ID serves v2.0 only.
    if (route.policy !== undefined || (profile.flavour === 'externalId' && route.version === '1.0')) {
      return NOT_FOUND;
    }
    if (route.kind === 'jwks') {
      return {
        status: 200,
        body: ring.keySet(route.version === '2.0' ? issuerV2For(tenant.tid) : undefined),
      };
    }
    const appid = query.get('appid');
    const carried = appid === null ? '' : `?appid=${encodeURIComponent(appid)}`;
    const document =
      route.version === '2.0'
        ? discoveryV2(authority, tenant, carried, cloud, issuerV2For(tenant.tid))
        : discoveryV1(authority, tenant, carried, cloud);
    return { status: 200, body: mergeFields(document, metadataOverrides ?? undefined) };
  });

  const close = (): Promise<void> => server.close();

  const entra: MockEntra<MockFlavour> = {
    flavour: profile.flavour,
    cloud: profile.cloud,
    policies: profile.policies,
    authority,
    tenantId,
    clientId,
    clientAppId,
    audience: `api://${clientId}`,
    domain,
    issuer: issuerFor(tenantId, '2.0'),
    issuerV1: issuerFor(tenantId, '1.0'),
    get currentKid() {
      return ring.current.kid;
    },

    issuerFor(tenant: string, version: '1.0' | '2.0' = '2.0'): string {
      const resolved = resolveTenant(tenant, home);
      const tid = resolved === undefined ? tenant : resolved.tid;
      if (tid === undefined)
        return version === '1.0' ? issuerV1(tid, cloud.v1IssuerOrigin) : issuerV2(authority, tid);
      return issuerFor(tid, version);
    },

    createToken(claims: Record<string, unknown> = {}, options: CreateTokenOptions = {}): string {
      checkTokenOptions(claims, options, profile);
      let key = ring.current;
      let kid = key.kid;
      if (options.signWith === 'unpublished') {
        key = ring.unpublished;
        kid = options.kid ?? randomKid();
      } else if (options.kid !== undefined) {
        // A kid the kit does not hold (say, a raw JWK's) goes over the current key's signature.
        key = ring.get(options.kid) ?? ring.current;
        kid = options.kid;
      }
      const header = mergeFields(defaultHeader(options, kid), options.header);
      const payload = mergeFields(defaultClaims(tokenContext, options), claims);
      return signJwt(header, payload, key.privateKey);
    },

    async rotateKeys(options: { keepPrevious?: boolean } = {}): Promise<string> {
      const key = await generateSigningKey({}, clock());
      ring.rotate(key, options.keepPrevious !== false);
      return key.kid;
    },

    async addKey(options = {}): Promise<string> {
      for (const name of Object.keys(options)) {
        if (!ADD_KEY_OPTION_NAMES.has(name)) {
          throw new TypeError(
            `addKey: unknown option '${name}'. Known: ${[...ADD_KEY_OPTION_NAMES].join(', ')}`,
          );
        }
      }
      const key = await generateSigningKey(options, clock());
      ring.add(key);
      return key.kid;
    },

    removeKey(kid: string): void {
      if (!ring.unpublish(kid)) throw new TypeError('removeKey: no key or raw JWK of this kit has that kid');
    },

    addRawJwk(jwk: Record<string, unknown>): void {
      if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
        throw new TypeError('addRawJwk: the JWK must be an object');
      }
      ring.addRaw(jwk);
    },

    setFault(fault, faultOptions) {
      server.setFault(checkFault(fault, faultOptions));
    },

    setMetadataOverrides(overrides: Record<string, unknown> | null): void {
      if (overrides !== null && (typeof overrides !== 'object' || Array.isArray(overrides))) {
        throw new TypeError('setMetadataOverrides: overrides must be an object or null');
      }
      metadataOverrides = overrides === null ? null : { ...overrides };
    },

    requestCount: (path?: string) => server.requestCount(path),
    resetCounts: () => server.resetCounts(),

    validatorOptions<Extra extends object = {}>(extra?: Extra): MockValidatorOptions<MockFlavour> & Extra {
      const own: MockValidatorOptions<MockFlavour> =
        profile.flavour === 'b2c'
          ? { clientId, b2c: { domain: authority, tenantId: domain, policies: [...profile.policies] } }
          : profile.flavour === 'externalId'
            ? { clientId, externalId: { tenantId, domain: authority } }
            : {
                tenantId,
                clientId,
                authority,
                ...(profile.cloud === 'public' ? {} : { cloud: profile.cloud }),
              };
      return { ...own, ...(extra as Extra) };
    },

    jwks: () => (profile.flavour === 'b2c' ? ring.b2cKeySet() : ring.keySet(issuerV2For(tenantId))),

    close,
    [Symbol.asyncDispose]: close,
  };
  return entra as MockEntra<MockFlavour> as MockEntra<F>;
}
