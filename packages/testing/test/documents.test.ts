import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createMockEntra, type MockEntra } from '../src/index.js';
import {
  CONSUMERS,
  getJson,
  OTHER_TENANT,
  v1DiscoveryPath,
  v1KeysPath,
  v2DiscoveryPath,
  v2KeysPath,
} from './http.js';

// The kit's documented defaults.
const TENANT = '6f0c3c2a-4b1e-4d8f-9a57-3c2b1d0e9f11';
const DOMAIN = 'contoso.onmicrosoft.com';

let entra: MockEntra;
beforeAll(async () => {
  entra = await createMockEntra();
});
afterAll(() => entra.close());
afterEach(() => entra.setMetadataOverrides(null));

test('the defaults', () => {
  expect(entra.tenantId).toBe(TENANT);
  expect(entra.domain).toBe(DOMAIN);
  expect(entra.clientId).toBe('b8a4d1e2-7c3f-4e9a-8b6d-2f1e0c9a7b53');
  expect(entra.clientAppId).toBe('c3d2e1f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f');
  expect(entra.authority).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});

// Field order of Entra's own documents (fixtures/entra/metadata-v2-tenant.json, metadata-v1-common.json).
const V2_FIELDS = [
  'token_endpoint',
  'token_endpoint_auth_methods_supported',
  'jwks_uri',
  'response_modes_supported',
  'subject_types_supported',
  'id_token_signing_alg_values_supported',
  'response_types_supported',
  'scopes_supported',
  'issuer',
  'request_uri_parameter_supported',
  'userinfo_endpoint',
  'authorization_endpoint',
  'device_authorization_endpoint',
  'http_logout_supported',
  'frontchannel_logout_supported',
  'end_session_endpoint',
  'claims_supported',
  'kerberos_endpoint',
  'tenant_region_scope',
  'cloud_instance_name',
  'cloud_graph_host_name',
  'msgraph_host',
  'rbac_url',
];
const V1_FIELDS = [
  'token_endpoint',
  'token_endpoint_auth_methods_supported',
  'jwks_uri',
  'response_modes_supported',
  'subject_types_supported',
  'id_token_signing_alg_values_supported',
  'response_types_supported',
  'scopes_supported',
  'issuer',
  'microsoft_multi_refresh_token',
  'authorization_endpoint',
  'device_authorization_endpoint',
  'http_logout_supported',
  'frontchannel_logout_supported',
  'end_session_endpoint',
  'claims_supported',
  'check_session_iframe',
  'userinfo_endpoint',
  'kerberos_endpoint',
  'tenant_region_scope',
  'cloud_instance_name',
  'cloud_graph_host_name',
  'msgraph_host',
  'rbac_url',
];

