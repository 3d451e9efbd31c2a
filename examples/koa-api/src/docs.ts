/**
 * A Swagger UI page for the OpenAPI document, served from swagger-ui-dist's files (no CDN), with
 * the Authorize button set up for Entra: authorization code flow with PKCE, as a single-page app.
 * Register `<api origin>/docs/oauth2-redirect.html` as a redirect URI of the SPA platform of the
 * client app whose id you give here.
 */
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Router, RouterMiddleware } from '@koa/router';

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
    <title>Orders API (Koa)</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

/** Adds `/docs` (the page), `/docs/init.js` and Swagger UI's assets to the router. */
export function swaggerUi(router: Router, options: SwaggerUiOptions): void {
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
  const servePage: RouterMiddleware = (ctx) => {
    ctx.type = 'html';
    ctx.body = page;
  };
  router.get('/docs', servePage);
  router.get('/docs/', servePage);
  router.get('/docs/init.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.body = init;
  });
  router.get('/docs/:file', (ctx, next) => {
    const type = FILES.get(ctx.params.file ?? '');
    if (type === undefined) return next();
    ctx.type = type;
    ctx.body = createReadStream(join(assets, ctx.params.file as string));
  });
}
