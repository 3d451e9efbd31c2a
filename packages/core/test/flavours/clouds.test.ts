// The national clouds: documents shaped like each cloud's real ones, served through an injected fetch
// at the real host names (nothing leaves the machine), and the kit impersonating each cloud.
import { generateKeyPairSync, sign } from 'node:crypto';
import { createMockEntra } from '@org/entra-testing';
import { describe, expect, test } from 'vitest';
import {
  createEntraValidator,
  type EntraCloud,
  isEntraAuthError,
  requireAuthContext,
} from '../../src/index.js';
import { codeOf, errorOf } from '../helpers.js';

const TENANT = '6f0c3c2a-4b1e-4d8f-9a57-3c2b1d0e9f11';
const OTHER = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const CLIENT = 'b8a4d1e2-7c3f-4e9a-8b6d-2f1e0c9a7b53';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEY = {
  kty: 'RSA',
  use: 'sig',
  kid: 'cloud-kid',
  x5t: 'cloud-kid',
  ...publicKey.export({ format: 'jwk' }),
};

interface CloudFacts {
  /** Where the documents are served (an authority or one of its aliases). */
  documentHost: string;
  /** Where the v2.0 issuer is. */
  issuerHost: string;
  v1IssuerHost: string;
  instance: string;
  msgraph: string;
}

const FACTS: Record<'usgov' | 'china' | 'chinaAlias', CloudFacts> = {
  usgov: {
    documentHost: 'login.microsoftonline.us',
    issuerHost: 'login.microsoftonline.us',
    v1IssuerHost: 'sts.windows.net',
    instance: 'microsoftonline.us',
    msgraph: 'graph.microsoft.us',
  },
  china: {
    documentHost: 'login.partner.microsoftonline.cn',
    issuerHost: 'login.partner.microsoftonline.cn',
    v1IssuerHost: 'sts.chinacloudapi.cn',
    instance: 'chinacloudapi.cn',
    msgraph: 'microsoftgraph.chinacloudapi.cn',
  },
  // MSAL's China authority: the documents are served by login.chinacloudapi.cn and announce an
  // issuer on login.partner.microsoftonline.cn (MSAL.js AuthorityMetadata.ts).
  chinaAlias: {
    documentHost: 'login.chinacloudapi.cn',
    issuerHost: 'login.partner.microsoftonline.cn',
    v1IssuerHost: 'sts.chinacloudapi.cn',
    instance: 'chinacloudapi.cn',
    msgraph: 'microsoftgraph.chinacloudapi.cn',
  },
};