describe('v2.0 discovery', () => {
  test.each([
    // [path segment, tenant in the issuer, tenant segment of the endpoints]
    ['the tenant GUID', TENANT, TENANT, TENANT],
    ['the verified domain', DOMAIN, TENANT, TENANT],
    ['the domain in capitals', DOMAIN.toUpperCase(), TENANT, TENANT],
    ['common', 'common', '{tenantid}', 'common'],
    ['organizations', 'organizations', '{tenantid}', 'organizations'],
    ['consumers', 'consumers', CONSUMERS, 'consumers'],
    ['another GUID', OTHER_TENANT, OTHER_TENANT, OTHER_TENANT],
  ])('%s: issuer and endpoints', async (_name, segment, tid, urlSegment) => {
    const doc = await getJson(entra, v2DiscoveryPath(segment));
    const a = entra.authority;
    expect(doc.issuer).toBe(`${a}/${tid}/v2.0`);
    expect(doc.jwks_uri).toBe(`${a}/${urlSegment}/discovery/v2.0/keys`);
    expect(doc.token_endpoint).toBe(`${a}/${urlSegment}/oauth2/v2.0/token`);
    expect(doc.authorization_endpoint).toBe(`${a}/${urlSegment}/oauth2/v2.0/authorize`);
    expect(doc.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(doc.tenant_region_scope).toBe(tid === TENANT || tid === OTHER_TENANT ? 'WW' : null);
  });

  test('has the fields of a real Entra document, in order, with every endpoint on the authority', async () => {
    const doc = await getJson(entra, v2DiscoveryPath(entra.tenantId));
    expect(Object.keys(doc)).toEqual(V2_FIELDS);
    expect(doc.subject_types_supported).toEqual(['pairwise']);
    expect(doc.scopes_supported).toEqual(['openid', 'profile', 'email', 'offline_access']);
    expect(doc.claims_supported).toContain('tid');
    const urls = Object.entries(doc).filter(([k]) => /_endpoint$|_uri$|_iframe$/.test(k));
    expect(urls.length).toBeGreaterThanOrEqual(6);
    for (const [field, url] of urls) expect(url, field).toMatch(new RegExp(`^${entra.authority}/`));
  });

  test('entra.issuer is what the tenant document announces', async () => {
    expect((await getJson(entra, v2DiscoveryPath(entra.tenantId))).issuer).toBe(entra.issuer);
    expect(entra.issuer).toBe(`${entra.authority}/${entra.tenantId}/v2.0`);
  });
});

describe('v1.0 discovery', () => {
  test.each([
    ['tenant GUID', TENANT, TENANT, TENANT],
    ['domain', DOMAIN, TENANT, TENANT],
    ['common', 'common', '{tenantid}', 'common'],
    ['organizations', 'organizations', '{tenantid}', 'organizations'],
    ['consumers', 'consumers', CONSUMERS, 'consumers'],
  ])('%s: sts.windows.net issuer, the common v1 key set', async (_name, segment, tid, urlSegment) => {
    const doc = await getJson(entra, v1DiscoveryPath(segment));
    expect(doc.issuer).toBe(`https://sts.windows.net/${tid}/`);
    expect(doc.jwks_uri).toBe(`${entra.authority}/common/discovery/keys`);
    expect(doc.token_endpoint).toBe(`${entra.authority}/${urlSegment}/oauth2/token`);
  });

  test('has the fields of a real Entra v1 document, in order', async () => {
    const doc = await getJson(entra, v1DiscoveryPath(entra.tenantId));
    expect(Object.keys(doc)).toEqual(V1_FIELDS);
    expect(doc.issuer).toBe(entra.issuerV1);
    expect(doc.microsoft_multi_refresh_token).toBe(true);
    expect(doc.response_types_supported).toContain('token');
  });
});

describe('HTTP behaviour', () => {
  test('JSON with charset and an exact content-length', async () => {
    const response = await fetch(`${entra.authority}${v2KeysPath(entra.tenantId)}`);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
    expect(response.headers.get('cache-control')).toBe('max-age=86400, private');
  });

  test('query strings are accepted; ?appid= is carried into jwks_uri as Entra does', async () => {
    const appid = entra.clientId;
    const v2 = await getJson(entra, `${v2DiscoveryPath(entra.tenantId)}?appid=${appid}`);
    expect(v2.jwks_uri).toBe(`${entra.authority}${v2KeysPath(entra.tenantId)}?appid=${appid}`);
    const v1 = await getJson(entra, `${v1DiscoveryPath(entra.tenantId)}?appid=${appid}`);
    expect(v1.jwks_uri).toBe(`${entra.authority}/common/discovery/keys?appid=${appid}`);
    const keys = await getJson(entra, `${v2KeysPath(entra.tenantId)}?appid=${appid}&x=1`);
    expect(keys).toEqual(entra.jwks());
    const plain = await getJson(entra, `${v2DiscoveryPath(entra.tenantId)}?x-client-SKU=test`);
    expect(plain.jwks_uri).toBe(`${entra.authority}${v2KeysPath(entra.tenantId)}`);
  });

  test('an unknown tenant name: 400 with an Entra AADSTS90002 error', async () => {
    for (const path of [v2DiscoveryPath('fabrikam.example'), v1KeysPath('not-a-tenant')]) {
      const response = await fetch(`${entra.authority}${path}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const body = (await response.json()) as Record<string, any>;
      expect(body.error).toBe('invalid_tenant');
      expect(body.error_description).toMatch(/^AADSTS90002: Tenant '[^']+' not found\./);
      expect(body.error_codes).toEqual([90002]);
      expect(body.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  test('unknown paths: 404; other methods: 405; HEAD: headers only', async () => {
    for (const path of [
      '/',
      '/x',
      `/${entra.tenantId}/v2.0/.well-known/nope`,
      `/${entra.tenantId}/oauth2/v2.0/token`,
    ]) {
      expect((await fetch(`${entra.authority}${path}`)).status, path).toBe(404);
    }
    const post = await fetch(`${entra.authority}${v2DiscoveryPath(entra.tenantId)}`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${entra.authority}${v2DiscoveryPath(entra.tenantId)}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(1000);
    expect(await head.text()).toBe('');
  });

  test('a path that starts with // is a path, not a host', async () => {
    const response = await fetch(`${entra.authority}//evil.example/${entra.tenantId}/discovery/v2.0/keys`);
    expect(response.status).toBe(404);
    expect(entra.requestCount(`//evil.example/${entra.tenantId}/discovery/v2.0/keys`)).toBe(1);
  });

  test('an override that cannot be serialized fails that request with a 500, not the server', async () => {
    entra.setMetadataOverrides({ broken: 10n });
    expect((await fetch(`${entra.authority}${v2DiscoveryPath(entra.tenantId)}`)).status).toBe(500);
    entra.setMetadataOverrides(null);
    expect((await getJson(entra, v2DiscoveryPath(entra.tenantId))).issuer).toBe(entra.issuer);
  });

  test('metadata overrides are merged over every discovery document, and removed with null', async () => {
    entra.setMetadataOverrides({
      jwks_uri: 'http://127.0.0.2:9/keys',
      extra: 1,
      claims_supported: undefined,
    });
    for (const path of [v2DiscoveryPath(entra.tenantId), v1DiscoveryPath('common')]) {
      const doc = await getJson(entra, path);
      expect(doc.jwks_uri).toBe('http://127.0.0.2:9/keys');
      expect(doc.extra).toBe(1);
      expect(doc).not.toHaveProperty('claims_supported');
      expect(Object.keys(doc)[0]).toBe('token_endpoint');
    }
    expect((await getJson(entra, v2KeysPath(entra.tenantId))).keys.length).toBeGreaterThan(0);
    entra.setMetadataOverrides(null);
    expect((await getJson(entra, v2DiscoveryPath(entra.tenantId))).jwks_uri).toBe(
      `${entra.authority}${v2KeysPath(entra.tenantId)}`,
    );
  });
});

describe('key sets', () => {
  test('v2: Entra-shaped RSA keys with the tenant path issuer', async () => {
    const set = await getJson(entra, v2KeysPath(entra.tenantId));
    expect(set.keys).toHaveLength(1);
    const [key] = set.keys;
    expect(Object.keys(key)).toEqual(['kty', 'use', 'kid', 'x5t', 'n', 'e', 'x5c', 'issuer']);
    expect(key).toMatchObject({
      kty: 'RSA',
      use: 'sig',
      kid: entra.currentKid,
      x5t: entra.currentKid,
      e: 'AQAB',
    });
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(Buffer.from(key.n, 'base64url').length).toBe(256);
    expect(key.issuer).toBe(entra.issuer);
    expect(set).toEqual(entra.jwks());
  });

  test.each([
    ['common', '{tenantid}'],
    ['organizations', '{tenantid}'],
    ['consumers', CONSUMERS],
  ])('v2 on %s: issuer %s', async (segment, tid) => {
    const set = await getJson(entra, v2KeysPath(segment));
    expect(set.keys.map((k: any) => k.issuer)).toEqual([`${entra.authority}/${tid}/v2.0`]);
  });

  test('v2 on the domain and on another GUID: that tenant GUID', async () => {
    expect((await getJson(entra, v2KeysPath(entra.domain))).keys[0].issuer).toBe(entra.issuer);
    expect((await getJson(entra, v2KeysPath(OTHER_TENANT))).keys[0].issuer).toBe(
      entra.issuerFor(OTHER_TENANT),
    );
  });

  test('v1: the same keys without an issuer property', async () => {
    const v2 = await getJson(entra, v2KeysPath(entra.tenantId));
    for (const segment of [entra.tenantId, 'common', 'organizations']) {
      const v1 = await getJson(entra, v1KeysPath(segment));
      expect(v1.keys.map((k: any) => k.kid)).toEqual(v2.keys.map((k: any) => k.kid));
      for (const key of v1.keys) expect(key).not.toHaveProperty('issuer');
      const { issuer: _issuer, ...rest } = v2.keys[0];
      expect(v1.keys[0]).toEqual(rest);
    }
  });

  test('x5c is a self-signed certificate of the key; kid and x5t are its SHA-1 thumbprint', async () => {
    const [key] = (await getJson(entra, v2KeysPath(entra.tenantId))).keys;
    const der = Buffer.from(key.x5c[0], 'base64');
    const certificate = new X509Certificate(der);
    expect(certificate.subject).toBe('CN=accounts.accesscontrol.windows.net');
    expect(certificate.issuer).toBe(certificate.subject);
    expect(createHash('sha1').update(der).digest('base64url')).toBe(key.kid);
    expect(
      certificate.publicKey.equals(
        createPublicKey({ key: { kty: 'RSA', n: key.n, e: key.e }, format: 'jwk' }),
      ),
    ).toBe(true);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    const years =
      (Date.parse(certificate.validTo) - Date.parse(certificate.validFrom)) / (365.25 * 86400_000);
    expect(Math.round(years)).toBe(5);
  });
});

describe('issuerFor', () => {
  test('the issuer discovery announces for a tenant segment, v2 or v1', () => {
    const a = entra.authority;
    expect(entra.issuerFor(OTHER_TENANT)).toBe(`${a}/${OTHER_TENANT}/v2.0`);
    expect(entra.issuerFor(OTHER_TENANT, '1.0')).toBe(`https://sts.windows.net/${OTHER_TENANT}/`);
    expect(entra.issuerFor(entra.domain)).toBe(entra.issuer);
    expect(entra.issuerFor(entra.tenantId, '1.0')).toBe(entra.issuerV1);
    expect(entra.issuerFor('consumers')).toBe(`${a}/${CONSUMERS}/v2.0`);
    expect(entra.issuerFor('organizations')).toBe(`${a}/{tenantid}/v2.0`);
    expect(entra.issuerFor('common', '1.0')).toBe('https://sts.windows.net/{tenantid}/');
  });
});
