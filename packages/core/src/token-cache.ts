/**
 * Verified tokens, keyed by the whole token: clients present the same token for its whole lifetime,
 * so a hit skips the signature check. A hit still checks the token's time window against the clock,
 * and an entry whose signing key has been removed upstream is dropped.
 */
import { LRUCache } from 'lru-cache';
import type { SigningKey } from './jwks.js';
import type { EntraPrincipal } from './principal.js';

interface Entry {
  readonly principal: EntraPrincipal;
  readonly key: SigningKey;
  readonly fromMs: number;
  readonly untilMs: number;
}

export class TokenCache {
  private readonly lru: LRUCache<string, Entry> | undefined;

  constructor(max: number) {
    this.lru = max > 0 ? new LRUCache<string, Entry>({ max }) : undefined;
  }

  /** The principal of a token verified earlier, if it is still within its window and its key is still published. */
  get(token: string, nowMs: number): EntraPrincipal | undefined {
    if (this.lru === undefined) return undefined;
    const entry = this.lru.get(token);
    if (entry === undefined) return undefined;
    if (entry.key.active && nowMs >= entry.fromMs && nowMs < entry.untilMs) return entry.principal;
    this.lru.delete(token);
    return undefined;
  }

  set(token: string, principal: EntraPrincipal, key: SigningKey, fromMs: number, untilMs: number): void {
    this.lru?.set(token, { principal, key, fromMs, untilMs });
  }
}
