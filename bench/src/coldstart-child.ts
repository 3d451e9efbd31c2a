/**
 * One cold start: a fresh process that imports a verifier, creates it against the loopback issuer
 * and verifies one token (discovery and keys fetched on the way), then prints how long that took
 * since the process started (`performance.now()` counts from the process's time origin).
 *
 * It imports only what the contender needs, once the process is running, so the time is the
 * library's and nothing else's.
 */
import { get } from 'node:http';
import { pathToFileURL } from 'node:url';

export interface ColdInput {
  readonly kit: { tenantId: string; clientId: string; authority: string; issuer: string; jwksUri: string };
  readonly token: string;
}

/** aws-jwt-verify fetches with node:https, which refuses http: URLs; the same with node:http. */
function httpFetch(uri: string): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    get(uri, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
      });
    }).on('error', reject);
  });
}

/** Imports `which`, verifies the token; resolves with when (performance.now()) the import was done. */
export async function firstVerification(which: string, input: ColdInput): Promise<number> {
  const { kit, token } = input;
  if (which === 'ours') {
    const { createEntraValidator } = await import('@org/entra-core');
    const imported = performance.now();
    const validator = createEntraValidator({
      tenantId: kit.tenantId,
      clientId: kit.clientId,
      authority: kit.authority,
    });
    await validator.verify(token);
    validator.close();
    return imported;
  }
  if (which === 'aws') {
    const { JwtRsaVerifier } = await import('aws-jwt-verify');
    const { SimpleJwksCache } = await import('aws-jwt-verify/jwk');
    const imported = performance.now();
    const verifier = JwtRsaVerifier.create(
      { issuer: kit.issuer, audience: kit.clientId, jwksUri: kit.jwksUri },
      { jwksCache: new SimpleJwksCache({ fetcher: { fetch: httpFetch } }) },
    );
    await verifier.verify(token);
    return imported;
  }
  if (which === 'node') return 0;
  throw new Error(`unknown contender ${which}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const input = JSON.parse(process.env.BENCH_COLD ?? '{}') as ColdInput;
  firstVerification(process.argv[2] ?? '', input).then(
    (importedMs) => {
      process.stdout.write(`${JSON.stringify({ totalMs: performance.now(), importedMs })}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
