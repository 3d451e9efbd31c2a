/**
 * What the runtime-specific module (`#runtime`: `node.ts` on Node, Bun and Deno, `web.ts` elsewhere,
 * chosen by the `imports` conditions of package.json) provides. Both files export exactly these.
 */

/** A public key ready to verify, in whichever form the runtime uses. */
export interface VerificationKey {
  /** The JWK (`kty`, `n`, `e`) the key was made from: compared when a key set is refreshed. */
  readonly jwk: { readonly kty: 'RSA'; readonly n: string; readonly e: string };
}

/** The signature algorithms a key can be used with. */
export type RsaAlgorithm = 'RS256' | 'RS384' | 'RS512';

export interface RuntimeModule {
  /** Decodes a segment of canonical base64url; `undefined` when it is not exactly that. */
  decodeSegment(segment: string): Uint8Array | undefined;
  /** Decodes UTF-8, or `undefined` when the bytes are not valid UTF-8. */
  decodeUtf8(bytes: Uint8Array): string | undefined;
  /** Imports an RSA public key; rejects when the runtime refuses it. */
  importRsaKey(n: string, e: string, algorithms: Iterable<string>): Promise<VerificationKey>;
  /** Verifies an RS* signature over the ASCII `header.payload`: synchronous where the runtime can. */
  verifySignature(
    key: VerificationKey,
    alg: string,
    signingInput: string,
    signature: Uint8Array,
  ): boolean | Promise<boolean>;
}
