/**
 * Verified tokens: clients present the same token for its whole lifetime, so a hit skips the
 * signature check. A hit still checks the token's time window against the clock, and an entry whose
 * signing key has been removed upstream is dropped.
 *
 * Entries are keyed by the token's last 43 characters (256 bits of its signature) and hold the
 * whole token, which a hit must equal. Behind a server every request brings a fresh copy of the
 * token string, whose hash V8 computes over every character: a short key makes the lookup cheap,
 * and the full comparison means a token that merely ends like a cached one is never served from it.
 */
import { LRUCache } from 'lru-cache';
import type { SigningKey } from './jwks.js';
import type { EntraPrincipal } from './principal.js';

interface Entry {
  readonly token: string;
  readonly principal: EntraPrincipal;
  readonly key: SigningKey;
  readonly fromMs: number;
  readonly untilMs: number;
}

const KEY_LENGTH = 43;

function keyOf(token: string): string {
  return token.length > KEY_LENGTH ? token.slice(token.length - KEY_LENGTH) : token;
}

export class TokenCache {
  private readonly lru: LRUCache<string, Entry> | undefined;

  constructor(max: number) {
    this.lru = max > 0 ? new LRUCache<string, Entry>({ max }) : undefined;
  }

  /** The principal of a token verified earlier, if it is still within its window and its key is still published. */
  get(token: string, nowMs: number): EntraPrincipal | undefined {
    if (this.lru === undefined) return undefined;
    const key = keyOf(token);
    const entry = this.lru.get(key);
    if (entry === undefined || entry.token !== token) return undefined;
    if (entry.key.active && nowMs >= entry.fromMs && nowMs < entry.untilMs) return entry.principal;
    this.lru.delete(key);
    return undefined;
  }

  set(token: string, principal: EntraPrincipal, key: SigningKey, fromMs: number, untilMs: number): void {
    this.lru?.set(keyOf(token), { token, principal, key, fromMs, untilMs });
  }
}
