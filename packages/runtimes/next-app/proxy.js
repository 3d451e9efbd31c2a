// The middleware (Next.js 16 calls the file proxy.js; it runs on the Node.js runtime): requests to
// /api/behind-proxy are authenticated here; a refused one is answered here, an accepted one goes on
// to the route with the caller's oid in a header.
import { NextResponse } from 'next/server';
import { protect } from './lib/auth.js';

export const config = { matcher: '/api/behind-proxy' };

export const proxy = protect((request, user) => {
  const headers = new Headers(request.headers);
  headers.set('x-entra-oid', user.objectId);
  return NextResponse.next({ request: { headers } });
});
