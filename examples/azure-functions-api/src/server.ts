/**
 * Runs the Orders API's functions on the local host of src/local-host.ts, for machines without Azure
 * Functions Core Tools (`func start` is the real host): the same handlers, on the same routes and
 * port. Configuration as in src/config.ts, plus PORT and HOST (default 7071 on 127.0.0.1).
 */
import type { AddressInfo } from 'node:net';
import { loadConfig } from './config.js';
import { registerOrdersApi } from './functions.js';
import { tryItLines } from './local-entra.js';
import { createLocalHost, FunctionRegistry } from './local-host.js';

const env = process.env;
let loaded: Awaited<ReturnType<typeof loadConfig>>;
try {
  loaded = await loadConfig(env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const { config, local, description } = loaded;

const registry = new FunctionRegistry();
const { validator } = registerOrdersApi(registry, config);
try {
  await validator.warmUp(); // fetch the signing keys now, so the first request does not wait
} catch (error) {
  console.warn(
    `Could not fetch Entra's keys yet (${(error as Error).message}); will retry on the first request.`,
  );
}

const server = createLocalHost(registry);
server.listen(Number(env.PORT ?? 7071), env.HOST || '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  const baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  console.log(
    `Orders API (Azure Functions, local host) on ${baseUrl}   docs: ${baseUrl}/docs   CORS: ${config.allowedOrigin}`,
  );
  console.log(`Functions: ${registry.functions.map((f) => `${f.name} [${f.options.route}]`).join(', ')}`);
  if (local) console.log(`\n${tryItLines(local, baseUrl).join('\n')}\n`);
  else console.log(description);
});

function shutdown() {
  server.close();
  server.closeAllConnections();
  validator.close();
  void local?.close();
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
