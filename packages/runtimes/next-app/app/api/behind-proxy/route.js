// Not protected itself: proxy.js authenticates every request to this path before it gets here and
// forwards the verified oid in a request header (a header it always overwrites).
export const dynamic = 'force-dynamic';

export function GET(request) {
  return Response.json({
    oid: request.headers.get('x-entra-oid'),
    runtime: process.env.NEXT_RUNTIME,
    via: 'proxy',
  });
}
