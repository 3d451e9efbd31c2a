/**
 * Group memberships, including the "groups overage" case: when a user is in more groups than fit in
 * a token (200 in a JWT), Entra ID leaves `groups` out and signals the overage instead (`hasgroups`,
 * or `_claim_names.groups` pointing at `_claim_sources`). The groups must then be read from
 * Microsoft Graph (`POST /users/{oid}/getMemberObjects`), with a token the API gets for itself.
 *
 * What a token says decides nothing about where requests go: the Graph host is the configured one
 * (the `_claim_sources` endpoint in the token is never used), and the only token value in the URL is
 * the `oid`, checked to be a GUID first. Answers are cached per tenant and object id; concurrent
 * lookups of one user share a request; failures are not cached and never let a requirement pass.
 */
import { LRUCache } from 'lru-cache';
import { EntraAuthError } from '../errors.js';
import { GUID_RE } from '../ids.js';
import { fail, own } from '../option-checks.js';
import type { EntraPrincipal } from '../principal.js';
import { type DirectoryKind, lookUp, unavailable } from './graph.js';
import {
  type GroupsCheck,
  type GroupsOptions,
  type RequireGroupsOptions,
  type ResolvedGroupsOptions,
  resolveGroupsOptions,
} from './options.js';

export type {
  GraphTokenProvider,
  GraphTokenRequest,
  GroupsCheck,
  GroupsOptions,
  RequireGroupsOptions,
} from './options.js';

function present(principal: EntraPrincipal | undefined): EntraPrincipal {
  if (principal === undefined || principal === null) throw new EntraAuthError('missing_token');
  return principal;
}

/** GUIDs compare without case (Graph writes them in lower case); other names are kept as they are. */
function normalize(name: string): string {
  return GUID_RE.test(name) ? name.toLowerCase() : name;
}

const NO_GROUPS: readonly string[] = Object.freeze([]);

/** The token's own `groups` claim, or `undefined` when it has none. */
function groupsClaim(claims: Readonly<Record<string, unknown>>): readonly string[] | undefined {
  const groups = own(claims, 'groups');
  if (!Array.isArray(groups)) return undefined;
  return Object.freeze(groups.filter((g): g is string => typeof g === 'string' && g !== '').map(normalize));
}

/** Whether the token says its groups did not fit: `hasgroups: true` or `_claim_names.groups`. */
function signalsOverage(claims: Readonly<Record<string, unknown>>): boolean {
  if (own(claims, 'hasgroups') === true) return true;
  const names = own(claims, '_claim_names');
  return typeof names === 'object' && names !== null && Object.hasOwn(names, 'groups');
}

/** Bound on the ids held by the cache, all users together (a GUID string costs about 60 bytes). */
const CACHE_MAX_IDS = 500_000;

interface CachedGroups {
  readonly groups: readonly string[];
  readonly fetchedAt: number;
}

// One cache for the process: lookups of one user share it whatever options object they pass (a
// per-call literal included). The key holds everything that changes Graph's answer.
const cache = new LRUCache<string, CachedGroups>({
  max: 100_000,
  maxSize: CACHE_MAX_IDS,
  sizeCalculation: (entry) => entry.groups.length + 1,
});
const inFlight = new Map<string, Promise<readonly string[]>>();

/**
 * The principal's group ids: the token's `groups` claim when it has one; when the token signals an
 * overage (`hasgroups`, or `_claim_names.groups`), the ids Microsoft Graph returns for
 * `POST /v1.0/users/{oid}/getMemberObjects` (`/servicePrincipals/{oid}/...` for an app-only token),
 * cached per tenant and object id for `cacheSeconds`; otherwise none. GUIDs are returned in lower case.
 *
 * A lookup that cannot complete (no Graph token, Graph unreachable, too slow, a refusal, an answer
 * that is not a list of ids) rejects with an `EntraAuthError` with status 503 whose message says
 * what to fix (e.g. which Graph permission to grant); it is not cached, the next call asks again.
 * Bad options reject with an `EntraConfigError`.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential } from '@azure/identity';
 *
 * const credential = new ClientSecretCredential(tenantId, apiClientId, apiClientSecret);
 * const groups = await resolveGroups(principal, { getGraphToken: ({ scope }) => credential.getToken(scope) });
 * if (groups.includes(adminsGroupId)) showAdminMenu();
 * ```
 */
export async function resolveGroups(
  principal: EntraPrincipal | undefined,
  options: GroupsOptions,
): Promise<readonly string[]> {
  const o = resolveGroupsOptions(options);
  return groupsOf(present(principal), o);
}

