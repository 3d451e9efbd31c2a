// A Hono app with @org/entra-hono inside a route handler on the edge runtime (hono/vercel's
// `handle`). The middleware is made on the first request: the issuer is only known when the server
// starts (see ../../../../lib/auth.js).
import { entraAuth, requireScopes } from '@org/entra-hono';
import { Hono } from 'hono';
import { handle } from 'hono/vercel';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

let auth;
const app = new Hono().basePath('/api/hono');
app.use((c, next) => {
  auth ??= entraAuth({
    tenantId: process.env.ENTRA_TENANT_ID,
    clientId: process.env.ENTRA_CLIENT_ID,
    authority: process.env.ENTRA_AUTHORITY,
  });
  return auth(c, next);
});
app.get('/orders', requireScopes('Orders.Read'), (c) =>
  c.json({ oid: c.get('auth').objectId, runtime: process.env.NEXT_RUNTIME }),
);

export const GET = handle(app);
