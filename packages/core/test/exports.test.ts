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
      "classifyToken",
      "createEntraValidator",
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
      "microsoftServiceOf",
      "requireAppOnly",
      "requireAuthContext",
      "requireDelegated",
      "requireRoles",
      "requireScopeOrRole",
      "requireScopes",
    ]
  `);
});
