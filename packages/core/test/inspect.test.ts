import { describe, expect, test } from 'vitest';
import { b2cPolicyOf, classifyToken, decodeTokenUnverified, microsoftServiceName } from '../src/index.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const token = (header: object, payload: object) => `${b64(header)}.${b64(payload)}.sig`;

describe('decodeTokenUnverified', () => {
  test('decodes header and payload, verifying nothing', () => {
    expect(decodeTokenUnverified(token({ alg: 'RS256' }, { aud: 'x' }))).toEqual({
      header: { alg: 'RS256' },
      payload: { aud: 'x' },
    });
  });
  test.each([['a.b'], ['a.b.c.d'], [`${b64([])}.${b64({})}.s`], [`${b64({})}.${b64({})}=.s`], [42 as never]])(
    'refuses %j',
    (t) => {
      expect(decodeTokenUnverified(t)).toBeUndefined();
    },
  );
});

describe('b2cPolicyOf', () => {
  test.each([
    ['B2C_1_signupsignin', { tfp: 'B2C_1_signupsignin' }],
    ['b2c_1a_signin', { acr: 'b2c_1a_signin' }],
    ['B2C_1_new', { tfp: 'B2C_1_new', acr: 'b2c_1_old' }],
    [undefined, { acr: '1' }],
    [undefined, { acr: 'b2c_1_' }],
    [undefined, { tfp: 42 }],
    [undefined, JSON.parse('{"__proto__":{"tfp":"B2C_1_x"}}')],
  ])('%s from %j', (policy, payload) => {
    expect(b2cPolicyOf(payload)).toBe(policy);
  });
});

describe('classifyToken', () => {
  const access = { aud: 'api://x', azp: 'c', scp: 'a' };
  test.each([
    ['access_token', {}, access],
    ['graph_token', { nonce: 'n' }, access],
    ['graph_token', {}, { ...access, aud: 'https://graph.microsoft.com' }],
    ['id_token', {}, { aud: 'c', nonce: 'n' }],
    ['id_token', {}, { aud: 'c' }],
    ['microsoft_resource_token', {}, { ...access, aud: 'https://management.azure.com/' }],
    // Azure AD B2C access tokens carry the sign-in's nonce; its ID tokens have no scp or azp.
    ['access_token', {}, { ...access, tfp: 'B2C_1_signupsignin', nonce: 'n' }],
    ['id_token', {}, { aud: 'c', tfp: 'B2C_1_signupsignin', nonce: 'n' }],
    // Older B2C policies name themselves in acr; a workforce v1 token's acr ("1") is no policy.
    ['access_token', {}, { ...access, acr: 'b2c_1_signin', nonce: 'n' }],
    ['id_token', {}, { ...access, acr: '1', nonce: 'n' }],
  ])('%s %j', (kind, header, payload) => {
    const decoded = decodeTokenUnverified(token(header, payload));
    expect(decoded && classifyToken(decoded)).toBe(kind);
  });
});

test('microsoftServiceName names the service a token was issued for', () => {
  expect(microsoftServiceName('00000003-0000-0000-c000-000000000000')).toBe('Microsoft Graph');
  expect(microsoftServiceName('https://management.azure.com/')).toBe('Azure Resource Manager');
  expect(microsoftServiceName('api://orders')).toBeUndefined();
  expect(microsoftServiceName(42)).toBeUndefined();
});
