// The core on its own, as an API without a framework would use it: verify the raw token, then
// require the scope. One line per case: the status the core gives it (200 when accepted) and the code.
import { createEntraValidator, isEntraAuthError, requireScopes } from '@org/entra-core';

/** @param {import('../lib/types').SuiteInput} input @param {import('../lib/types').Emit} emit */
export default async function core(input, emit) {
  const validator = createEntraValidator(input.validatorOptions);
  try {
    for (const { name, token } of input.cases) {
      try {
        const principal = await validator.verify(token);
        requireScopes(principal, input.scopes);
        emit({ case: name, status: 200, oid: principal.objectId });
      } catch (error) {
        if (!isEntraAuthError(error)) throw error;
        emit({ case: name, status: error.status, code: error.code });
      }
    }
  } finally {
    validator.close();
  }
}
