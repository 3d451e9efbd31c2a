/**
 * A Swagger UI page for the OpenAPI document, served from swagger-ui-dist's files (no CDN), with
 * the Authorize button set up for Entra: authorization code flow with PKCE, as a single-page app.
 * Register `<api origin>/docs/oauth2-redirect.html` as a redirect URI of the SPA platform of the
 * client app whose id you give here. One function, route `docs/{file?}`.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { HttpHandler } from '@azure/functions';

export interface SwaggerUiOptions {
  /** Where the OpenAPI document is served. */
  specUrl: string;
  /** The single-page-app client id Swagger UI signs in with (Authorize button). */
  clientId?: string;
  /** Scopes pre-selected in the Authorize dialog (full URIs, `api://<client id>/Orders.Read`). */
  scopes?: string[];
}

const assets = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The files of swagger-ui-dist the page uses, and their types: nothing else is served from there. */
const FILES = new Map([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'application/javascript; charset=utf-8'],
  ['oauth2-redirect.html', 'text/html; charset=utf-8'],
  ['oauth2-redirect.js', 'application/javascript; charset=utf-8'],
  ['favicon-32x32.png', 'image/png'],
  ['favicon-16x16.png', 'image/png'],
]);

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Orders API (Azure Functions)</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

/** The handler of `GET /docs` (the page), `/docs/init.js` and Swagger UI's assets. */
export function swaggerUi(options: SwaggerUiOptions): HttpHandler {
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
  return async (request) => {
    const file = request.params.file ?? '';
    if (file === '') return { headers: { 'content-type': 'text/html; charset=utf-8' }, body: page };
    if (file === 'init.js') {
      return { headers: { 'content-type': 'application/javascript; charset=utf-8' }, body: init };
    }
    const type = FILES.get(file);
    if (type === undefined)
      return { status: 404, jsonBody: { error: 'not_found', error_description: 'No such file' } };
    return { headers: { 'content-type': type }, body: await readFile(join(assets, file)) };
  };
}
