/**
 * What each refusal means, per check: the validator of `@org/entra-core` says which check refused a
 * token (`EntraAuthError.check`, with its `code` and `message`); this table says why, in plain words,
 * and how to fix it. Each check has a list of explanations; the first whose `when` holds is used, so
 * a more precise diagnosis (a Graph token, a token from another tenant, a v1 token where v2 is
 * expected) goes before the general one that ends each list.
 *
 * Nothing here decides whether a token passes. `when` only chooses the words, from the token the
 * user gave, the configuration, the core's code and what the validator fetched.
 */
import {
  CONSUMERS_TENANT_ID,
  type DecodedToken,
  type EntraAuthCheck,
  type EntraAuthErrorCode,
  type EntraEvent,
  type FetchFailureReason,
  isGuid,
  MAX_KID_LENGTH,
} from '@org/entra-core';
import {
  type Advice,
  apiScope,
  audienceAdvice,
  audienceNearMiss,
  type Expectations,
  expiredAdvice,
  graphAdvice,
  idTokenAdvice,
  notYetValidAdvice,
  permissionsAdvice,
  resourceAdvice,
  tenantAdvice,
  validFrom,
  versionAdvice,
} from './advice.js';
import { pastKeyLookup } from './checks.js';
import {
  type FlavourFindingId,
  flavourMismatch,
  flavourOfNote,
  flavourWords,
  type TokenFlavour,
  tokenFlavour,
} from './flavours.js';
import { formatDuration } from './format.js';
import { claim, type TokenSummary } from './token.js';

/**
 * The stable ids of diagnoses: `explain`'s finding ids, and `verify`'s `error.reason`.
 *
 * @example
 * ```ts
 * const reason: FindingId | undefined = (await verifyToken(token, options)).error?.reason; // e.g. 'graph_token'
 * ```
 */
export type FindingId =
  | 'too_long'
  | 'malformed'
  | 'graph_token'
  | 'id_token'
  | 'microsoft_resource_token'
  | 'foreign_token'
  | 'not_entra_signed'
  | 'b2c_token'
  | 'external_id_token'
  | 'other_cloud'
  | 'workforce_token'
  | 'unknown_key'
  | 'policy'
  | 'issuer_unreachable'
  | 'issuer_refused'
  | 'invalid_signature'
  | 'token_version'
  | 'expired'
  | 'not_yet_valid'
  | 'token_too_old'
  | 'other_issuer'
  | 'tenant'
  | 'audience'
  | 'no_permissions'
  | 'no_user'
  | 'guest_not_allowed'
  | 'client_not_allowed'
  | 'refused'
  | 'guest'
  | 'multi_tenant'
  | 'v1_token';

/**
 * Everything an explanation may read: the refusal, the token (decoded, not trusted), the
 * configuration, and what the validator fetched.
 *
 * @example
 * ```ts
 * const explanation = EXPLANATIONS.aud.find((e) => e.when?.(ctx) ?? true);
 * console.log(explanation?.title(ctx), explanation?.advice(ctx).fix);
 * ```
 */
export interface RefusalContext {
  /** The validator's error code, check and message. */
  readonly code: EntraAuthErrorCode;
  readonly check: EntraAuthCheck;
  readonly message: string;
  /** The message of the error's cause, if any (a refused discovery document says why). */
  readonly cause: string | undefined;
  /** The token as it was verified. */
  readonly token: string;
  readonly decoded: DecodedToken;
  readonly summary: TokenSummary;
  readonly expect: Expectations;
  /** What the validator reported while verifying (`onEvent`): fetches, failures. */
  readonly events: readonly EntraEvent[];
  readonly nowMs: number;
  /** True for `explain`: nothing was fetched; the token's own issuer was stood in for. */
  readonly offline: boolean;
}

