/**
 * One cold start: a fresh process that imports a verifier, creates it against the loopback issuer
 * and verifies one token (discovery and keys fetched on the way), then prints how long that took
 * since the process started (`performance.now()` counts from the process's time origin).
 *
 * It imports only what the contender needs, once the process is running, so the time is the
 * library's and nothing else's. Beside the verifiers, two probes of the transport alone: Node's
 * `fetch` (loaded on its first call) and `node:http`, each getting the discovery document once.
 */
import { pathToFileURL } from 'node:url';

export interface ColdInput {
  readonly kit: {
    tenantId: string;
    clientId: string;
    authority: string;
    issuer: string;
    discoveryUrl: string;
    jwksUri: string;
  };
  readonly token: string;
  /** `ours` only: a folder for a file-backed `keyStore` (empty on the first start, filled after it). */
  readonly storeDir?: string;
}

/** What the child reports beside its total. */
export interface ColdReport {
  /** `performance.now()` when the contender's code began (the process is up, nothing imported). */
  readonly startedMs?: number;
  /** `performance.now()` once the library was imported (for `fetch`: once fetch was loaded). */
  readonly importedMs: number;
  /** With a key store: requests made (discovery and keys), and values the store answered. */
  readonly requests?: number;
  readonly storeHits?: number;
}

/** Work left for after the report is printed (a key store's writes, which the next process reads). */
let afterReport: (() => Promise<void>) | undefined;

async function ours(input: ColdInput): Promise<ColdReport> {
  const { kit, token, storeDir } = input;
  const { createEntraValidator } = await import('@org/entra-core');
  const importedMs = performance.now();
  const options = { tenantId: kit.tenantId, clientId: kit.clientId, authority: kit.authority };
  if (storeDir === undefined) {
    const validator = createEntraValidator(options);
    await validator.verify(token);
    validator.close();
    return { importedMs };
  }
  const { fileKeyStore } = await import('./lib/file-store.js');
  const keyStore = fileKeyStore(storeDir);
  let requests = 0;
  // The same transport as the default (the global fetch, looked up at each call), counted.
  const fetch = (url: string, init?: RequestInit) => {
    requests++;
    return globalThis.fetch(url, init);
  };
  const validator = createEntraValidator({ ...options, fetch, keyStore } as Parameters<
    typeof createEntraValidator
  >[0]);
  await validator.verify(token);
  validator.close();
  afterReport = () => keyStore.settled();
  return { importedMs, requests, storeHits: keyStore.counts.hits };
}

async function aws(input: ColdInput): Promise<ColdReport> {
  const { kit, token } = input;
  const { JwtRsaVerifier } = await import('aws-jwt-verify');
  const { SimpleJwksCache } = await import('aws-jwt-verify/jwk');
  const { loopbackFetcher } = await import('./lib/loopback.js');
  const importedMs = performance.now();
  const verifier = JwtRsaVerifier.create(
    { issuer: kit.issuer, audience: kit.clientId, jwksUri: kit.jwksUri },
    { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) },
  );
  await verifier.verify(token);
  return { importedMs };
}

/** Node's fetch alone: its first call loads it (a `data:` URL, no network), then one request. */
async function fetchOnly(input: ColdInput): Promise<ColdReport> {
  await (await fetch('data:,')).arrayBuffer();
  const importedMs = performance.now();
  const response = await fetch(input.kit.discoveryUrl);
  await response.json();
  return { importedMs };
}

/** `node:http` alone: the transport the core used before it went through fetch. */
async function httpOnly(input: ColdInput): Promise<ColdReport> {
  const { loopbackFetcher } = await import('./lib/loopback.js');
  const importedMs = performance.now();
  JSON.parse(Buffer.from(await loopbackFetcher.fetch(input.kit.discoveryUrl)).toString('utf8'));
  return { importedMs };
}

const CHILDREN: Record<string, (input: ColdInput) => Promise<ColdReport>> = {
  node: async () => ({ importedMs: 0 }),
  ours,
  aws,
  fetch: fetchOnly,
  http: httpOnly,
};

/** Waits for what the last contender left to finish after its report (a key store's writes). */
export async function afterFirstVerification(): Promise<void> {
  const pending = afterReport;
  afterReport = undefined;
  await pending?.();
}

/** Runs contender `which` on `input`. */
export async function firstVerification(which: string, input: ColdInput): Promise<ColdReport> {
  const child = CHILDREN[which];
  if (child === undefined) throw new Error(`unknown contender ${which}`);
  const startedMs = performance.now();
  return { startedMs, ...(await child(input)) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const input = JSON.parse(process.env.BENCH_COLD ?? '{}') as ColdInput;
  firstVerification(process.argv[2] ?? '', input).then(
    async (report) => {
      process.stdout.write(`${JSON.stringify({ totalMs: performance.now(), ...report })}\n`);
      await afterFirstVerification();
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
