/**
 * CORS in code, for one single-page app: on Azure you can instead configure the function app's own
 * CORS (API → CORS in the portal, `Host.CORS` in local.settings.json), which answers preflights
 * before any function runs; then drop this wrapper, since the platform's CORS overrides it.
 *
 * Put it outside `withEntraAuth`: it answers the browser's preflight (which never carries a token)
 * before any auth, and adds the CORS headers to every answer, refusals included, exposing
 * `WWW-Authenticate` so the SPA can read why a call was refused.
 */
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

export interface CorsOptions {
  /** The one origin allowed to call the API from a browser. */
  origin: string;
  /** The methods the route accepts, listed in the preflight's answer. */
  methods: readonly string[];
}

type InitHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export function withCors(options: CorsOptions, handler: InitHandler): HttpHandler {
  return async (request, context) => {
    const origin = request.headers.get('origin');
    const allowed = origin === options.origin;
    const preflight =
      request.method === 'OPTIONS' && origin !== null && request.headers.has('access-control-request-method');
    if (preflight) {
      // Another origin gets no CORS headers, so the browser stops there.
      if (!allowed) return { status: 204, headers: { vary: 'Origin' } };
      return {
        status: 204,
        headers: {
          'access-control-allow-origin': options.origin,
          'access-control-allow-methods': options.methods.join(', '),
          'access-control-allow-headers': 'Authorization, Content-Type',
          'access-control-max-age': '600',
          vary: 'Origin',
        },
      };
    }
    const response = await handler(request, context);
    const headers = new Headers(response.headers);
    headers.append('vary', 'Origin');
    if (allowed) {
      headers.set('access-control-allow-origin', options.origin);
      headers.set('access-control-expose-headers', 'WWW-Authenticate');
    }
    return { ...response, headers: Object.fromEntries(headers) };
  };
}
