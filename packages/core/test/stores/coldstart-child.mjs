// One cold start, in a fresh process: import the core's build (and, with a store, ioredis and
// @org/entra-core/stores/redis), create a validator, verify one token, then print one JSON line:
// when (performance.now(), from the process's time origin) the imports were done and the token verified.
// Input in ENTRA_COLDSTART: { mode: 'network' | 'redis' | 'preload', options, token, redisUrl?, preload? }.
const input = JSON.parse(process.env.ENTRA_COLDSTART ?? '{}');
const { createEntraValidator } = await import('@org/entra-core');
const extra = {};
let client;
if (input.mode === 'redis') {
  const [{ Redis }, { redisKeyStore }] = await Promise.all([
    import('ioredis'),
    import('@org/entra-core/stores/redis'),
  ]);
  client = new Redis(input.redisUrl);
  extra.keyStore = redisKeyStore(client);
} else if (input.mode === 'preload') {
  extra.jwks = { preload: input.preload };
}
const importedMs = performance.now();
const events = [];
const validator = createEntraValidator({ ...input.options, ...extra, onEvent: (e) => events.push(e.type) });
const principal = await validator.verify(input.token);
const verifiedMs = performance.now();
validator.close();
client?.disconnect();
console.log(JSON.stringify({ importedMs, verifiedMs, oid: principal.objectId, events }));
