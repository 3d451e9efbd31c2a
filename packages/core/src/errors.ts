/**
 * Errors, and their HTTP meaning, decided once for every adapter.
 *
 * Token problems are `EntraAuthError`s with a stable `code`; configuration mistakes are
 * `EntraConfigError`s thrown when the validator or a guard is created. Messages are fixed texts chosen
 * here: they never contain the token, a key id or a claim value an attacker chose.
 */

/**
 * Every reason a request can be refused. Stable: switch on it.
 *
 * @example
 * ```ts
 * const code: EntraAuthErrorCode = error.code;
 * if (code === 'keys_unavailable') logger.warn('Entra ID signing keys unavailable: answering 503');
 * ```
 */
export type EntraAuthErrorCode =
  | 'missing_token'
  | 'invalid_request'
  | 'malformed_token'
  | 'unsupported_algorithm'
  | 'unknown_signing_key'
  | 'invalid_signature'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_too_old'
  | 'invalid_issuer'
  | 'invalid_audience'
  | 'tenant_not_allowed'
  | 'unsupported_token_version'
  | 'foreign_token'
  | 'missing_permissions'
  | 'insufficient_scope'
  | 'insufficient_role'
  | 'client_not_allowed'
  | 'guest_not_allowed'
  | 'insufficient_claims'
  | 'keys_unavailable'
  | 'tenant_check_failed'
  | 'groups_unavailable';

/**
 * Which check refused a token: one stable word per check, set where the check fails. The CLI
 * explains a refusal from it; logs and metrics can group by it.
 *
 * - `header`: the Authorization header (missing, malformed, several), or a `crit` token header
 * - `length`: the token is longer than `maxTokenLength`
 * - `format`: not three canonical base64url segments of JSON objects; a claim of the wrong type
 * - `alg`, `typ`, `kid`: the token header (the key named by `kid` unknown to the issuer included)
 * - `keys`: no usable signing keys (issuer unreachable)
 * - `signature`
 * - `exp`, `nbf`, `iat`: the validity window and the token's age
 * - `iss`, `aud`, `tid`, `ver`, `azp`, `acct`, `policy`: the claim of that name
 * - `scp`, `roles`: permissions (a missing permission, a failed scope or role requirement)
 * - `foreign`: a token for someone else: Microsoft Graph, another Microsoft service, an ID token
 *
 * @example
 * ```ts
 * if (isEntraAuthError(error)) logger.info({ code: error.code, check: error.check }, 'token refused');
 * ```
 */
export type EntraAuthCheck =
  | 'header'
  | 'length'
  | 'format'
  | 'alg'
  | 'typ'
  | 'kid'
  | 'keys'
  | 'signature'
  | 'exp'
  | 'nbf'
  | 'iat'
  | 'iss'
  | 'aud'
  | 'tid'
  | 'ver'
  | 'azp'
  | 'acct'
  | 'scp'
  | 'roles'
  | 'policy'
  | 'foreign';

type Challenge = 'none' | 'bare' | 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'claims';

interface CodeInfo {
  readonly status: number;
  readonly challenge: Challenge;
  readonly message: string;
  /** The check this code comes from when the place that refuses does not say otherwise. */
  readonly check: EntraAuthCheck;
}

