/**
 * The portable runtime: WebCrypto and `TextDecoder` only, as on edge workers and in browsers. Chosen
 * by package.json's `imports` (`#runtime`, the `default` condition).
 */
import { BASE64URL_VALUE, isCanonicalBase64Url } from './base64url.js';
import type { RuntimeModule, VerificationKey } from './types.js';

const HASHES: Readonly<Record<string, string>> = { RS256: 'SHA-256', RS384: 'SHA-384', RS512: 'SHA-512' };

interface WebKey extends VerificationKey {
  /** Imported WebCrypto keys, per algorithm (imported on first use for an algorithm). */
  readonly web: Map<string, CryptoKey>;
}

const decodeSegment: RuntimeModule['decodeSegment'] = (s) => {
  if (!isCanonicalBase64Url(s)) return undefined;
  const v = (k: number) => BASE64URL_VALUE[s.charCodeAt(k)] as number;
  const out = new Uint8Array((s.length * 3) >> 2);
  let o = 0;
  let i = 0;
  for (; i + 4 <= s.length; i += 4) {
    const n = (v(i) << 18) | (v(i + 1) << 12) | (v(i + 2) << 6) | v(i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  const rem = s.length - i;
  if (rem >= 2) {
    const n = (v(i) << 18) | (v(i + 1) << 12) | (rem === 3 ? v(i + 2) << 6 : 0);
    out[o++] = n >> 16;
    if (rem === 3) out[o++] = (n >> 8) & 0xff;
  }
  return out;
};

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const decodeUtf8: RuntimeModule['decodeUtf8'] = (bytes) => {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
};

function importFor(jwk: VerificationKey['jwk'], hash: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', { ...jwk, ext: true }, { name: 'RSASSA-PKCS1-v1_5', hash }, false, [
    'verify',
  ]);
}

const importRsaKey: RuntimeModule['importRsaKey'] = async (n, e, algorithms) => {
  const jwk = { kty: 'RSA' as const, n, e };
  const web = new Map<string, CryptoKey>();
  for (const alg of algorithms) {
    const hash = HASHES[alg];
    if (hash !== undefined) web.set(alg, await importFor(jwk, hash));
  }
  const key: WebKey = { jwk, web };
  return key;
};

const ascii = new TextEncoder();

const verifySignature: RuntimeModule['verifySignature'] = async (key, alg, signingInput, signature) => {
  const hash = HASHES[alg];
  if (hash === undefined) return false;
  const keys = (key as WebKey).web;
  let cryptoKey = keys.get(alg);
  if (cryptoKey === undefined) {
    cryptoKey = await importFor(key.jwk, hash);
    keys.set(alg, cryptoKey);
  }
  // The signing input is base64url text: ASCII, so UTF-8 encoding gives the same bytes.
  return crypto.subtle.verify(
    'RSASSA-PKCS1-v1_5',
    cryptoKey,
    signature as BufferSource,
    ascii.encode(signingInput),
  );
};

export { decodeSegment, decodeUtf8, importRsaKey, verifySignature };
