/**
 * The shape of a scenario, and the helpers the tables are written with. The scenario table: one request each, and what every adapter must answer. Errors are checked for
 * their status, `WWW-Authenticate` (exact, or a pattern where the description is the core's to word),
 * `Cache-Control: no-store`, `Retry-After` and the JSON body; successes for the principal the route
 * reports, compared with the claims of the token sent.
 */
import type { EntraAuthErrorCode } from '@org/entra-core';
import type { MockEntra } from '@org/entra-testing';

/**
 * Which app of the adapter answers: the normal one (no `corsPreflight` option: the default), one
 * whose issuer is down, one per `corsPreflight` value given explicitly, and one given a validator
 * that combines a workforce tenant, an Azure AD B2C tenant and an Entra External ID tenant.
 */
export type AppKind =
  | 'main'
  | 'keysDown'
  | 'answerPreflight'
  | 'authenticatePreflight'
  | 'passPreflight'
  | 'combined';

/** The issuers of the run: the workforce one every app trusts, and the customer ones of `combined`. */
export interface Kits {
  readonly workforce: MockEntra;
  readonly b2c: MockEntra<'b2c'>;
  readonly externalId: MockEntra<'externalId'>;
}

export type Expectation =
  | { status: 200; principal: 'anonymous' }
  | { status: 200; principal: 'token'; isAppOnly: boolean }
  /** Answered by the adapter itself (a CORS preflight): no body, no challenge, the handler not run. */
  | { status: 204 }
  | {
      status: number;
      error: EntraAuthErrorCode;
      /** Exact value, a pattern, or `null` for no header at all. */
      challenge: string | RegExp | null;
      /** The `error_description` (exact, or a pattern); the core's standard text for the code when absent. */
      description?: string | RegExp;
    };

export interface Scenario {
  readonly name: string;
  readonly app?: AppKind;
  readonly method?: string;
  readonly path: string;
  /**
   * Request headers, made with the kit of the app (the down issuer's for `keysDown`); the `combined`
   * app's scenarios use `kits`.
   */
  readonly headers?: (kit: MockEntra, kits: Kits) => Record<string, string | readonly string[]>;
  readonly expect: Expectation;
}

export const OTHER_TENANT = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

export const bare = 'Bearer realm="api"';
export const challengeOf = (error: string, extra = ''): RegExp =>
  new RegExp(`^Bearer realm="api", error="${error}", error_description="[^"]+"${extra}$`);
export const invalidToken = challengeOf('invalid_token');
export const insufficient = challengeOf('insufficient_scope');
export const bearer =
  (token: (kit: MockEntra) => string) =>
  (kit: MockEntra): Record<string, string> => ({ authorization: `Bearer ${token(kit)}` });
export const preflight = { origin: 'https://app.example', 'access-control-request-method': 'GET' };

export const user = bearer((k) => k.createToken());
export const app = (roles: string[]) => bearer((k) => k.createToken({ roles }, { kind: 'app' }));
export const expired = bearer((k) => k.createToken({}, { issuedAt: -7200, expiresIn: 3600 }));