/**
 * One way a check can fail, in words.
 *
 * @example
 * ```ts
 * const azureCliToken: Explanation = {
 *   id: 'audience',
 *   when: (ctx) => ctx.summary.clientId === '04b07795-8ddb-461a-bbee-02f9e1bf7b46', // the Azure CLI
 *   title: () => 'A token the Azure CLI requested for another resource',
 *   advice: () => ({ detail: '…', fix: 'az account get-access-token --scope api://<api-client-id>/.default' }),
 * };
 * ```
 */
export interface Explanation {
  /** The diagnosis' stable id. */
  readonly id: FindingId;
  /** Whether this explanation fits; absent: always (the general one, last in its list). */
  readonly when?: (ctx: RefusalContext) => boolean;
  /** One line: what is wrong. */
  readonly title: (ctx: RefusalContext) => string;
  /** What the token shows, and the fix. */
  readonly advice: (ctx: RefusalContext) => Advice;
}

/**
 * A refusal explained: the diagnosis' id, its title, and its advice.
 *
 * @example
 * ```ts
 * const { id, title, detail, fix }: ExplainedRefusal = explainRefusal(ctx);
 * console.log(`${title} (${id})\n${detail}\nFix: ${fix}`);
 * ```
 */
export interface ExplainedRefusal extends Advice {
  readonly id: FindingId;
  readonly title: string;
}

// ---------------------------------------------------------------------------------------------
// What the context shows.

const headerValue = (ctx: RefusalContext, name: string): unknown => claim(ctx.decoded.header, name);
const shown = (value: unknown): string =>
  typeof value === 'string' ? value : (JSON.stringify(value) ?? '(none)');

/** The validator went past parsing: it looked up the issuer's keys. */
const keysLookedUp = (ctx: RefusalContext): boolean => pastKeyLookup(ctx.events);

/** The key set the validator fetched, if it did. */
export function jwksUriOf(events: readonly EntraEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as EntraEvent;
    if (e.type === 'keys_fetched') return e.jwksUri;
  }
  return undefined;
}

/** The discovery document or key set that could not be fetched, and why. */
export function fetchFailureOf(
  events: readonly EntraEvent[],
): { readonly url: string; readonly reason: FetchFailureReason } | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as EntraEvent;
    if (e.type === 'metadata_fetch_failed') return { url: e.url, reason: e.reason };
    if (e.type === 'keys_fetch_failed') return { url: e.jwksUri, reason: e.reason };
  }
  return undefined;
}

const FETCH_REASONS: { readonly [R in FetchFailureReason]: string } = {
  network: 'the connection failed',
  timeout: 'the request timed out',
  status: 'the server answered with an error status',
  redirect: 'the server redirected (redirects are never followed)',
  too_large: 'the response was too large',
  invalid_json: 'the response was not JSON',
  invalid_document: 'the document was refused',
  no_usable_keys: 'the key set has no usable RSA signing key',
};

/** The token's tenant differs from a configured tenant GUID. */
function otherTenant(ctx: RefusalContext): boolean {
  const configured = ctx.expect.tenantId;
  const tid = ctx.summary.tenantId;
  return isGuid(configured) && tid !== undefined && tid.toLowerCase() !== configured.toLowerCase();
}

/** The version the configuration asks for, as opposed to the token's. */
function expectedVersion(ctx: RefusalContext): '1.0' | '2.0' {
  const accepted = ctx.expect.tokenVersions;
  if (accepted.length === 1) return accepted[0] as '1.0' | '2.0';
  return ctx.summary.version === '1.0' ? '2.0' : '1.0';
}

/**
 * The version an audience in the other form of the same app implies: `api://<id>` on a v1 token where
 * `<id>` is accepted means v2 was expected, and back.
 */
function versionByAudience(ctx: RefusalContext): '1.0' | '2.0' | undefined {
  const { summary } = ctx;
  const aud = summary.audience;
  if (typeof aud !== 'string' || audienceNearMiss(aud, ctx.expect.audiences) !== 'other_form')
    return undefined;
  if (summary.version === '1.0' && aud.startsWith('api://')) return '2.0';
  if (summary.version === '2.0' && isGuid(aud)) return '1.0';
  return undefined;
}

