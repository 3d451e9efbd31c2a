/**
 * The checks of `@org/entra-core`, in the order its validator performs them (ARCHITECTURE.md, "One
 * request, end to end": parse → key → signature → claims → tenant → permissions → principal). This is
 * the one place the CLI knows that order: the validator names the check that refused a token
 * (`EntraAuthError.check`); the checks listed before it passed, the ones after it were not reached.
 *
 * Three words are raised on both sides of the key lookup, so they are listed twice: `kid` (a header
 * without a usable kid; a kid the issuer does not publish), `foreign` (a Microsoft Graph token while
 * parsing; an ID token or another service's token among the claims) and `format` (an encoding error;
 * a user token without oid or sub, at the end). Which of the two refused a token is what the validator
 * reported while verifying: whether it looked up the issuer's keys (`onEvent`). Other words raised at
 * two steps (`alg` for a key published for another algorithm, `keys` for the v1.0 discovery document)
 * sit at their first, so a check is never shown as passed when it may not have run.
 */
import type { EntraAuthCheck, EntraEvent } from '@org/entra-core';

/**
 * One check of the validator.
 *
 * @example
 * ```ts
 * const audience: CheckInfo | undefined = CHECKS.find((c) => c.check === 'aud');
 * console.log(audience?.title); // 'Audience (aud)'
 * ```
 */
export interface CheckInfo {
  /** The core's word for it: `EntraAuthError.check`. */
  readonly check: EntraAuthCheck;
  readonly title: string;
  /** The step after the key lookup, for a word raised on both sides of it. */
  readonly afterKeys?: boolean;
  /** Performed only when configured (`b2c`, `allowGuests: false`, `allowedClientIds`): listed when it refused the token. */
  readonly optional?: boolean;
}

const ORDER = [
  { check: 'length', title: 'Length (within maxTokenLength)' },
  { check: 'format', title: 'Encoding (three base64url parts, JSON header and claims)' },
  { check: 'foreign', title: 'Not a Microsoft Graph token' },
  { check: 'alg', title: 'Algorithm (alg)' },
  { check: 'header', title: 'No critical header extensions (crit)' },
  { check: 'typ', title: 'Type (typ JWT, when present)' },
  { check: 'kid', title: 'Key id (kid)' },
  { check: 'policy', title: 'B2C policy (tfp or acr)', optional: true },
  { check: 'keys', title: "Issuer's keys (discovery document, key set)" },
  { check: 'kid', title: "Signing key (kid in the issuer's key set)", afterKeys: true },
  { check: 'signature', title: 'Signature' },
  { check: 'ver', title: 'Token version (ver)' },
  { check: 'exp', title: 'Expiry (exp)' },
  { check: 'nbf', title: 'Not before (nbf)' },
  { check: 'iat', title: 'Issued at (iat)' },
  { check: 'iss', title: 'Issuer (iss)' },
  { check: 'tid', title: 'Tenant (tid)' },
  {
    check: 'foreign',
    title: "Token kind (an access token, not an ID token or another service's)",
    afterKeys: true,
  },
  { check: 'aud', title: 'Audience (aud)' },
  { check: 'scp', title: 'Permissions (scp or roles)' },
  { check: 'roles', title: 'App roles (roles)' },
  { check: 'format', title: 'Subject (a user token names its user: oid or sub)', afterKeys: true },
  { check: 'acct', title: 'Guest users (acct, idp)', optional: true },
  { check: 'azp', title: 'Calling application (azp or appid)', optional: true },
] as const satisfies readonly CheckInfo[];

// Every word of the core's `EntraAuthCheck` has its place: a new one fails to compile here.
type Unlisted = Exclude<EntraAuthCheck, (typeof ORDER)[number]['check']>;
const everyCheckListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyCheckListed;

/**
 * The validator's checks, in the order it performs them.
 *
 * @example
 * ```ts
 * CHECKS.map((c) => c.check); // ['length', 'format', 'foreign', 'alg', 'header', 'typ', 'kid', ...]
 * ```
 */
export const CHECKS: readonly CheckInfo[] = Object.freeze(ORDER.map((c) => Object.freeze({ ...c })));

/** Whether the validator looked up the issuer's keys: a refusal after that is a later step's. */
export function pastKeyLookup(events: readonly EntraEvent[]): boolean {
  return events.some((e) => e.type === 'keys_fetched' || e.type === 'stale_keys_served');
}

/** Where a refusal sits in the order: its check, on the side of the key lookup it happened. */
export function positionOf(check: EntraAuthCheck, afterKeys = false): number {
  let found = -1;
  CHECKS.forEach((c, i) => {
    if (c.check === check && (found < 0 || (c.afterKeys === true) === afterKeys)) found = i;
  });
  return found;
}

/** A check in a verdict. */
export interface CheckOutcome {
  readonly info: CheckInfo;
  readonly status: 'passed' | 'failed' | 'not_checked';
}

/**
 * The checks to show for a verdict, each passed, failed or not reached: `failed` is the check that
 * refused the token (`undefined` when it was accepted), `events` what the validator reported,
 * `performed` the optional checks this configuration performs (`policy` for B2C).
 */
export function layOut(
  failed: EntraAuthCheck | undefined,
  events: readonly EntraEvent[],
  performed: readonly EntraAuthCheck[] = [],
): CheckOutcome[] {
  const lookedUp = pastKeyLookup(events);
  const at = failed === undefined ? CHECKS.length : positionOf(failed, lookedUp);
  // A refusal without a key lookup (an issuer a combined validator routes nowhere, say) passed
  // nothing from the key lookup on, wherever its check sits.
  const reached = lookedUp || failed === undefined ? at : Math.min(at, positionOf('keys'));
  return CHECKS.flatMap((info, i): CheckOutcome[] => {
    if (i === at) return [{ info, status: 'failed' }];
    if (info.optional === true && !performed.includes(info.check)) return [];
    return [{ info, status: i < reached ? 'passed' : 'not_checked' }];
  });
}
