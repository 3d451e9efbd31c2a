// The public API of the package, as runtime values: a change here is a change for every user, so it
// shows in review. Type-only exports are snapshotted with the rest in packaging/test/api.test.ts.
import { expect, it } from 'vitest';
import * as entry from '../src/index.js';

it('exports exactly its public API', () => {
  expect(Object.keys(entry).sort()).toMatchInlineSnapshot(`
    [
      "CONSUMERS_TENANT_ID",
      "ENTRA_AUTH_ERROR_CODES",
      "ENTRA_CLOUDS",
      "EntraAuthError",
      "EntraConfigError",
      "MAX_KID_LENGTH",
      "b2cPolicyOf",
      "classifyToken",
      "combineValidators",
      "createEntraValidator",
      "createGroupsCheck",
      "createRoleCheck",
      "createScopeCheck",
      "createScopeOrRoleCheck",
      "decodeTokenUnverified",
      "entraSecurityRequirement",
      "entraSecurityScheme",
      "errorResponse",
      "extractBearerToken",
      "isEntraAuthError",
      "isEntraValidator",
      "isGuid",
      "microsoftServiceName",
      "readPermissions",
      "requireAppOnly",
      "requireAuthContext",
      "requireDelegated",
      "requireGroups",
      "requireRoles",
      "requireScopeOrRole",
      "requireScopes",
      "resolveGroups",
    ]
  `);
});

it('ENTRA_CLOUDS is frozen all the way down: the validator trusts what it says', () => {
  expect(entry.ENTRA_CLOUDS.usgov.v2IssuerOrigins).toEqual(['https://login.microsoftonline.us']);
  expect(() => (entry.ENTRA_CLOUDS.public.v2IssuerOrigins as string[]).push('https://evil.example')).toThrow(
    TypeError,
  );
  expect(Object.isFrozen(entry.ENTRA_CLOUDS.china)).toBe(true);
  expect(entry.ENTRA_CLOUDS.public.v2IssuerOrigins).toEqual(['https://login.microsoftonline.com']);
});