/** What the token shows of the flavour of Entra it comes from. */
const flavourOf = (ctx: RefusalContext): TokenFlavour => tokenFlavour(ctx.decoded.payload);

/**
 * A token of another flavour of Entra than the API's (a B2C or External ID token sent to a workforce
 * validator, a token of another national cloud, a workforce token sent to a B2C or External ID one):
 * refused at whichever check meets it first (the key lookup, the issuer, the policy, the version).
 */
function otherFlavour(id: FlavourFindingId, also?: (ctx: RefusalContext) => boolean): Explanation {
  const words = (ctx: RefusalContext) =>
    flavourWords(id, flavourOf(ctx), ctx.summary, ctx.decoded.payload, ctx.expect, ctx.check);
  // `explain` without a configuration runs a workforce tenant's rules: what they refuse of a token
  // of another flavour is that flavour's doing.
  const ofAnother = (ctx: RefusalContext): boolean =>
    flavourMismatch(flavourOf(ctx), ctx.expect) === id ||
    (ctx.expect.flavour === undefined && flavourOfNote(flavourOf(ctx)) === id);
  return {
    id,
    when: (ctx) => ofAnother(ctx) && (also?.(ctx) ?? true),
    title: (ctx) => words(ctx).title,
    advice: (ctx) => words(ctx).advice,
  };
}

const FLAVOUR_IDS = ['b2c_token', 'external_id_token', 'other_cloud', 'workforce_token'] as const;
const otherFlavours = (also?: (ctx: RefusalContext) => boolean): Explanation[] =>
  FLAVOUR_IDS.map((id) => otherFlavour(id, also));

/** The B2C policy the token names (`tfp`, or a policy id in `acr`). */
function tokenPolicy(ctx: RefusalContext): string | undefined {
  const flavour = flavourOf(ctx);
  return flavour.kind === 'b2c' ? flavour.policy : undefined;
}

/** The claim a B2C token names its policy in. */
const policyClaim = (ctx: RefusalContext): string =>
  claim(ctx.decoded.payload, 'tfp') !== undefined ? 'tfp' : 'acr';

const NOT_FROM_ENTRA =
  'This token was not issued by Entra ID (a hand-made or test token, or another identity provider). Get a token from Entra ID for your API.';

/** A claim of the wrong type: Entra never writes one. */
function malformedClaim(name: string, what: string): Explanation {
  return {
    id: 'malformed',
    when: (ctx) => ctx.code === 'malformed_token',
    title: () => `The token's ${name} is not ${what}`,
    advice: () => ({ detail: `The claim ${name} is not ${what}, as Entra writes it.`, fix: NOT_FROM_ENTRA }),
  };
}

const headerNotFromEntra = (detail: (ctx: RefusalContext) => string): Explanation => ({
  id: 'not_entra_signed',
  title: () => 'The header is not one Entra ID writes',
  advice: (ctx) => ({ detail: detail(ctx), fix: NOT_FROM_ENTRA }),
});

// ---------------------------------------------------------------------------------------------
// The explanations, per check word, in verification order.

/**
 * For every check of the validator, the ways it can fail, most precise first. Teaching the CLI a new
 * diagnosis (say, a token the Azure CLI requested for another resource, under `aud`) is adding an
 * entry to its check's list. A token of another flavour of Entra (B2C, External ID, another cloud)
 * is explained at every check that can meet it first.
 *
 * @example
 * ```ts
 * EXPLANATIONS.foreign.map((e) => e.id); // ['graph_token', 'id_token', 'microsoft_resource_token', 'foreign_token']
 * ```
 */