function groupsOf(
  principal: EntraPrincipal,
  o: ResolvedGroupsOptions,
): Promise<readonly string[]> | readonly string[] {
  const claims = principal.claims;
  const fromToken = groupsClaim(claims);
  if (fromToken !== undefined) return fromToken;
  if (!signalsOverage(claims)) return NO_GROUPS;
  const kind: DirectoryKind = principal.isAppOnly ? 'servicePrincipals' : 'users';
  const oid = own(claims, 'oid');
  const tenantId = principal.tenantId;
  // The oid goes into the URL path: only a GUID may.
  if (typeof oid !== 'string' || !GUID_RE.test(oid) || !GUID_RE.test(tenantId)) {
    throw unavailable(
      'The groups of this caller cannot be read: the token has no tenant and object id (tid, oid) GUIDs',
    );
  }
  const key = `${o.graph} ${kind} ${o.securityEnabledOnly} ${tenantId.toLowerCase()} ${oid.toLowerCase()}`;
  const now = o.clock();
  const cached = cache.get(key);
  if (cached !== undefined) {
    const age = now - cached.fetchedAt;
    if (age >= 0 && age < o.cacheMs) return cached.groups;
  }
  let pending = inFlight.get(key);
  if (pending === undefined) {
    pending = lookUp(kind, oid.toLowerCase(), tenantId.toLowerCase(), o).then(
      (groups) => {
        if (o.cacheMs > 0) cache.set(key, { groups, fetchedAt: o.clock() });
        inFlight.delete(key);
        return groups;
      },
      (error: unknown) => {
        // Failures are not cached: the next lookup asks again.
        inFlight.delete(key);
        throw error;
      },
    );
    inFlight.set(key, pending);
  }
  return pending;
}

// Group names: object ids usually; with other claim settings, names such as `sAMAccountName` or a
// display name. Any non-empty text without control characters.
const GROUP_NAME_RE = /^[^\x00-\x1f\x7f]{1,256}$/;

function requiredGroups(groups: unknown): string[] {
  const list = typeof groups === 'string' ? [groups] : groups;
  if (!Array.isArray(list)) {
    fail(
      "Required groups must be a group object id or a list of them, e.g. '0b7d8a3e-9c4f-4e21-b6a5-3f2e1d0c9b8a'",
    );
  }
  if (list.length === 0)
    fail('Required groups must not be empty: an empty requirement would allow every token');
  for (const name of list) {
    if (typeof name !== 'string' || !GROUP_NAME_RE.test(name)) {
      fail('Required groups must be non-empty strings without control characters (group object ids)');
    }
  }
  return [...new Set((list as string[]).map(normalize))];
}

/**
 * Validates a group requirement and its options now (an `EntraConfigError` at start-up, never on
 * the first request) and returns its check: it resolves when the principal is in every listed group
 * (`match: 'all'`, the default) or in one of them (`'any'`), reading Graph on an overage as
 * {@link resolveGroups} does. A principal outside the groups is refused with `insufficient_role`
 * (403); a Graph lookup that fails is refused as unavailable (503), never passed.
 *
 * @example
 * ```ts
 * const admins = createGroupsCheck('0b7d8a3e-9c4f-4e21-b6a5-3f2e1d0c9b8a', { getGraphToken });
 * app.delete('/orders/:id', async (req, res, next) => {
 *   try {
 *     await admins(req.auth);
 *     next();
 *   } catch (e) {
 *     next(e);
 *   }
 * });
 * ```
 */
export function createGroupsCheck(
  groups: string | readonly string[],
  options: RequireGroupsOptions,
): GroupsCheck {
  const need = requiredGroups(groups);
  const o = resolveGroupsOptions(options);
  return async (principal) => {
    const have = await groupsOf(present(principal), o);
    const pass = o.match === 'all' ? need.every((g) => have.includes(g)) : need.some((g) => have.includes(g));
    if (!pass) {
      throw new EntraAuthError('insufficient_role', {
        message: 'The caller is not a member of a required group',
      });
    }
  };
}

/**
 * Requires group membership: resolves when the principal is in the listed groups (all of them, or
 * any with `match: 'any'`), rejects with `insufficient_role` (403) otherwise. Groups come from the
 * token, or from Microsoft Graph when the token signals an overage (see {@link resolveGroups}); a
 * lookup that fails rejects with a 503 and never passes. An empty list is an `EntraConfigError`.
 * Prefer {@link createGroupsCheck} for a requirement used on every request: it checks it once.
 *
 * @example
 * ```ts
 * await requireGroups(principal, ['0b7d8a3e-9c4f-4e21-b6a5-3f2e1d0c9b8a'], {
 *   getGraphToken: ({ scope }) => credential.getToken(scope),
 * });
 * ```
 */
export async function requireGroups(
  principal: EntraPrincipal | undefined,
  groups: string | readonly string[],
  options: RequireGroupsOptions,
): Promise<void> {
  await createGroupsCheck(groups, options)(principal);
}
