// The public API of the package, as runtime values: a change here is a change for every user, so it
// shows in review. Type-only exports are snapshotted with the rest in packaging/test/api.test.ts.
import { expect, it } from 'vitest';
import * as entry from '../src/index.js';

it('exports exactly its public API', () => {
  expect(Object.keys(entry).sort()).toMatchInlineSnapshot(`
    [
      "ENTRA_AUTH_ERROR_CODES",
      "EntraAuthError",
      "EntraConfigError",
      "authenticateIncoming",
      "authenticateRequestView",
      "classifyToken",
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
      "isCorsPreflight",
      "isEntraAuthError",
      "isEntraValidator",
      "microsoftServiceOf",
      "passesToFramework",
      "requireAppOnly",
      "requireAuthContext",
      "requireDelegated",
      "requireGroups",
      "requireRoles",
      "requireScopeOrRole",
      "requireScopes",
      "resolveGroups",
      "resolveRequestOptions",
      "runGuard",
      "toValidator",
    ]
  `);
});