export const EXPLANATIONS: { readonly [C in EntraAuthCheck]: readonly Explanation[] } = {
  length: [
    {
      id: 'too_long',
      title: (ctx) => `The token is longer than ${ctx.expect.maxTokenLength} characters`,
      advice: (ctx) => ({
        detail: `The token has ${ctx.token.length} characters; the validator refuses tokens longer than maxTokenLength (${ctx.expect.maxTokenLength}) before decoding them.`,
        fix: 'Copy the token again: a paste can run two values together. Entra keeps access tokens short (a user in many groups gets an overage claim instead of the list); if yours are legitimately longer, raise maxTokenLength.',
      }),
    },
  ],
  format: [
    {
      id: 'no_user',
      // The principal is built last: a `format` refusal after the keys were looked up is that one.
      when: keysLookedUp,
      title: () => 'A user token that names no user (no oid, no sub)',
      advice: () => ({
        detail: 'The token is a user (delegated) token but carries neither oid nor sub.',
        fix: 'Entra user tokens always identify their user: this token was not issued by Entra ID.',
      }),
    },
    {
      id: 'malformed',
      title: () => 'The token is not strictly encoded',
      advice: () => ({
        detail:
          'The token is not a strictly encoded JWT: three unpadded base64url parts (no whitespace, + or /), a JSON object as header and as claims, and a signature.',
        fix: 'Copy the whole token again, without quotes or line breaks (check the copy was not cut).',
      }),
    },
  ],
  foreign: [
    {
      id: 'graph_token',
      when: (ctx) => ctx.summary.kind === 'graph_token',
      title: () => 'This is a Microsoft Graph token, not a token for your API',
      advice: (ctx) => graphAdvice(ctx.summary, ctx.expect),
    },
    {
      id: 'id_token',
      when: (ctx) => ctx.summary.kind === 'id_token',
      title: () => 'This is an ID token, not an access token',
      advice: (ctx) => idTokenAdvice(ctx.summary),
    },
    // A B2C access token may carry the sign-in's nonce, the mark of an ID token for a workforce validator.
    ...otherFlavours(),
    {
      id: 'microsoft_resource_token',
      when: (ctx) => ctx.summary.kind === 'microsoft_resource_token',
      title: () => 'This token is for another Microsoft service',
      advice: (ctx) => resourceAdvice(ctx.summary, ctx.expect),
    },
    {
      id: 'foreign_token',
      title: () => 'The token is not an access token for this API',
      advice: (ctx) => ({
        detail: ctx.message,
        fix: `Request a token for your API: scope ${apiScope(ctx.expect)}.`,
      }),
    },
  ],
  alg: [
    headerNotFromEntra((ctx) =>
      keysLookedUp(ctx)
        ? `The token is signed with ${shown(headerValue(ctx, 'alg'))}, but the key it names is published for another algorithm.`
        : `The token's alg is ${shown(headerValue(ctx, 'alg'))}: Entra signs access tokens with RS256, the one algorithm the validator accepts unless configured otherwise.`,
    ),
  ],
  header: [
    headerNotFromEntra(
      () =>
        'The header has a crit parameter: Entra never sets one, and the validator refuses extensions it would have to understand.',
    ),
  ],
  typ: [
    headerNotFromEntra(
      (ctx) => `The token's typ is ${shown(headerValue(ctx, 'typ'))}: access tokens have typ JWT, or none.`,
    ),
  ],
  kid: [
    // Each flavour and cloud signs with its own keys: another's token names a key this issuer lacks.
    ...otherFlavours((ctx) => ctx.code === 'unknown_signing_key'),
    {
      id: 'unknown_key',
      when: (ctx) => ctx.code === 'unknown_signing_key',
      title: () => 'The token is signed with a key the issuer does not publish',
      advice: (ctx) => ({
        detail: `No key with kid ${shown(headerValue(ctx, 'kid'))} in ${jwksUriOf(ctx.events) ?? "the issuer's key set"} (the token's iss: ${ctx.summary.issuer ?? '(none)'}).`,
        fix: `Usual causes: the token comes from another tenant, cloud or authority than the validator's (${ctx.expect.discoveryUrl ?? 'its discovery URL'}: check --tenant, --cloud, --authority, or --b2c-domain / --external-id); the API uses app-specific signing keys (claims mapping or SAML SSO): pass --discovery-url with ?appid=<api-client-id>; or the token was signed by a key Entra never published (a test token).`,
      }),
    },
    headerNotFromEntra((ctx) => {
      const kid = headerValue(ctx, 'kid');
      const what =
        typeof kid !== 'string' || kid === ''
          ? 'no kid'
          : `a kid of ${kid.length} characters, more than the ${MAX_KID_LENGTH} accepted`;
      return `The header has ${what}: Entra names the signing key in kid.`;
    }),
  ],
  policy: [
    // A B2C validator reads the policy first: a workforce or External ID token names none.
    ...otherFlavours(),
    {
      id: 'policy',
      when: (ctx) => tokenPolicy(ctx) === undefined,
      title: () => 'The token names no Azure AD B2C policy (no tfp or acr)',
      advice: (ctx) => ({
        detail: `A B2C validator reads the policy (user flow or custom policy) that issued a token from its tfp claim (acr in older policies); this token has neither (iss ${ctx.summary.issuer ?? '(none)'}).`,
        fix: `Send an access token issued by one of the API's user flows (${ctx.expect.policies?.join(', ') ?? 'b2c.policies'}), requested for a scope the API exposes.`,
      }),
    },
    {
      id: 'policy',
      title: () => 'The token comes from a B2C policy (user flow) this API does not accept',
      advice: (ctx) => {
        const policy = tokenPolicy(ctx) ?? '(none)';
        const accepted = ctx.expect.policies?.join(', ') ?? 'the configured b2c.policies';
        return {
          detail: `The token was issued by the policy ${policy} (its ${policyClaim(ctx)}); this API accepts ${accepted} (compared without case).`,
          fix: `Have the client sign in through one of the accepted user flows (${accepted}). If ${policy} is one of yours, add it to b2c.policies (CLI: --b2c-policy ${policy}).`,
        };
      },
    },
  ],
  keys: [
    // The validator looked for the tenant where this flavour or cloud does not serve it.
    ...otherFlavours(),
    {
      id: 'issuer_refused',
      when: (ctx) => fetchFailureOf(ctx.events)?.reason === 'invalid_document',
      title: () => "The issuer's discovery document was refused",
      advice: (ctx) => ({
        detail: `${ctx.cause ?? `The discovery document ${fetchFailureOf(ctx.events)?.url} was refused`}.`,
        fix: 'The issuer answered, but for another tenant or authority: check --tenant, --authority (or --cloud), --discovery-url, --b2c-domain and --domain.',
      }),
    },
    {
      id: 'issuer_unreachable',
      title: () => 'The issuer could not be reached',
      advice: (ctx) => {
        const failure = fetchFailureOf(ctx.events);
        const why =
          failure === undefined
            ? 'it could not be fetched'
            : (FETCH_REASONS[failure.reason] ?? failure.reason);
        return {
          detail: `The issuer is unreachable: ${failure?.url ?? "the issuer's metadata"}: ${why}. The token itself was not judged.`,
          fix: 'Check the network (proxy, firewall, DNS) and --authority / --tenant, then retry. An API in this state answers 503 with Retry-After.',
        };
      },
    },
  ],
  signature: [
    {
      id: 'invalid_signature',
      title: () => 'The signature does not match the key',
      advice: (ctx) => ({
        detail: `The signature does not match the published key ${shown(headerValue(ctx, 'kid'))}: the token was altered, cut short, or forged.`,
        fix: 'Copy the token again, whole. A token whose claims were edited can never verify.',
      }),
    },
  ],
  ver: [
    {
      id: 'token_version',
      when: (ctx) =>
        flavourOf(ctx).kind === 'externalId' &&
        ctx.summary.version === '2.0' &&
        !ctx.expect.tokenVersions.includes('2.0'),
      title: () => 'An Entra External ID token (v2.0), where only v1.0 tokens are accepted',
      advice: (ctx) => {
        const tid = ctx.summary.tenantId ?? '<external tenant GUID>';
        return {
          detail: `The token is from an Entra External ID tenant (iss ${ctx.summary.issuer ?? '(none)'}): external tenants issue v2.0 tokens only, and this validator accepts ${ctx.expect.tokenVersions.map((v) => `v${v}`).join(' and ')} only, so it refuses every one of them.`,
          fix: `Accept v2.0 tokens (tokenVersions ['2.0'], or leave it out; CLI: drop --token-version 1.0) and configure the validator for External ID: externalId: { tenantId: '${tid}' } (CLI: --external-id --tenant ${tid}).`,
        };
      },
    },
    {
      id: 'token_version',
      when: (ctx) =>
        flavourOf(ctx).kind === 'b2c' &&
        ctx.summary.version === '1.0' &&
        !ctx.expect.tokenVersions.includes('1.0'),
      title: () => 'An Azure AD B2C token (ver 1.0), where only v2.0 tokens are accepted',
      advice: (ctx) => {
        const policy = tokenPolicy(ctx) ?? '<policy>';
        return {
          detail: `The token is from Azure AD B2C (iss ${ctx.summary.issuer ?? '(none)'}): every B2C token says ver 1.0, whatever endpoint issued it, and this validator accepts v2.0 only.`,
          fix: `Accept v1.0 tokens (tokenVersions ['1.0'], or leave it out; CLI: drop --token-version 2.0) and configure the validator for B2C: b2c: { domain, tenantId, policies: ['${policy}'] } (CLI: --b2c-domain <host> --tenant <tenant> --b2c-policy ${policy}).`,
        };
      },
    },
    ...otherFlavours(),
    {
      id: 'token_version',
      when: (ctx) => ctx.summary.version === undefined,
      title: () => 'The token has no Entra access token version (ver)',
      advice: (ctx) => ({
        detail: `The token's ver is ${shown(claim(ctx.decoded.payload, 'ver'))}: Entra access tokens have ver 1.0 or 2.0.`,
        fix: 'This token was not issued by Entra ID as an access token.',
      }),
    },
    {
      id: 'token_version',
      // Accepted by the configuration, refused all the same: the authority has no v1.0 metadata.
      when: (ctx) => ctx.expect.tokenVersions.includes(ctx.summary.version as '1.0' | '2.0'),
      title: (ctx) => `This authority issues v2.0 tokens only, and the token is v${ctx.summary.version}`,
      advice: (ctx) => ({
        detail: `The validator's discovery document (${ctx.expect.discoveryUrl ?? 'a custom discovery URL'}) has no v1.0 counterpart, so v${ctx.summary.version} tokens cannot be checked.`,
        fix: 'Get a v2.0 token (accessTokenAcceptedVersion 2 in the API manifest), or point --discovery-url at a v2.0 discovery document whose v1.0 counterpart exists.',
      }),
    },
    {
      id: 'token_version',
      title: (ctx) => `A v${ctx.summary.version ?? '?'} token where v${expectedVersion(ctx)} is expected`,
      advice: (ctx) => versionAdvice(ctx.summary, expectedVersion(ctx)),
    },
  ],
  exp: [
    {
      id: 'expired',
      when: (ctx) => ctx.code === 'malformed_token',
      title: () => 'The token has no usable expiry (exp)',
      advice: (ctx) => expiredAdvice(ctx.summary, ctx.expect, ctx.nowMs),
    },
    {
      id: 'expired',
      title: (ctx) =>
        `The token expired ${formatDuration(ctx.nowMs / 1000 - (ctx.summary.times.exp?.value ?? 0))} ago`,
      advice: (ctx) => expiredAdvice(ctx.summary, ctx.expect, ctx.nowMs),
    },
  ],
  nbf: [
    malformedClaim('nbf', 'a number'),
    {
      id: 'not_yet_valid',
      title: (ctx) =>
        `The token is not valid for another ${formatDuration(validFrom(ctx.summary) - ctx.nowMs / 1000)}`,
      advice: (ctx) => notYetValidAdvice(ctx.summary, ctx.expect, ctx.nowMs),
    },
  ],
  iat: [
    {
      id: 'token_too_old',
      when: (ctx) => ctx.code === 'token_too_old',
      title: () => 'The token was issued too long ago',
      advice: (ctx) => ({
        detail: `The token was ${ctx.summary.times.iat?.relative ?? 'issued at no stated time (no iat)'}; this API accepts tokens only for a while after they are issued (maxTokenAgeSeconds).`,
        fix: 'Get a new token.',
      }),
    },
    malformedClaim('iat', 'a number'),
    {
      id: 'not_yet_valid',
      title: (ctx) =>
        `The token is not valid for another ${formatDuration(validFrom(ctx.summary) - ctx.nowMs / 1000)}`,
      advice: (ctx) => notYetValidAdvice(ctx.summary, ctx.expect, ctx.nowMs),
    },
  ],
  iss: [
    {
      id: 'other_issuer',
      // `explain` trusts the issuer the token names: it is refused only when there is none to trust.
      when: (ctx) => ctx.offline,
      title: (ctx) =>
        ctx.summary.issuer === undefined
          ? 'The token has no issuer (iss)'
          : "The token's issuer is not an https URL",
      advice: () => ({
        detail: 'Every Entra ID token names its issuer, an https URL; this one does not.',
        fix: NOT_FROM_ENTRA,
      }),
    },
    ...otherFlavours(),
    {
      id: 'tenant',
      when: otherTenant,
      title: () => 'The token is from another tenant',
      advice: (ctx) => tenantAdvice(ctx.summary, ctx.expect.tenantId as string, ctx.expect.authority),
    },
    {
      id: 'other_issuer',
      title: () => 'The token was issued by an issuer this API does not trust',
      advice: (ctx) => ({
        detail: `The token's iss is ${ctx.summary.issuer ?? '(none)'}; the validator trusts the issuer announced at ${ctx.expect.discoveryUrl ?? 'its discovery URL'}.`,
        fix: 'Check --tenant, --cloud (national clouds), --b2c-domain / --b2c-policy (Azure AD B2C), --external-id (External ID), --authority and --discovery-url. v1.0 tokens are issued by https://sts.windows.net/<tid>/, v2.0 tokens by https://login.microsoftonline.com/<tid>/v2.0.',
      }),
    },
  ],
  tid: [
    {
      id: 'other_issuer',
      when: (ctx) => ctx.code === 'invalid_issuer',
      title: () => "The token's tid is not its issuer's tenant",
      advice: (ctx) => ({
        detail: `The token's iss is ${ctx.summary.issuer ?? '(none)'} but its tid is ${ctx.summary.tenantId ?? '(none)'}: Entra never issues such a token.`,
        fix: 'This token was altered or not issued by Entra ID: get a new one.',
      }),
    },
    {
      id: 'tenant',
      when: (ctx) => ctx.summary.tenantId?.toLowerCase() === CONSUMERS_TENANT_ID,
      title: () => 'A personal Microsoft account, where work and school accounts are expected',
      advice: (ctx) => tenantAdvice(ctx.summary, 'organizations'),
    },
    {
      id: 'tenant',
      title: () => 'The token is from a tenant this API does not accept',
      advice: (ctx) => {
        const tid = ctx.summary.tenantId ?? '(none)';
        return {
          detail: `The token is from tenant ${tid}, which is not among the allowed tenants (${(ctx.expect.allowedTenants ?? []).join(', ') || 'none'}).`,
          fix: `If that tenant is a customer of your API, add --allowed-tenant ${tid} (allowedTenants in code); --allow-any-tenant accepts every tenant.`,
        };
      },
    },
  ],
  aud: [
    {
      id: 'token_version',
      when: (ctx) => versionByAudience(ctx) !== undefined,
      title: (ctx) => {
        const expected = versionByAudience(ctx);
        const form = (v: string | undefined): string => (v === '1.0' ? 'the App ID URI' : 'the client ID');
        return `A v${ctx.summary.version} token (aud is ${form(ctx.summary.version)}) where a v${expected} token (aud ${form(expected)}) is expected`;
      },
      advice: (ctx) => {
        const byAudience = audienceAdvice(ctx.summary, ctx.expect);
        const byVersion = versionAdvice(ctx.summary, versionByAudience(ctx) as '1.0' | '2.0');
        return {
          detail: `${byAudience.detail} ${byVersion.detail.replace(/^This is a v\S+ token but v\S+ is expected\. /, '')}`,
          fix: byAudience.fix,
        };
      },
    },
    {
      id: 'audience',
      title: (ctx) => {
        switch (audienceNearMiss(ctx.summary.audience, ctx.expect.audiences)) {
          case 'other_form':
            return 'The audience is your API in another form (client ID vs App ID URI)';
          case 'trailing_slash':
            return 'The audience differs by a trailing slash';
          case 'none':
            return 'The token has no audience';
          default:
            return 'The token is for another API (audience mismatch)';
        }
      },
      advice: (ctx) => audienceAdvice(ctx.summary, ctx.expect),
    },
  ],
  scp: [
    {
      id: 'no_permissions',
      when: (ctx) => ctx.code === 'missing_permissions',
      title: (ctx) =>
        ctx.summary.identity === 'app-only'
          ? 'No roles in an app-only token: the application permission is missing or not consented'
          : 'No scp and no roles: the API permission is missing or not consented',
      advice: (ctx) => permissionsAdvice(ctx.summary, ctx.expect),
    },
    malformedClaim('scp', 'a space-separated string'),
  ],
  roles: [malformedClaim('roles', 'a list of strings')],
  acct: [
    {
      id: 'guest_not_allowed',
      title: () => 'Guest users are not accepted',
      advice: () => ({
        detail:
          'The user is a guest in this tenant (acct is 1, or idp differs from iss), and the API is configured with allowGuests: false.',
        fix: 'Sign in with an account of the tenant itself, or accept guests (allowGuests: true, the default).',
      }),
    },
  ],
  azp: [
    {
      id: 'client_not_allowed',
      title: () => 'The calling application is not allowed',
      advice: (ctx) => ({
        detail: `The token was requested by application ${ctx.summary.clientId ?? '(none: no azp or appid)'}, which is not in allowedClientIds.`,
        fix: 'Call from an allowed application, or add this application id to allowedClientIds.',
      }),
    },
  ],
};

/** The general words for a refusal no entry fits (a code a later core adds, say). */
const FALLBACK: Explanation = {
  id: 'refused',
  title: (ctx) => ctx.message,
  advice: (ctx) => ({
    detail: ctx.message,
    fix: `See the error code ${ctx.code} in the documentation of @org/entra-core.`,
  }),
};

/**
 * Explains a refusal: the first explanation of its check that fits.
 *
 * @example
 * ```ts
 * const { id, title, detail, fix } = explainRefusal(ctx); // 'expired', 'The token expired 1 h ago', ...
 * ```
 */
export function explainRefusal(ctx: RefusalContext): ExplainedRefusal {
  const list = Object.hasOwn(EXPLANATIONS, ctx.check) ? EXPLANATIONS[ctx.check] : [];
  const explanation = list.find((e) => e.when === undefined || e.when(ctx)) ?? FALLBACK;
  return { id: explanation.id, title: explanation.title(ctx), ...explanation.advice(ctx) };
}