/** A cloud's v2 and v1 documents and key sets for `segment` (a tenant or `organizations`). */
function cloudRoutes(f: CloudFacts, segment: string, tid: string): Record<string, unknown> {
  const base = `https://${f.documentHost}/${segment}`;
  const fields = { cloud_instance_name: f.instance, msgraph_host: f.msgraph };
  return {
    [`${base}/v2.0/.well-known/openid-configuration`]: {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      issuer: `https://${f.issuerHost}/${tid}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      ...fields,
    },
    [`${base}/discovery/v2.0/keys`]: { keys: [{ ...KEY, issuer: `https://${f.issuerHost}/${tid}/v2.0` }] },
    [`${base}/.well-known/openid-configuration`]: {
      token_endpoint: `${base}/oauth2/token`,
      jwks_uri: `https://${f.documentHost}/common/discovery/keys`,
      issuer: `https://${f.v1IssuerHost}/${tid}/`,
      authorization_endpoint: `${base}/oauth2/authorize`,
      ...fields,
    },
  };
}

function serve(routes: Record<string, unknown>) {
  const seen: string[] = [];
  const fetch = async (url: string) => {
    seen.push(url);
    const body = routes[url];
    return body === undefined ? new Response('not found', { status: 404 }) : Response.json(body);
  };
  return { fetch, seen };
}

function mint(claims: Record<string, unknown>) {
  const now = Math.floor(Date.now() / 1000);
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const h = b64({ typ: 'JWT', alg: 'RS256', kid: KEY.kid });
  const p = b64({
    aud: CLIENT,
    iat: now,
    nbf: now,
    exp: now + 3600,
    oid: '2e8f0c1a-5d4b-4a3e-9c7f-8b6a5d4c3e21',
    sub: 'pairwise',
    azp: 'c3d2e1f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
    scp: 'Orders.Read',
    tid: TENANT,
    ver: '2.0',
    ...claims,
  });
  return `${h}.${p}.${sign('sha256', Buffer.from(`${h}.${p}`), privateKey).toString('base64url')}`;
}

const v2 = (f: CloudFacts, tid = TENANT) => mint({ iss: `https://${f.issuerHost}/${tid}/v2.0`, tid });
const v1 = (f: CloudFacts, tid = TENANT) =>
  mint({
    iss: `https://${f.v1IssuerHost}/${tid}/`,
    tid,
    ver: '1.0',
    aud: `api://${CLIENT}`,
    azp: undefined,
    appid: 'c',
  });

describe.each([
  ['usgov', 'usgov', undefined, FACTS.usgov],
  ['china', 'china', undefined, FACTS.china],
  ['china through its MSAL authority', undefined, 'https://login.chinacloudapi.cn', FACTS.chinaAlias],
  [
    'china, an MSAL authority naming the tenant',
    undefined,
    `https://login.chinacloudapi.cn/${TENANT}/v2.0`,
    FACTS.chinaAlias,
  ],
] as const)('%s', (_name, cloud, authority, facts) => {
  const options = () => {
    const { fetch, seen } = serve(cloudRoutes(facts, TENANT, TENANT));
    const validator = createEntraValidator({
      tenantId: TENANT,
      clientId: CLIENT,
      ...(cloud === undefined ? {} : { cloud: cloud as EntraCloud }),
      ...(authority === undefined ? {} : { authority }),
      fetch,
    });
    return { validator, seen };
  };

  test('v2 and v1 tokens verify; every request goes to the cloud’s own document host', async () => {
    const { validator, seen } = options();
    expect(validator.config.authority).toBe(`https://${facts.documentHost}`);
    expect((await validator.verify(v2(facts))).tenantId).toBe(TENANT);
    expect((await validator.verify(v1(facts))).tokenVersion).toBe('1.0');
    expect(seen.length).toBe(3);
    for (const url of seen) expect(new URL(url).host).toBe(facts.documentHost);
    validator.close();
  });

  test('issuers of the public cloud, of another tenant, or of another cloud’s v1 host are refused', async () => {
    const { validator } = options();
    const publicIssuer = mint({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0` });
    const otherTenant = v2(facts, OTHER);
    const otherV1 = mint({
      iss: `https://${facts.v1IssuerHost === 'sts.windows.net' ? 'sts.chinacloudapi.cn' : 'sts.windows.net'}/${TENANT}/`,
      ver: '1.0',
      aud: `api://${CLIENT}`,
    });
    for (const token of [publicIssuer, otherTenant, otherV1]) {
      const e = await errorOf(validator.verify(token));
      expect([e.code, e.check]).toEqual(['invalid_issuer', 'iss']);
    }
    validator.close();
  });

  test('a claims challenge names the cloud’s own authorize endpoint', async () => {
    const { validator } = options();
    const principal = await validator.verify(v2(facts, TENANT));
    const withCp1 = await validator.verify(
      mint({ iss: `https://${facts.issuerHost}/${TENANT}/v2.0`, xms_cc: ['cp1'] }),
    );
    expect(() => requireAuthContext(principal, 'c1')).toThrow(
      expect.objectContaining({ code: 'insufficient_scope' }),
    );
    try {
      requireAuthContext(withCp1, 'c1');
      expect.unreachable();
    } catch (e) {
      expect(isEntraAuthError(e) && e.wwwAuthenticate).toContain(
        `authorization_uri="https://${facts.documentHost}/common/oauth2/authorize"`,
      );
    }
    validator.close();
  });

  test('Microsoft Graph tokens of this cloud are recognised before any request', async () => {
    const { validator, seen } = options();
    const graph = mint({
      iss: `https://${facts.v1IssuerHost}/${TENANT}/`,
      aud: `https://${facts.msgraph}`,
      ver: '1.0',
    });
    const e = await errorOf(validator.verify(graph));
    expect([e.code, e.check]).toEqual(['foreign_token', 'foreign']);
    expect(seen).toEqual([]);
    validator.close();
  });
});

describe('China, multi-tenant', () => {
  test('organizations: the partner-host template; documents from the MSAL host', async () => {
    const routes = cloudRoutes(FACTS.chinaAlias, 'organizations', '{tenantid}');
    const { fetch } = serve(routes);
    const validator = createEntraValidator({
      tenantId: 'organizations',
      authority: 'https://login.chinacloudapi.cn',
      allowAnyTenant: true,
      clientId: CLIENT,
      fetch,
    });
    expect((await validator.verify(v2(FACTS.chinaAlias, OTHER))).tenantId).toBe(OTHER);
    expect(
      await codeOf(
        validator.verify(mint({ iss: `https://login.microsoftonline.com/${OTHER}/v2.0`, tid: OTHER })),
      ),
    ).toBe('invalid_issuer');
    validator.close();
  });

  test('a China document announcing a public-cloud issuer is a configuration error', async () => {
    const routes = cloudRoutes(FACTS.china, TENANT, TENANT);
    const url = `https://login.partner.microsoftonline.cn/${TENANT}/v2.0/.well-known/openid-configuration`;
    routes[url] = { ...(routes[url] as object), issuer: `https://login.microsoftonline.com/${TENANT}/v2.0` };
    const validator = createEntraValidator({
      tenantId: TENANT,
      clientId: CLIENT,
      cloud: 'china',
      fetch: serve(routes).fetch,
    });
    await expect(validator.warmUp()).rejects.toThrow(
      /another tenant or authority: check tenantId, cloud and authority/,
    );
  });
});

describe('the kit impersonating a national cloud', () => {
  test.each([
    ['usgov', 'https://sts.windows.net', 'https://graph.microsoft.us'],
    ['china', 'https://sts.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn'],
  ] as const)('%s: v1 issuer on %s, Graph at %s', async (cloud, v1Host, graph) => {
    await using kit = await createMockEntra({ cloud });
    expect(kit.validatorOptions()).toEqual({
      tenantId: kit.tenantId,
      clientId: kit.clientId,
      authority: kit.authority,
      cloud,
    });
    expect(kit.issuerV1).toBe(`${v1Host}/${kit.tenantId}/`);
    const validator = createEntraValidator(kit.validatorOptions());
    expect(await codeOf(validator.verify(kit.createToken()))).toBe('ok');
    expect(await codeOf(validator.verify(kit.createToken({}, { version: '1.0' })))).toBe('ok');
    expect(await codeOf(validator.verify(kit.createToken({}, { version: '1.0', kind: 'guest' })))).toBe('ok');
    const graphToken = kit.createToken({}, { version: '1.0', kind: 'graph' });
    expect(JSON.parse(Buffer.from(graphToken.split('.')[1] as string, 'base64url').toString()).aud).toBe(
      graph,
    );
    expect(await codeOf(validator.verify(graphToken))).toBe('foreign_token');
    // A v1 token from the public cloud's host is another authority's.
    const publicV1 = kit.createToken({ iss: `https://sts.windows.net/${kit.tenantId}/` }, { version: '1.0' });
    expect(await codeOf(validator.verify(publicV1))).toBe(cloud === 'usgov' ? 'ok' : 'invalid_issuer');
    validator.close();
  });
});
