/**
 * A Swagger UI page for the OpenAPI document, served from swagger-ui-dist's files (no CDN), with
 * the Authorize button set up for Entra: authorization code flow with PKCE, as a single-page app.
 * Register `<api origin>/docs/oauth2-redirect.html` as a redirect URI of the SPA platform of the
 * client app whose id you give here.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

export interface SwaggerUiOptions {
  /** Where the OpenAPI document is served. */
  specUrl: string;
  /** The single-page-app client id Swagger UI signs in with (Authorize button). */
  clientId?: string;
  /** Scopes pre-selected in the Authorize dialog (full URIs, `api://<client id>/Orders.Read`). */
  scopes?: string[];
}

const assets = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Orders API (Hono)</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

/** Mount at the app's root (`app.route('/', swaggerUi(...))`): `/docs`, `/docs/init.js` and Swagger UI's assets. */
export function swaggerUi(options: SwaggerUiOptions): Hono {
  const settings = JSON.stringify({
    url: options.specUrl,
    oauth: {
      clientId: options.clientId ?? '',
      usePkceWithAuthorizationCodeGrant: true,
      scopes: options.scopes ?? [],
    },
  });
  // No inline script: the page works under a strict Content-Security-Policy.
  const init = `const settings = ${settings};
window.ui = SwaggerUIBundle({
  url: settings.url,
  dom_id: '#swagger-ui',
  deepLinking: true,
  oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect.html',
});
window.ui.initOAuth(settings.oauth);
`;
  const docs = new Hono();
  docs.get('/docs', (c) => c.html(page));
  docs.get('/docs/', (c) => c.html(page));
  docs.get('/docs/init.js', (c) => c.body(init, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  docs.get(
    '/docs/*',
    serveStatic({ root: assets, rewriteRequestPath: (path) => path.slice('/docs'.length) }),
  );
  return docs;
}
