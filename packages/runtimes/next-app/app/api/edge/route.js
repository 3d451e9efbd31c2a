// A route handler on the edge runtime: no Node.js built-ins, so the core verifies with WebCrypto.
import { protect } from '../../../lib/auth.js';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export const GET = protect((_request, user) =>
  Response.json({ oid: user.objectId, runtime: process.env.NEXT_RUNTIME }),
);
