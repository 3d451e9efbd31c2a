// The public API of the package, as runtime values: a change here is a change for every user, so it
// shows in review. Type-only exports are snapshotted with the rest in packaging/test/api.test.ts.
import { expect, it } from 'vitest';
import * as entry from '../src/index.js';

it('exports exactly its public API', () => {
  expect(Object.keys(entry).sort()).toMatchInlineSnapshot(`
    [
      "CONSUMERS_TENANT_ID",
      "ENTRA_AUTH_ERROR_CODES",
      "EntraAuthError",
      "EntraConfigError",
      "MAX_KID_LENGTH",
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