const CODES: { readonly [C in EntraAuthErrorCode]: CodeInfo } = {
  missing_token: {
    status: 401,
    challenge: 'bare',
    message: 'Authentication required: send an Entra ID access token as a Bearer token',
    check: 'header',
  },
  invalid_request: {
    status: 400,
    challenge: 'invalid_request',
    message: 'The Authorization header is malformed',
    check: 'header',
  },
  malformed_token: {
    status: 401,
    challenge: 'invalid_token',
    message: 'The access token is malformed',
    check: 'format',
  },
  unsupported_algorithm: {
    status: 401,
    challenge: 'invalid_token',
    message: 'The access token is signed with an algorithm that is not accepted',
    check: 'alg',
  },
  unknown_signing_key: {
    status: 401,
    challenge: 'invalid_token',
    message: 'The access token is signed with an unknown key',
    check: 'kid',
  },
  invalid_signature: {
    status: 401,
    challenge: 'invalid_token',
    message: 'The access token signature is invalid',
    check: 'signature',
  },
  token_expired: {
    status: 401,
    challenge: 'invalid_token',
    message: 'The access token has expired',
    check: 'exp',
  },
  token_not_yet_valid: {
    status: 401,
    challenge: 'invalid_token',
    message: 'The access token is not valid yet',
    check: 'nbf',
  },
  token_too_old: {
    status: 401,
    challenge: 'invalid_token',
    message: 'The access token was issued too long ago',
    check: 'iat',
  },
  invalid_issuer: {
    status: 401,
    challenge: 'invalid_token',
    message: 'The access token was issued by an issuer that is not trusted',
    check: 'iss',
  },
  invalid_audience: {
    status: 401,
    challenge: 'invalid_token',
    message: 'The access token was issued for another audience',
    check: 'aud',
  },
  tenant_not_allowed: {
    status: 401,
    challenge: 'invalid_token',
    message: 'The access token was issued by a tenant that is not allowed',
    check: 'tid',
  },
  unsupported_token_version: {
    status: 401,
    challenge: 'invalid_token',
    message: 'The access token version is not accepted',
    check: 'ver',
  },
  foreign_token: {
    status: 401,
    challenge: 'invalid_token',
    message:
      'The token is not an access token for this API: request one for this API scope (for example api://<client-id>/.default)',
    check: 'foreign',
  },
  missing_permissions: {
    status: 403,
    challenge: 'insufficient_scope',
    message: 'The access token carries no scopes and no roles: grant the client a permission of this API',
    check: 'scp',
  },
  insufficient_scope: {
    status: 403,
    challenge: 'insufficient_scope',
    message: 'The access token lacks a required scope',
    check: 'scp',
  },
  insufficient_role: {
    status: 403,
    challenge: 'insufficient_scope',
    message: 'The access token lacks a required role',
    check: 'roles',
  },
  client_not_allowed: {
    status: 403,
    challenge: 'insufficient_scope',
    message: 'The calling application is not allowed',
    check: 'azp',
  },
  guest_not_allowed: {
    status: 403,
    challenge: 'insufficient_scope',
    message: 'Guest users are not allowed',
    check: 'acct',
  },
  insufficient_claims: {
    status: 401,
    challenge: 'claims',
    message: 'A stronger authentication is required for this operation',
    check: 'scp',
  },
  keys_unavailable: {
    status: 503,
    challenge: 'none',
    message: 'The signing keys of the token issuer are unavailable: retry later',
    check: 'keys',
  },
  tenant_check_failed: {
    status: 503,
    challenge: 'none',
    message: 'Whether the token tenant is allowed could not be decided: retry later',
    check: 'tid',
  },
  groups_unavailable: {
    status: 503,
    challenge: 'none',
    message: "The caller's groups could not be read from Microsoft Graph: retry later",
    check: 'roles',
  },
};

/** The realm sent in every challenge. */
const REALM = 'api';

const BRAND: unique symbol = Symbol.for('@org/entra-core.EntraAuthError') as never;

/** Keeps only the characters RFC 6750 allows in a quoted attribute value (no quotes, no backslash, no controls). */
export function sanitizeHeaderValue(value: string, maxLength = 300): string {
  let out = '';
  for (let i = 0; i < value.length && out.length < maxLength; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) out += value[i];
  }
  return out;
}

/**
 * Options of an `EntraAuthError` beyond its code.
 *
 * @example
 * ```ts
 * const options: EntraAuthErrorOptions = { scopes: ['Orders.Write'], message: 'Changing an order needs Orders.Write' };
 * throw new EntraAuthError('insufficient_scope', options);
 * ```
 */
