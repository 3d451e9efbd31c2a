// A route handler on the Node.js runtime (the default).
import { protect } from '../../../lib/auth.js';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = protect((_request, user) =>
  Response.json({ oid: user.objectId, runtime: process.env.NEXT_RUNTIME }),
);
