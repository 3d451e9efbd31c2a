/**
 * aws-jwt-verify fetches with `node:https`, which refuses `http:` URLs. This fetcher does the same
 * with `node:http`, for the loopback issuer only. It imports nothing else, so the cold-start child
 * can use it without loading what the other benchmarks need.
 */
import { get } from 'node:http';
import type { Fetcher } from 'aws-jwt-verify/https';

export const loopbackFetcher: Fetcher = {
  fetch: (uri) =>
    new Promise<ArrayBuffer>((resolve, reject) => {
      const request = get(uri, { timeout: 5000 }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) {
            reject(new Error(`status ${response.statusCode}`));
            return;
          }
          const body = Buffer.concat(chunks);
          resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
        });
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', reject);
    }),
};
