// `node run-next.mjs`, input on stdin: builds the Next.js app in next-app/ with `next build`, serves
// it with `next start` on 127.0.0.1 (a port the system picks), sends every case's token to each
// protected path over HTTP and prints one JSON line per answer. The issuer reaches the app as
// ENTRA_* environment variables of `next start`. Next's own output goes to stderr; telemetry is off.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The protected paths: a route handler on the Node.js runtime, one on the edge runtime, a route
 * behind the middleware (proxy.js), and a Hono app in an edge route handler (@org/entra-hono).
 */
const ROUTES = ['/api/node', '/api/edge', '/api/behind-proxy', '/api/hono/orders'];

const appDir = fileURLToPath(new URL('../../next-app', import.meta.url));
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');

let text = '';
for await (const chunk of process.stdin) text += chunk;
const input = JSON.parse(text);
const emit = (line) => console.log(JSON.stringify({ suite: 'nextjs', ...line }));

function run(args, env) {
  const child = spawn(process.execPath, [nextBin, ...args], {
    cwd: appDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.pipe(process.stderr);
  return child;
}

const build = run(['build']);
const built = await new Promise((resolve) => build.on('close', resolve));
if (built !== 0) throw new Error(`next build exited with ${built}`);

const server = run(['start', '--hostname', '127.0.0.1', '--port', '0'], {
  ENTRA_TENANT_ID: input.validatorOptions.tenantId,
  ENTRA_CLIENT_ID: input.validatorOptions.clientId,
  ENTRA_AUTHORITY: input.validatorOptions.authority,
});
try {
  // `next start` prints its address, then "Ready" once it accepts requests.
  const origin = await new Promise((resolve, reject) => {
    let seen = '';
    server.on('close', (code) =>
      reject(new Error(`next start exited with ${code} before it was ready:\n${seen}`)),
    );
    server.stdout.on('data', (chunk) => {
      seen += chunk;
      const address = /http:\/\/127\.0\.0\.1:\d+/.exec(seen);
      if (address !== null && /Ready/.test(seen)) resolve(address[0]);
    });
  });
  emit({ started: true });
  for (const route of ROUTES) {
    for (const { name, token } of input.cases) {
      const response = await fetch(`${origin}${route}`, { headers: { authorization: `Bearer ${token}` } });
      const body = await response.json();
      emit(
        response.status === 200
          ? { route, case: name, status: 200, oid: body.oid, runtime: body.runtime }
          : { route, case: name, status: response.status, code: body.error },
      );
    }
  }
  emit({ done: true });
} finally {
  server.removeAllListeners('close');
  server.kill();
}
