// Entra's real discovery documents and key set, served through an injected fetch: the validator
// must read them as they are (templated issuers, x5c, per-key issuer, consumers-pinned keys).
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createEntraValidator, type EntraEvent } from '../src/index.js';
import { codeOf } from './helpers.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const V2_COMMON = fixture('metadata-v2-common.json');
const V1_COMMON = fixture('metadata-v1-common.json');
const V2_TENANT = fixture('metadata-v2-tenant.json');
const JWKS = fixture('jwks-v2-common.json');
const MS_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = 'b8a4d1e2-7c3f-4e9a-8b6d-2f1e0c9a7b53';

// One extra key of ours, published next to the real ones under the real templated issuer, so that
// tokens can be minted; the real keys prove that parsing Entra's own entries works.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ours = {
  ...publicKey.export({ format: 'jwk' }),
  kid: 'test-kid',
  use: 'sig',
  issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
};

function serve(routes: Record<string, unknown>) {
  const seen: string[] = [];
  const fetch = async (url: string) => {
    seen.push(url);
    const body = routes[url];
    return body === undefined ? new Response('not found', { status: 404 }) : Response.json(body);
  };
  return { fetch, seen };
}

function mint(claims: Record<string, unknown>, kid = 'test-kid') {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const h = b64({ typ: 'JWT', alg: 'RS256', kid });
  const p = b64({
    aud: CLIENT,
    iat: now,
    nbf: now,
    exp: now + 3600,
    oid: 'o',
    sub: 's',
    azp: 'c',
    scp: 'x',
    ver: '2.0',
    ...claims,
  });
  return `${h}.${p}.${sign('sha256', Buffer.from(`${h}.${p}`), privateKey).toString('base64url')}`;
}

describe('real Entra documents', () => {
  test('common: every real key is usable, the templated issuer is understood', async () => {
    const { fetch, seen } = serve({
      'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration': V2_COMMON,
      'https://login.microsoftonline.com/common/discovery/v2.0/keys': { keys: [...JWKS.keys, ours] },
      'https://login.microsoftonline.com/common/.well-known/openid-configuration': V1_COMMON,
    });
    const events: EntraEvent[] = [];
    const v = createEntraValidator({
      tenantId: 'common',
      clientId: CLIENT,
      allowAnyTenant: true,
      fetch,
      onEvent: (e) => events.push(e),
    });
    await v.warmUp();
    expect(events.find((e) => e.type === 'keys_fetched')).toMatchObject({
      keyCount: JWKS.keys.length + 1,
      ignoredCount: 0,
    });
    const p = await v.verify(
      mint({ iss: `https://login.microsoftonline.com/${MS_TENANT}/v2.0`, tid: MS_TENANT }),
    );
    expect(p.tenantId).toBe(MS_TENANT);
    const v1 = await v.verify(
      mint({
        iss: `https://sts.windows.net/${MS_TENANT}/`,
        tid: MS_TENANT,
        ver: '1.0',
        aud: `api://${CLIENT}`,
      }),
    );
    expect(v1.tokenVersion).toBe('1.0');
    expect(seen).toHaveLength(3);
  });

  test('a real key pinned to the consumers tenant never verifies a work or school token', async () => {
    const consumerKid = JWKS.keys.find((k: { issuer: string }) => k.issuer.includes('9188040d'))
      ?.kid as string;
    const pinned = {
      ...ours,
      kid: consumerKid,
      issuer: JWKS.keys.find((k: { kid: string }) => k.kid === consumerKid).issuer,
    };
    const { fetch } = serve({
      'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration': V2_COMMON,
      'https://login.microsoftonline.com/common/discovery/v2.0/keys': { keys: [pinned] },
    });
    const v = createEntraValidator({ tenantId: 'common', clientId: CLIENT, allowAnyTenant: true, fetch });
    const work = mint(
      { iss: `https://login.microsoftonline.com/${MS_TENANT}/v2.0`, tid: MS_TENANT },
      consumerKid,
    );
    expect(await codeOf(v.verify(work))).toBe('invalid_issuer');
    const consumers = '9188040d-6c67-4c5b-b112-36a304b66dad';
    const msa = mint(
      { iss: `https://login.microsoftonline.com/${consumers}/v2.0`, tid: consumers },
      consumerKid,
    );
    expect(await codeOf(v.verify(msa))).toBe('ok');
  });

  test('a tenant document: its issuer must name the tenant asked for', async () => {
    const routes = {
      [`https://login.microsoftonline.com/${MS_TENANT}/v2.0/.well-known/openid-configuration`]: V2_TENANT,
      [`https://login.microsoftonline.com/${MS_TENANT}/discovery/v2.0/keys`]: { keys: [ours] },
    };
    const good = createEntraValidator({ tenantId: MS_TENANT, clientId: CLIENT, fetch: serve(routes).fetch });
    await good.warmUp();
    expect(
      await codeOf(
        good.verify(mint({ iss: `https://login.microsoftonline.com/${MS_TENANT}/v2.0`, tid: MS_TENANT })),
      ),
    ).toBe('ok');
    // The same document fetched for a domain: the GUID is learned from it.
    const byDomain = createEntraValidator({
      tenantId: 'microsoft.onmicrosoft.com',
      clientId: CLIENT,
      fetch: serve({
        'https://login.microsoftonline.com/microsoft.onmicrosoft.com/v2.0/.well-known/openid-configuration':
          V2_TENANT,
        [`https://login.microsoftonline.com/${MS_TENANT}/discovery/v2.0/keys`]: { keys: [ours] },
      }).fetch,
    });
    expect(
      await codeOf(
        byDomain.verify(mint({ iss: `https://login.microsoftonline.com/${MS_TENANT}/v2.0`, tid: MS_TENANT })),
      ),
    ).toBe('ok');
    // Served for another tenant id, the document is refused.
    const other = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
    const wrong = createEntraValidator({
      tenantId: other,
      clientId: CLIENT,
      fetch: serve({
        [`https://login.microsoftonline.com/${other}/v2.0/.well-known/openid-configuration`]: V2_TENANT,
      }).fetch,
    });
    await expect(wrong.warmUp()).rejects.toThrow(/another tenant or authority/);
  });

  test('the US Government cloud refuses a public-cloud document', async () => {
    const v = createEntraValidator({
      tenantId: 'common',
      clientId: CLIENT,
      allowAnyTenant: true,
      cloud: 'usgov',
      fetch: serve({
        'https://login.microsoftonline.us/common/v2.0/.well-known/openid-configuration': V2_COMMON,
      }).fetch,
    });
    await expect(v.warmUp()).rejects.toThrow(/another tenant or authority/);
  });
});
