/**
 * The kit's signing keys: generation, which are published, and the key sets built from them.
 */
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { selfSignedCertificate, thumbprint } from './certificate.js';

/** A key the kit can sign with. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** The public JWK as Entra publishes it, without `issuer`. */
  readonly jwk: Readonly<Record<string, unknown>>;
  /** `undefined`: the issuer of the key set's tenant path; `null`: no `issuer` property. */
  readonly issuer: string | null | undefined;
  /** When the key was made, in whole seconds (B2C publishes it as `nbf`). */
  readonly createdAt: number;
  published: boolean;
}

export interface NewKeyOptions {
  modulusLength?: number;
  use?: string;
  issuer?: string | null;
  publish?: boolean;
}

function rsaKeyPair(modulusLength: number): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength }, (error, publicKey, privateKey) =>
      error ? reject(error) : resolve({ publicKey, privateKey }),
    );
  });
}

/** A fresh RSA key with a certificate; its kid is the certificate's thumbprint, as in Entra. */
export async function generateSigningKey(options: NewKeyOptions, nowMs: number): Promise<SigningKey> {
  const modulusLength = options.modulusLength ?? 2048;
  if (!Number.isInteger(modulusLength) || modulusLength < 512 || modulusLength > 16384) {
    throw new TypeError('modulusLength must be an integer number of bits between 512 and 16384, e.g. 2048');
  }
  if (options.use !== undefined && typeof options.use !== 'string')
    throw new TypeError('use must be a string');
  if (options.issuer !== undefined && options.issuer !== null && typeof options.issuer !== 'string') {
    throw new TypeError('issuer must be a string, or null for a key without an issuer property');
  }
  const { publicKey, privateKey } = await rsaKeyPair(modulusLength);
  const certificate = selfSignedCertificate(publicKey, privateKey, nowMs);
  const kid = thumbprint(certificate);
  const { n, e } = publicKey.export({ format: 'jwk' });
  return {
    kid,
    privateKey,
    jwk: {
      kty: 'RSA',
      use: options.use ?? 'sig',
      kid,
      x5t: kid,
      n,
      e,
      x5c: [certificate.toString('base64')],
    },
    issuer: options.issuer,
    createdAt: Math.floor(nowMs / 1000),
    published: options.publish ?? true,
  };
}

/** Every key the kit holds, in the order they were made, plus raw entries published as given. */
export class KeyRing {
  readonly #keys = new Map<string, SigningKey>();
  #raw: Record<string, unknown>[] = [];
  #current: SigningKey;
  /** Signs `signWith: 'unpublished'` tokens; never published. */
  readonly unpublished: SigningKey;

  private constructor(current: SigningKey, unpublished: SigningKey) {
    this.#current = current;
    this.unpublished = unpublished;
    this.#keys.set(current.kid, current);
  }

  /** The signing key and the never-published key, generated concurrently. */
  static async create(nowMs: number): Promise<KeyRing> {
    const [current, unpublished] = await Promise.all([
      generateSigningKey({}, nowMs),
      generateSigningKey({ publish: false }, nowMs),
    ]);
    return new KeyRing(current, unpublished);
  }

  get current(): SigningKey {
    return this.#current;
  }

  get(kid: string): SigningKey | undefined {
    return this.#keys.get(kid);
  }

  add(key: SigningKey): void {
    this.#keys.set(key.kid, key);
  }

  /** Makes `key` the signer; the previous signer stays published only if `keepPrevious`. */
  rotate(key: SigningKey, keepPrevious: boolean): void {
    if (!keepPrevious) this.#current.published = false;
    this.add(key);
    this.#current = key;
  }

  /** Stops publishing the key and any raw entries with that kid. False if nothing had it. */
  unpublish(kid: string): boolean {
    const key = this.#keys.get(kid);
    if (key) key.published = false;
    const before = this.#raw.length;
    this.#raw = this.#raw.filter((jwk) => jwk.kid !== kid);
    return key !== undefined || this.#raw.length < before;
  }

  addRaw(jwk: Record<string, unknown>): void {
    this.#raw.push(structuredClone(jwk));
  }

  /**
   * A key set as served. `issuer` is the tenant path's issuer for v2 sets; `undefined` builds a v1
   * set, whose keys carry no `issuer` property.
   */
  keySet(issuer: string | undefined): { keys: Record<string, unknown>[] } {
    const keys: Record<string, unknown>[] = [];
    for (const key of this.#keys.values()) {
      if (!key.published) continue;
      const entry: Record<string, unknown> = structuredClone(key.jwk);
      const own = issuer === undefined ? null : key.issuer === undefined ? issuer : key.issuer;
      if (own !== null) entry.issuer = own;
      keys.push(entry);
    }
    for (const jwk of this.#raw) keys.push(structuredClone(jwk));
    return { keys };
  }

  /**
   * A key set as Azure AD B2C serves it: `{ kid, nbf, use, kty, e, n }` per key, with no `x5t`,
   * `x5c` or `issuer`. `nbf` is when the kit made the key.
   */
  b2cKeySet(): { keys: Record<string, unknown>[] } {
    const keys: Record<string, unknown>[] = [];
    for (const key of this.#keys.values()) {
      if (!key.published) continue;
      const { kid, use, kty, e, n } = key.jwk;
      keys.push({ kid, nbf: key.createdAt, use, kty, e, n });
    }
    for (const jwk of this.#raw) keys.push(structuredClone(jwk));
    return { keys };
  }
}
