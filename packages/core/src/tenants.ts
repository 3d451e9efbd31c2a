/**
 * Multi-tenant APIs: which tenants are accepted. A list is a set lookup; a function's answers are
 * kept in an LRU cache for {@link TENANT_DECISION_TTL_MS}, so a tenant it stops allowing is refused
 * soon after. A function that throws, rejects or does not answer within the request timeout fails
 * that request with `tenant_check_failed` (503) and is asked again by the next one: a failure is
 * never remembered, so it can neither lock a tenant out nor let one in.
 */
import { LRUCache } from 'lru-cache';
import { checkNotConsumer } from './claims.js';
import { EntraAuthError } from './errors.js';
import type { EntraAllowedTenants } from './options.js';

const TENANT_DECISIONS_MAX = 1000;
/** How long an `allowedTenants` function's answer is used before it is asked again. */
export const TENANT_DECISION_TTL_MS = 5 * 60 * 1000;

export interface TenantPolicyOptions {
  readonly allowedTenants: EntraAllowedTenants | undefined;
  readonly allowAnyTenant: boolean;
  /** `organizations`: personal Microsoft accounts are refused whatever the list says. */
  readonly excludeConsumers: boolean;
  readonly clock: () => number;
  /** How long a function may take to answer. */
  readonly timeoutMs: number;
  /** Sent as `Retry-After` when a function fails. */
  readonly retryAfterSeconds: number;
}

/** Rejects when `promise` has not settled within `ms` (the timer does not keep the process alive). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class TenantPolicy {
  private readonly listed: ReadonlySet<string> | undefined;
  private readonly decisions: LRUCache<string, boolean>;
  /** Questions to the function under way, shared by concurrent requests for one tenant. */
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(private readonly o: TenantPolicyOptions) {
    this.listed = Array.isArray(o.allowedTenants) ? new Set(o.allowedTenants as string[]) : undefined;
    this.decisions = new LRUCache<string, boolean>({
      max: TENANT_DECISIONS_MAX,
      ttl: TENANT_DECISION_TTL_MS,
      ttlResolution: 0, // read the clock at every lookup: it may be a test's or a replay's
      perf: { now: o.clock },
    });
  }

  /** Resolves when the token's tenant is accepted; rejects with `tenant_not_allowed` or `tenant_check_failed`. */
  async check(tid: string | undefined): Promise<void> {
    if (this.o.excludeConsumers) checkNotConsumer(tid);
    if (this.o.allowAnyTenant) return;
    const tenant = (tid ?? '').toLowerCase();
    const allowed = this.listed !== undefined ? this.listed.has(tenant) : await this.ask(tenant);
    if (!allowed) throw new EntraAuthError('tenant_not_allowed', { check: 'tid' });
  }

  private ask(tenant: string): boolean | Promise<boolean> {
    const predicate = this.o.allowedTenants;
    if (typeof predicate !== 'function') return false;
    const known = this.decisions.get(tenant);
    if (known !== undefined) return known;
    const pending = this.pending.get(tenant);
    if (pending !== undefined) return pending;
    let answer: boolean | Promise<boolean>;
    try {
      answer = predicate(tenant);
    } catch (cause) {
      throw this.failed(cause);
    }
    if (typeof answer === 'boolean') {
      this.decisions.set(tenant, answer);
      return answer;
    }
    const question = withTimeout(Promise.resolve(answer), this.o.timeoutMs)
      .then(
        (ok) => {
          this.decisions.set(tenant, ok === true);
          return ok === true;
        },
        (cause: unknown) => {
          throw this.failed(cause);
        },
      )
      .finally(() => this.pending.delete(tenant));
    this.pending.set(tenant, question);
    return question;
  }

  private failed(cause: unknown): EntraAuthError {
    return new EntraAuthError('tenant_check_failed', {
      cause,
      retryAfterSeconds: this.o.retryAfterSeconds,
      check: 'tid',
    });
  }
}
