/**
 * Verified tokens: clients present the same token for its whole lifetime, so a hit skips parsing
 * and the signature check. A hit is served only within the token's validity window and while the
 * key that verified it is still published. Keyed by the whole token.
 *
 * A token is cached on its second verification. Traffic of tokens presented once would otherwise pay
 * on every call for an insertion, an eviction and a principal kept alive until evicted: `pnpm bench`
 * measured that at about 10 % of a verification (its row "default cache on, every call a miss"). The
 * tokens seen once are remembered as bits, a hash of each token's end (its signature) in a bitset
 * that is cleared after `max` tokens: a hash that collides only caches a verified token one
 * verification early.
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

/** The characters of a token's end that are hashed: its signature's, as random as a hash needs. */
const HASHED_CHARS = 16;

/** FNV-1a over the token's last characters. */
function hashOfEnd(token: string): number {
  let hash = 0x811c9dc5;
  for (let i = Math.max(0, token.length - HASHED_CHARS); i < token.length; i++) {
    hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}

export class TokenCache {
  private readonly lru: LRUCache<string, Entry> | undefined;
  /** Tokens verified once since the last clearing, as bits (about 16 per token remembered). */
  private readonly seenOnce: Uint32Array;
  private remembered = 0;
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
    this.lru = max > 0 ? new LRUCache<string, Entry>({ max }) : undefined;
    // A power of two of at least 16 bits per token: few enough collisions, and a mask for an index.
    const bits = max > 0 ? 2 ** Math.ceil(Math.log2(Math.max(1024, max * 16))) : 32;
    this.seenOnce = new Uint32Array(bits / 32);
  }

  /** True when the token was verified before since the last clearing; remembers it otherwise. */
  private seenBefore(token: string): boolean {
    const bit = hashOfEnd(token) & (this.seenOnce.length * 32 - 1);
    const word = bit >>> 5;
    const mask = 1 << (bit & 31);
    if ((this.seenOnce[word] as number) & mask) return true;
    if (this.remembered >= this.max) {
      this.seenOnce.fill(0);
      this.remembered = 0;
    }
    this.seenOnce[word] = (this.seenOnce[word] as number) | mask;
    this.remembered++;
    return false;
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
    if (this.lru === undefined || !this.seenBefore(token)) return;
    this.lru.set(token, { principal, key, keys, fromMs, untilMs });
  }
}