export interface EntraAuthErrorOptions {
  /** A safe message; defaults to the code's standard text. Sanitized again here. */
  message?: string;
  /** The underlying error, for logs. Never sent to a client. */
  cause?: unknown;
  /** For `insufficient_scope`: the scopes that would satisfy the requirement (sent as `scope=`). */
  scopes?: readonly string[];
  /** For the 503 codes (`keys_unavailable`, `tenant_check_failed`, `groups_unavailable`): seconds the client should wait (sent as `Retry-After`). */
  retryAfterSeconds?: number;
  /** For `insufficient_claims`: the base64 claims challenge (sent as `claims=`). */
  claims?: string;
  /** For `insufficient_claims`: where the client re-authenticates (sent as `authorization_uri=`). */
  authorizationUri?: string;
  /** Which check failed, when it is not the code's usual one (see {@link EntraAuthCheck}). */
  check?: EntraAuthCheck;
}

/**
 * A request that must be refused: a missing, malformed, invalid or insufficient token, or keys that
 * cannot be fetched. `status`, `wwwAuthenticate` and `retryAfterSeconds` say how to answer it over
 * HTTP; {@link errorResponse} turns it into a complete response.
 *
 * @example
 * ```ts
 * try {
 *   await validator.authenticate(req.headers.authorization);
 * } catch (e) {
 *   if (isEntraAuthError(e)) console.log(e.code, e.status); // 'token_expired' 401
 * }
 * ```
 */
export class EntraAuthError extends Error {
  override readonly name = 'EntraAuthError' as const;
  /** Stable code: one per failure. */
  readonly code: EntraAuthErrorCode;
  /** Which check failed (`exp`, `aud`, `signature`...): see {@link EntraAuthCheck}. */
  readonly check: EntraAuthCheck;
  /** The HTTP status to answer with. */
  readonly status: number;
  /** The `WWW-Authenticate` header value to send, or `undefined` when none is sent. */
  readonly wwwAuthenticate: string | undefined;
  /** For the 503 codes (`keys_unavailable`, `tenant_check_failed`, `groups_unavailable`): the `Retry-After` value, in seconds. */
  readonly retryAfterSeconds: number | undefined;
  /** For `insufficient_scope`: the scopes the requirement asked for. */
  readonly requiredScopes: readonly string[] | undefined;
  /**
   * Always true: the message is safe to show a client. Frameworks that follow the http-errors
   * convention (Koa, Fastify) read it.
   */
  readonly expose = true;
  declare readonly [BRAND]: true;

  constructor(code: EntraAuthErrorCode, options: EntraAuthErrorOptions = {}) {
    const info = CODES[code];
    const message = options.message === undefined ? info.message : sanitizeHeaderValue(options.message);
    // A refused token is an expected outcome, not a bug: capturing a stack trace would cost more
    // than rejecting a malformed token. The underlying error, when there is one, is in `cause`.
    const ErrorCtor = Error as { stackTraceLimit?: number };
    const limit = ErrorCtor.stackTraceLimit;
    ErrorCtor.stackTraceLimit = 0;
    try {
      super(message, options.cause === undefined ? undefined : { cause: options.cause });
    } finally {
      ErrorCtor.stackTraceLimit = limit;
    }
    this.code = code;
    this.check = options.check ?? info.check;
    this.status = info.status;
    this.requiredScopes = options.scopes ? Object.freeze([...options.scopes]) : undefined;
    this.retryAfterSeconds = info.status === 503 ? retryAfter(options.retryAfterSeconds) : undefined;
    this.wwwAuthenticate = challenge(info.challenge, message, options);
  }

  /**
   * The headers that go with this error (`WWW-Authenticate`, `Retry-After`), under the name Koa's
   * and Fastify's error handlers read (http-errors' convention), for apps that let those frameworks
   * answer (`passErrors`).
   */
  get headers(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.wwwAuthenticate !== undefined) headers['www-authenticate'] = this.wwwAuthenticate;
    if (this.retryAfterSeconds !== undefined) headers['retry-after'] = String(this.retryAfterSeconds);
    return headers;
  }
}

