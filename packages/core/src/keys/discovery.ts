/**
 * OpenID Connect discovery: fetch a metadata document once, check that it speaks for the authority
 * that was asked for, and share one request among all callers.
 */
import type { IssuerRule } from '../authority/plan.js';
import { EntraAuthError } from '../errors.js';
import { type EntraEventListener, emit, type FetchFailureReason } from '../events.js';
import { isTrustedUrl } from '../urls.js';
import { type BoundedFetchOptions, fetchJson } from './http.js';
import { readStored, refusedStored, type StoreContext, writeStored } from './store.js';

/** What the validator uses from a discovery document. */
export interface EntraMetadata {
  readonly issuer: IssuerRule;
  readonly jwksUri: string;
  readonly authorizationEndpoint: string | undefined;
  readonly tokenEndpoint: string | undefined;
}

export interface MetadataContext {
  readonly fetch: BoundedFetchOptions;
  readonly clock: () => number;
  /** Minimum gap between two attempts after a failure. */
  readonly retryAfterMs: number;
  readonly onEvent: EntraEventListener | undefined;
  /** The `keyStore`, read before the network and written after a fetch. */
  readonly store?: StoreContext | undefined;
}

/** A failure to obtain metadata; `invalid_document` means a configuration problem, not an outage. */
export class MetadataError extends Error {
  override readonly name = 'MetadataError';
  constructor(
    readonly reason: FetchFailureReason,
    message: string,
  ) {
    super(message);
  }
}

function str(doc: Record<string, unknown>, key: string): string | undefined {
  const v = Object.hasOwn(doc, key) ? doc[key] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Checks a discovery document; returns the metadata, or why it is refused. */
export function parseMetadata(
  json: unknown,
  documentUrl: string,
  checkIssuer: (issuer: string) => IssuerRule | string,
): EntraMetadata | string {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return 'the discovery document is not a JSON object';
  const doc = json as Record<string, unknown>;
  const issuer = str(doc, 'issuer');
  if (issuer === undefined) return 'the discovery document has no issuer';
  const rule = checkIssuer(issuer);
  if (typeof rule === 'string') return rule;
  const jwksUri = str(doc, 'jwks_uri');
  if (jwksUri === undefined) return 'the discovery document has no jwks_uri';
  let keysUrl: URL;
  try {
    keysUrl = new URL(jwksUri);
  } catch {
    return 'the discovery document has an invalid jwks_uri';
  }
  if (
    !isTrustedUrl(keysUrl) ||
    keysUrl.host !== new URL(documentUrl).host ||
    keysUrl.protocol !== new URL(documentUrl).protocol
  ) {
    return "the discovery document's jwks_uri is not on the document's own host over https";
  }
  return {
    issuer: rule,
    jwksUri: keysUrl.href,
    authorizationEndpoint: str(doc, 'authorization_endpoint'),
    tokenEndpoint: str(doc, 'token_endpoint'),
  };
}

/** One discovery document: fetched on first use, then kept. */
export class MetadataSource {
  private value: EntraMetadata | undefined;
  private inFlight: Promise<EntraMetadata> | undefined;
  private failedAt = Number.NEGATIVE_INFINITY;
  private lastError: MetadataError | undefined;

  constructor(
    readonly url: string,
    readonly version: '1.0' | '2.0',
    private readonly checkIssuer: (issuer: string) => IssuerRule | string,
    private readonly ctx: MetadataContext,
  ) {}

  /** The metadata if already loaded. */
  get current(): EntraMetadata | undefined {
    return this.value;
  }

  /** The last failure, if the last attempt failed. */
  get failure(): MetadataError | undefined {
    return this.lastError;
  }

  /** Loads the document (once; concurrent callers share the request). Rejects with `keys_unavailable`. */
  load(): Promise<EntraMetadata> {
    if (this.value !== undefined) return Promise.resolve(this.value);
    if (this.inFlight !== undefined) return this.inFlight;
    const wait = this.failedAt + this.ctx.retryAfterMs - this.ctx.clock();
    if (wait > 0 && this.lastError !== undefined) {
      return Promise.reject(unavailable(this.lastError, wait));
    }
    this.inFlight = this.fetch().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetch(): Promise<EntraMetadata> {
    const stored = await this.fromStore();
    if (stored !== undefined) return stored;
    const result = await fetchJson(this.url, this.ctx.fetch);
    let error: MetadataError;
    if (result.ok) {
      const parsed = parseMetadata(result.json, this.url, this.checkIssuer);
      if (typeof parsed !== 'string') {
        this.value = parsed;
        this.lastError = undefined;
        emit(this.ctx.onEvent, {
          type: 'metadata_fetched',
          url: this.url,
          version: this.version,
          durationMs: result.durationMs,
        });
        if (this.ctx.store !== undefined)
          await writeStored(this.ctx.store, this.url, 'metadata', result.text);
        return parsed;
      }
      error = new MetadataError('invalid_document', `Discovery document ${this.url} refused: ${parsed}`);
    } else {
      const detail = result.status === undefined ? result.reason : `${result.reason} ${result.status}`;
      error = new MetadataError(
        result.reason,
        `Discovery document ${this.url} could not be fetched (${detail})`,
      );
      if (result.error !== undefined) (error as { cause?: unknown }).cause = result.error;
    }
    this.failedAt = this.ctx.clock();
    this.lastError = error;
    emit(this.ctx.onEvent, {
      type: 'metadata_fetch_failed',
      url: this.url,
      version: this.version,
      reason: error.reason,
      durationMs: result.durationMs,
    });
    throw unavailable(error, this.ctx.retryAfterMs);
  }

  /** The document from the key store, checked like a fresh response; `undefined` is a miss. */
  private async fromStore(): Promise<EntraMetadata | undefined> {
    const store = this.ctx.store;
    if (store === undefined) return undefined;
    const stored = await readStored(store, this.url, 'metadata');
    if (stored === undefined) return undefined;
    const parsed = parseMetadata(stored.json, this.url, this.checkIssuer);
    if (typeof parsed === 'string') {
      refusedStored(store, this.url, 'metadata', stored.durationMs);
      return undefined;
    }
    this.value = parsed;
    this.lastError = undefined;
    emit(this.ctx.onEvent, {
      type: 'metadata_loaded',
      url: this.url,
      version: this.version,
      source: 'store',
      durationMs: stored.durationMs,
    });
    return parsed;
  }
}

export function unavailable(cause: unknown, retryAfterMs: number): EntraAuthError {
  return new EntraAuthError('keys_unavailable', {
    cause,
    retryAfterSeconds: retryAfterMs / 1000,
    check: 'keys',
  });
}
