/**
 * Signature verification behind one small interface. On Node (and runtimes that expose
 * `process.getBuiltinModule`), `node:crypto`'s synchronous RSA verify is used: about three times
 * cheaper in CPU than WebCrypto. Everywhere else, WebCrypto. No static `node:` import, so the core
 * still bundles for edge runtimes.
 */
import { builtin } from './runtime.js';

/** The subset of `node:crypto` used here. */
interface NodeCryptoLike {
  createPublicKey(input: { key: JsonWebKey; format: 'jwk' }): unknown;
  verify(algorithm: string, data: Uint8Array, key: unknown, signature: Uint8Array): boolean;
}

/** The subset of `node:buffer` used here. */
interface NodeBufferLike {
  Buffer: {
    from(
      input: string,
      encoding: 'latin1' | 'base64url',
    ): Uint8Array & { toString(encoding: 'utf8' | 'latin1'): string };
    from(
      input: ArrayBufferLike,
      offset: number,
      length: number,
    ): Uint8Array & { toString(encoding: 'utf8'): string };
    byteLength(input: string, encoding: 'utf8'): number;
  };
  isUtf8?: (input: Uint8Array) => boolean;
}

const detectedCrypto = builtin<NodeCryptoLike>('node:crypto');
const detectedBuffer = builtin<NodeBufferLike>('node:buffer');

let nodeCrypto: NodeCryptoLike | undefined = detectedCrypto;
/** `node:buffer`, when the runtime has it (used by the token decoder too). */
export let nodeBuffer: NodeBufferLike | undefined = detectedBuffer;

/**
 * Switches the native path off (or back on): for tests that prove the WebCrypto path, and for
 * comparing the two in benchmarks. Not part of the public API.
 * @internal
 */
export function useNativeCrypto(enabled: boolean): void {
  nodeCrypto = enabled ? detectedCrypto : undefined;
  nodeBuffer = enabled ? detectedBuffer : undefined;
}

/** True when the synchronous native path is in use. */
export function hasNativeCrypto(): boolean {
  return nodeCrypto !== undefined;
}

const HASHES: Readonly<Record<string, string>> = { RS256: 'SHA-256', RS384: 'SHA-384', RS512: 'SHA-512' };
const NODE_ALGS: Readonly<Record<string, string>> = {
  RS256: 'RSA-SHA256',
  RS384: 'RSA-SHA384',
  RS512: 'RSA-SHA512',
};

/** A public key ready to verify, in whichever form the runtime uses. */
export interface VerificationKey {
  /** A `KeyObject` on Node. */
  readonly native: unknown;
  /** WebCrypto keys, per algorithm. */
  readonly web: Map<string, CryptoKey>;
  /** The JWK (`kty`, `n`, `e`) the key was made from, to import for WebCrypto and compare. */
  readonly jwk: { kty: 'RSA'; n: string; e: string };
}

/** Imports an RSA public key for the given algorithms. Rejects if the runtime refuses the key. */
export async function importRsaKey(
  n: string,
  e: string,
  algorithms: Iterable<string>,
): Promise<VerificationKey> {
  const jwk = { kty: 'RSA' as const, n, e };
  if (nodeCrypto !== undefined) {
    return { native: nodeCrypto.createPublicKey({ key: jwk, format: 'jwk' }), web: new Map(), jwk };
  }
  const web = new Map<string, CryptoKey>();
  for (const alg of algorithms) {
    const hash = HASHES[alg];
    if (hash === undefined) continue;
    web.set(
      alg,
      await crypto.subtle.importKey(
        'jwk',
        { ...jwk, ext: true },
        { name: 'RSASSA-PKCS1-v1_5', hash },
        false,
        ['verify'],
      ),
    );
  }
  return { native: undefined, web, jwk };
}

const latin1 = new TextEncoder();

/**
 * Verifies an RS* signature over `signingInput` (the ASCII `header.payload`). Synchronous on the
 * native path (returns a boolean), a promise on WebCrypto.
 */
export function verifySignature(
  key: VerificationKey,
  alg: string,
  signingInput: string,
  signature: Uint8Array,
): boolean | Promise<boolean> {
  if (nodeCrypto !== undefined && key.native !== undefined && nodeBuffer !== undefined) {
    const nodeAlg = NODE_ALGS[alg];
    if (nodeAlg === undefined) return false;
    return nodeCrypto.verify(nodeAlg, nodeBuffer.Buffer.from(signingInput, 'latin1'), key.native, signature);
  }
  return verifyWeb(key, alg, signingInput, signature);
}

async function verifyWeb(
  key: VerificationKey,
  alg: string,
  signingInput: string,
  signature: Uint8Array,
): Promise<boolean> {
  let cryptoKey = key.web.get(alg);
  if (cryptoKey === undefined) {
    const hash = HASHES[alg];
    if (hash === undefined) return false;
    cryptoKey = await crypto.subtle.importKey(
      'jwk',
      { ...key.jwk, ext: true },
      { name: 'RSASSA-PKCS1-v1_5', hash },
      false,
      ['verify'],
    );
    key.web.set(alg, cryptoKey);
  }
  // The signing input is base64url text: ASCII, so UTF-8 encoding gives the same bytes.
  return crypto.subtle.verify(
    'RSASSA-PKCS1-v1_5',
    cryptoKey,
    signature as BufferSource,
    latin1.encode(signingInput),
  );
}
