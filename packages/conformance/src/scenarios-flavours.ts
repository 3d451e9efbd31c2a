/**
 * Scenarios for an app given a combined validator (`combineValidators`): a workforce tenant, an Azure
 * AD B2C tenant and an Entra External ID tenant behind one API. Each kind of token is answered by its
 * own validator; a token of an issuer none of them trusts is refused.
 */
import {
  type AppKind,
  challengeOf,
  insufficient,
  invalidToken,
  type Kits,
  OTHER_TENANT,
  type Scenario,
} from './scenario.js';

const app: AppKind = 'combined';
const bearer =
  (token: (kits: Kits) => string) =>
  (_kit: unknown, kits: Kits): Record<string, string> => ({ authorization: `Bearer ${token(kits)}` });

export const FLAVOUR_SCENARIOS: readonly Scenario[] = [
  // Each authority's tokens, accepted by its validator
  {
    name: 'combined: workforce v2 token',
    app,
    path: '/me',
    headers: bearer((k) => k.workforce.createToken()),
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
  {
    name: 'combined: workforce v1 token',
    app,
    path: '/me',
    headers: bearer((k) => k.workforce.createToken({}, { version: '1.0' })),
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
  {
    name: 'combined: workforce app-only token on an app-only route',
    app,
    path: '/app-only',
    headers: bearer((k) => k.workforce.createToken({ roles: ['Orders.Export'] }, { kind: 'app' })),
    expect: { status: 200, principal: 'token', isAppOnly: true },
  },
  {
    name: 'combined: B2C token (ver 1.0, no tid, a nonce)',
    app,
    path: '/me',
    headers: bearer((k) => k.b2c.createToken()),
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
  {
    name: 'combined: B2C token with the scope a route requires',
    app,
    path: '/orders',
    headers: bearer((k) => k.b2c.createToken({ scp: 'Orders.Read' })),
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
  {
    name: 'combined: B2C token of another policy of the API',
    app,
    path: '/me',
    headers: bearer((k) => k.b2c.createToken({}, { policy: 'B2C_1_passwordreset' })),
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
  {
    name: 'combined: External ID token',
    app,
    path: '/me',
    headers: bearer((k) => k.externalId.createToken()),
    expect: { status: 200, principal: 'token', isAppOnly: false },
  },
  {
    name: 'combined: External ID app-only token on an app-only route',
    app,
    path: '/app-only',
    headers: bearer((k) => k.externalId.createToken({}, { kind: 'app' })),
    expect: { status: 200, principal: 'token', isAppOnly: true },
  },
  // Refusals: the validator chosen by the issuer decides
  {
    name: 'combined: B2C token without the scope a route requires',
    app,
    path: '/orders',
    headers: bearer((k) => k.b2c.createToken({ scp: 'User.Read' })),
    expect: {
      status: 403,
      error: 'insufficient_scope',
      challenge: challengeOf('insufficient_scope', ', scope="Orders.Read"'),
    },
  },
  {
    name: 'combined: B2C token of a policy the API does not accept',
    app,
    path: '/me',
    headers: bearer((k) => k.b2c.createToken({}, { policy: 'B2C_1_someone_else' })),
    expect: {
      status: 401,
      error: 'invalid_issuer',
      challenge: invalidToken,
      description: 'The access token comes from an Azure AD B2C policy this API does not accept',
    },
  },
  {
    name: 'combined: B2C token naming no policy',
    app,
    path: '/me',
    headers: bearer((k) => k.b2c.createToken({ tfp: undefined })),
    expect: {
      status: 401,
      error: 'invalid_issuer',
      challenge: invalidToken,
      description: 'The access token names no Azure AD B2C policy (no tfp or acr claim)',
    },
  },
  {
    name: 'combined: B2C ID token',
    app,
    path: '/me',
    headers: bearer((k) => k.b2c.createToken({}, { kind: 'id' })),
    expect: { status: 401, error: 'foreign_token', challenge: invalidToken, description: /ID token/ },
  },
  {
    name: 'combined: expired B2C token',
    app,
    path: '/me',
    headers: bearer((k) => k.b2c.createToken({}, { issuedAt: -7200, expiresIn: 3600 })),
    expect: { status: 401, error: 'token_expired', challenge: invalidToken },
  },
  {
    name: 'combined: External ID token saying ver 1.0',
    app,
    path: '/me',
    headers: bearer((k) => k.externalId.createToken({ ver: '1.0' })),
    expect: {
      status: 401,
      error: 'unsupported_token_version',
      challenge: invalidToken,
      description: 'This authority issues only v2.0 tokens',
    },
  },
  {
    name: 'combined: workforce user token on an app-only route',
    app,
    path: '/app-only',
    headers: bearer((k) => k.workforce.createToken()),
    expect: {
      status: 403,
      error: 'insufficient_role',
      challenge: insufficient,
      description: 'This operation needs an application (app-only) token',
    },
  },
  // Issuers none of the validators trusts
  {
    name: 'combined: token of a workforce tenant no validator trusts',
    app,
    path: '/me',
    headers: bearer((k) => k.workforce.createToken({}, { tenantId: OTHER_TENANT })),
    expect: { status: 401, error: 'invalid_issuer', challenge: invalidToken },
  },
  {
    name: 'combined: token of another External ID tenant',
    app,
    path: '/me',
    headers: bearer((k) => k.externalId.createToken({}, { tenantId: OTHER_TENANT })),
    expect: { status: 401, error: 'invalid_issuer', challenge: invalidToken },
  },
];
