/// <reference types="node" />
/**
 * The Node runtime (also Bun and Deno, which provide these modules): `node:crypto`'s synchronous RSA
 * verification costs about a third of WebCrypto's CPU per token, and `Buffer` decodes base64url and
 * validates UTF-8 natively. Chosen by package.json's `imports` (`#runtime`, the `node` condition).
 */
import { Buffer, isUtf8 } from 'node:buffer';
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { hasCanonicalTail } from './base64url.js';
import type { RuntimeModule, VerificationKey } from './types.js';

const ALGORITHMS: Readonly<Record<string, string>> = {
  RS256: 'RSA-SHA256',
  RS384: 'RSA-SHA384',
  RS512: 'RSA-SHA512',
};

interface NodeKey extends VerificationKey {
  readonly native: KeyObject;
}

/**
 * Buffer's decoder is lenient (it skips invalid characters, accepts `+` and `/`, keeps the low byte
 * of characters above U+00FF): strictness comes from cheap checks around it, ASCII only, no `+` or
 * `/`, and exactly the length a clean input decodes to. Measured: about 2 µs less per token than a
 * regular expression over the segment.
 */
const decodeSegment: RuntimeModule['decodeSegment'] = (s) => {
  if (!hasCanonicalTail(s) || Buffer.byteLength(s, 'utf8') !== s.length) return undefined;
  if (s.indexOf('+') !== -1 || s.indexOf('/') !== -1) return undefined;
  const bytes = Buffer.from(s, 'base64url');
  return bytes.length === (s.length * 3) >> 2 ? bytes : undefined;
};

const decodeUtf8: RuntimeModule['decodeUtf8'] = (bytes) =>
  // simdutf validation, then a decode of a view (no copy): cheaper than a fatal TextDecoder.
  isUtf8(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : undefined;

const importRsaKey: RuntimeModule['importRsaKey'] = async (n, e) => {
  const jwk = { kty: 'RSA' as const, n, e };
  const key: NodeKey = { jwk, native: createPublicKey({ key: jwk, format: 'jwk' }) };
  return key;
};

const verifySignature: RuntimeModule['verifySignature'] = (key, alg, signingInput, signature) => {
  const algorithm = ALGORITHMS[alg];
  if (algorithm === undefined) return false;
  return verify(algorithm, Buffer.from(signingInput, 'latin1'), (key as NodeKey).native, signature);
};

export { decodeSegment, decodeUtf8, importRsaKey, verifySignature };
