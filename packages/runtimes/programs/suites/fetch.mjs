// @org/entra-fetch: one `(Request) => Response` handler that requires the scope, called with a Web
// Request per case. One line per case: the response's status, the `error` of its JSON body, the oid
// the handler saw.
import { withEntraAuth } from '@org/entra-fetch';

/** @param {import('../lib/types').SuiteInput} input @param {import('../lib/types').Emit} emit */
export default async function fetchSuite(input, emit) {
  const handler = withEntraAuth(
    input.validatorOptions,
    (_request, user) => Response.json({ oid: user.objectId }),
    {
      scopes: input.scopes,
    },
  );
  for (const { name, token } of input.cases) {
    const response = await handler(
      new Request('http://127.0.0.1/orders', { headers: { authorization: `Bearer ${token}` } }),
    );
    const body = await response.json();
    emit(
      response.status === 200
        ? { case: name, status: 200, oid: body.oid }
        : { case: name, status: response.status, code: body.error },
    );
  }
}