// The brand lives on the prototype (non-enumerable, as an own property would be): defining it on
// each instance cost a refusal about a microsecond.
Object.defineProperty(EntraAuthError.prototype, BRAND, { value: true });

function challenge(kind: Challenge, message: string, options: EntraAuthErrorOptions): string | undefined {
  switch (kind) {
    case 'none':
      return undefined;
    case 'bare':
      return `Bearer realm="${REALM}"`;
    case 'claims':
      return `Bearer realm="${REALM}", authorization_uri="${sanitizeHeaderValue(options.authorizationUri ?? '', 500)}", error="insufficient_claims", error_description="${message}", claims="${sanitizeHeaderValue(options.claims ?? '', 2000)}"`;
    default: {
      const scope =
        kind === 'insufficient_scope' && options.scopes && options.scopes.length > 0
          ? `, scope="${sanitizeHeaderValue(options.scopes.join(' '), 1000)}"`
          : '';
      return `Bearer realm="${REALM}", error="${kind}", error_description="${message}"${scope}`;
    }
  }
}

/**
 * True for an {@link EntraAuthError}, checked by a brand rather than `instanceof`, so it also works
 * when two copies of this package are loaded (ESM and CJS, or two versions).
 *
 * @example
 * ```ts
 * if (isEntraAuthError(err)) res.status(err.status);
 * ```
 */
export function isEntraAuthError(value: unknown): value is EntraAuthError {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

/**
 * A configuration mistake (options or a guard), thrown when the validator or guard is created, never
 * while a request is served. The message says how to fix it.
 *
 * @example
 * ```ts
 * createEntraValidator({ tenantId: 'common', clientId }); // throws EntraConfigError: set allowedTenants or allowAnyTenant
 * ```
 */
export class EntraConfigError extends Error {
  override readonly name = 'EntraConfigError' as const;
  readonly code = 'invalid_configuration' as const;
}

/**
 * An HTTP answer to an {@link EntraAuthError}: what every adapter sends.
 *
 * @example
 * ```ts
 * const { status, headers, body }: EntraErrorResponse = errorResponse(new EntraAuthError('token_expired'));
 * res.writeHead(status, headers).end(body); // node:http
 * ```
 */
export interface EntraErrorResponse {
  status: number;
  /** Lower-case header names: `content-type`, `cache-control`, and `www-authenticate` / `retry-after` when they apply. */
  headers: Record<string, string>;
  /** The JSON body: `{"error": "<code>", "error_description": "<message>"}`. */
  body: string;
}

/**
 * The complete HTTP response for an auth error, as RFC 6750 describes it: status, `WWW-Authenticate`,
 * `Retry-After` (503 only), `Cache-Control: no-store`, and a JSON body. Adapters write exactly this.
 *
 * @example
 * ```ts
 * const { status, headers, body } = errorResponse(err);
 * return new Response(body, { status, headers });
 * ```
 */
export function errorResponse(error: EntraAuthError): EntraErrorResponse {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...error.headers,
  };
  return {
    status: error.status,
    headers,
    body: JSON.stringify({ error: error.code, error_description: error.message }),
  };
}

/**
 * All error codes, in the order of the table in the documentation.
 *
 * @example
 * ```ts
 * for (const code of ENTRA_AUTH_ERROR_CODES) {
 *   console.log(code, new EntraAuthError(code).status); // missing_token 401, invalid_request 400, ...
 * }
 * ```
 */
export const ENTRA_AUTH_ERROR_CODES: readonly EntraAuthErrorCode[] = Object.freeze(
  Object.keys(CODES) as EntraAuthErrorCode[],
);

const MAX_RETRY_AFTER_SECONDS = 86_400;

/** A `Retry-After` delay: whole seconds from 1 to one day; anything that is not a finite number means 30. */
function retryAfter(seconds: number | undefined): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return 30;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(seconds)));
}
