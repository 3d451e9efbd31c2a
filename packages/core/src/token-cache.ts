/**
 * Verified tokens: clients present the same token for its whole lifetime, so a hit skips parsing
 * and the signature check. A hit is served only within the token's validity window and while the
 * key that verified it is still published. Keyed by the whole token.
 */
import { LRUCache } from 'lru-cache';
import type { SigningKey } from './keys/jwks.js';
import type { EntraPrincipal } from './principal.js';

/** The key set a token was verified with: a hit is served only while its keys may still be used. */
interface KeySource {
  usable(nowMs: number): boolean;
}

interface Entry {
  readonly principal: EntraPrincipal;
  readonly key: SigningKey;
  readonly keys: KeySource;
  readonly fromMs: number;
  readonly untilMs: number;
}

export class TokenCache {
  private readonly lru: LRUCache<string, Entry> | undefined;

  constructor(max: number) {
    this.lru = max > 0 ? new LRUCache<string, Entry>({ max }) : undefined;
  }

  /**
   * The principal of a token verified earlier, if it is still within its window, its key is still
   * published and its key set may still be used (checking that starts an overdue refresh, so removed
   * keys stop verifying cached tokens too).
   */
  get(token: string, nowMs: number): EntraPrincipal | undefined {
    const entry = this.lru?.get(token);
    if (entry === undefined) return undefined;
    if (!entry.keys.usable(nowMs)) return undefined;
    if (entry.key.active && nowMs >= entry.fromMs && nowMs < entry.untilMs) return entry.principal;
    this.lru?.delete(token);
    return undefined;
  }

  set(
    token: string,
    principal: EntraPrincipal,
    key: SigningKey,
    keys: KeySource,
    fromMs: number,
    untilMs: number,
  ): void {
    this.lru?.set(token, { principal, key, keys, fromMs, untilMs });
  }
}
