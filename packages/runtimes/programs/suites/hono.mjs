// @org/entra-hono: a Hono app with `entraAuth` on every route and a scope guard on /orders, called
// with `app.fetch(new Request(…))` per case. One line per case: the response's status, the `error`
// of its JSON body, the oid the handler saw through `c.get('auth')`.
import { entraAuth, requireScopes } from '@org/entra-hono';
import { Hono } from 'hono';

/** @param {import('../lib/types').SuiteInput} input @param {import('../lib/types').Emit} emit */
export default async function honoSuite(input, emit) {
  const app = new Hono();
  app.use(entraAuth(input.validatorOptions));
  app.get('/orders', requireScopes(input.scopes), (c) => c.json({ oid: c.get('auth').objectId }));
  for (const { name, token } of input.cases) {
    const response = await app.fetch(
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
