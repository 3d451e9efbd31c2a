/**
 * `combineValidators`: one API, several authorities (employees from a workforce tenant, customers
 * from Azure AD B2C or an External ID tenant, a second workforce tenant...). Each token goes, by its
 * unverified `iss`, to the one validator whose configuration trusts that issuer, and that validator
 * verifies it as usual. Tokens are never tried against each validator in turn, and a token whose
 * issuer no validator trusts is refused (`invalid_issuer`) without any request.
 *
 * Which issuers a validator trusts is known from its configuration alone (`AuthorityPlan.issuers`),
 * so validators whose issuers could overlap are refused when they are combined.
 */
import { extractBearerToken } from '../bearer.js';
import { EntraAuthError, EntraConfigError, isEntraAuthError } from '../errors.js';
import { type EntraEventListener, emit } from '../events.js';
import type { EntraPrincipal } from '../principal.js';
import { parseToken } from '../token.js';
import {
  type EntraValidator,
  type EntraValidatorConfig,
  isEntraValidator,
  VALIDATOR_BRAND,
  VALIDATOR_INTERNALS,
  type ValidatorInternals,
} from '../validator.js';
import { matchesPattern, patternsOverlap } from './trust.js';

/**
 * A validator made of several, from {@link combineValidators}. It is an `EntraValidator`: every
 * adapter takes it wherever it takes a validator.
 *
 * @example
 * ```ts
 * const api: CombinedEntraValidator = combineValidators([employees, customers]);
 * console.log(api.validators.length); // 2
 * app.use(entraAuth(api));
 * ```
 */
export interface CombinedEntraValidator extends EntraValidator {
  /** The validators combined, in the order given. */
  readonly validators: readonly EntraValidator[];
}

interface Member {
  readonly validator: EntraValidator;
  readonly issuers: readonly string[];
}

function fail(message: string): never {
  throw new EntraConfigError(`combineValidators: ${message}`);
}

function internalsOf(value: unknown): ValidatorInternals | undefined {
  return (value as { [VALIDATOR_INTERNALS]?: ValidatorInternals })[VALIDATOR_INTERNALS];
}

/** The validators to combine, a combined one standing for its members. */
function flatten(validators: unknown): EntraValidator[] {
  if (!Array.isArray(validators) || validators.length === 0) {
    fail(
      'give an array of validators made by createEntraValidator, e.g. combineValidators([employees, customers])',
    );
  }
  return validators.flatMap((v: unknown) => (v instanceof Combined ? v.validators : [v as EntraValidator]));
}

function why(a: ValidatorInternals, b: ValidatorInternals): string {
  if (a.plan.multiTenant || b.plan.multiTenant) {
    return 'a multi-tenant validator already covers the tenants it allows: list the tenant in its allowedTenants instead of adding a validator';
  }
  return 'give each validator its own tenant, B2C domain or External ID tenant, and name workforce tenants by GUID (a domain such as contoso.onmicrosoft.com could be any tenant until its document is fetched)';
}

function members(validators: readonly EntraValidator[]): Member[] {
  const out: Member[] = [];
  validators.forEach((validator, index) => {
    const n = index + 1;
    if (!isEntraValidator(validator))
      fail(`item ${n} is not a validator: create it with createEntraValidator(options)`);
    const internals = internalsOf(validator);
    if (internals === undefined) {
      fail(
        `validator ${n} was made by another copy of @org/entra-core: create every validator with the same copy (deduplicate the package)`,
      );
    }
    if (out.some((m) => m.validator === validator)) fail(`validator ${n} is given twice`);
    const issuers = internals.plan.issuers;
    if (issuers === undefined) {
      fail(
        `validator ${n} is configured with a discoveryUrl, whose issuer is known only once its document is fetched: configure it with tenantId, b2c or externalId`,
      );
    }
    out.forEach((other, o) => {
      const mine = internalsOf(other.validator) as ValidatorInternals;
      for (const a of other.issuers) {
        for (const b of issuers) {
          if (patternsOverlap(a, b)) {
            fail(
              `validators ${o + 1} and ${n} could both trust the issuer ${a}, and a token must have exactly one validator: ${why(mine, internals)}`,
            );
          }
        }
      }
    });
    out.push({ validator, issuers });
  });
  return out;
}

/** Every refusal is an `EntraAuthError`: anything else is a malformed token. */
function asAuthError(error: unknown): EntraAuthError {
  return isEntraAuthError(error) ? error : new EntraAuthError('malformed_token', { cause: error });
}

class Combined implements CombinedEntraValidator {
  declare readonly [VALIDATOR_BRAND]: true;
  readonly validators: readonly EntraValidator[];
  readonly config: EntraValidatorConfig;
  readonly #members: readonly Member[];
  readonly #algorithms: ReadonlySet<string>;
  readonly #maxTokenLength: number;
  /** The members' `onEvent` listeners, each once: refusals made here are reported to them. */
  readonly #listeners: readonly EntraEventListener[];

  constructor(validators: unknown) {
    this.#members = members(flatten(validators));
    this.validators = Object.freeze(this.#members.map((m) => m.validator));
    this.config = (this.validators[0] as EntraValidator).config;
    const configs = this.#members.map((m) => (internalsOf(m.validator) as ValidatorInternals).config);
    // Reading the token to route it is as lenient as the most lenient member: the member chosen
    // then applies its own limits.
    this.#algorithms = new Set(configs.flatMap((c) => [...c.algorithms]));
    this.#maxTokenLength = Math.max(...configs.map((c) => c.maxTokenLength));
    this.#listeners = [...new Set(configs.flatMap((c) => (c.onEvent === undefined ? [] : [c.onEvent])))];
    Object.defineProperty(this, VALIDATOR_BRAND, { value: true });
    Object.freeze(this);
  }

  verify(token: string): Promise<EntraPrincipal> {
    const started = this.#listeners.length === 0 ? 0 : performance.now();
    let member: EntraValidator;
    try {
      member = this.#route(token);
    } catch (error) {
      return this.#refuse(error, started);
    }
    return member.verify(token);
  }

  authenticate(authorization: string | readonly string[] | null | undefined): Promise<EntraPrincipal> {
    const started = this.#listeners.length === 0 ? 0 : performance.now();
    let token: string;
    let member: EntraValidator;
    try {
      token = extractBearerToken(authorization, this.#maxTokenLength);
      member = this.#route(token);
    } catch (error) {
      return this.#refuse(error, started);
    }
    return member.verify(token);
  }

  async warmUp(): Promise<void> {
    await Promise.all(this.validators.map((v) => v.warmUp()));
  }

  close(): void {
    for (const v of this.validators) v.close();
  }

  /**
   * The member that trusts the token's issuer. The token is read as strictly as a validator reads
   * it (size, encoding, header rules, Graph tokens), so those refusals are the same; its issuer is
   * not believed, only used to choose.
   */
  #route(token: string): EntraValidator {
    const iss = parseToken(token, this.#algorithms, this.#maxTokenLength).claims.iss;
    if (typeof iss === 'string') {
      for (const m of this.#members) if (m.issuers.some((p) => matchesPattern(p, iss))) return m.validator;
    }
    throw new EntraAuthError('invalid_issuer', { check: 'iss' });
  }

  #refuse(error: unknown, started: number): Promise<never> {
    const e = asAuthError(error);
    for (const listener of this.#listeners) {
      emit(listener, {
        type: 'token_rejected',
        code: e.code,
        check: e.check,
        durationMs: performance.now() - started,
      });
    }
    return Promise.reject(e);
  }
}

/**
 * One validator for an API that accepts tokens from several authorities: each token goes, by its
 * (unverified) issuer, to the one validator configured for that issuer, which verifies it as usual.
 * A token whose issuer no validator trusts is refused with `invalid_issuer` without any request.
 * Validators whose issuers could overlap (a multi-tenant validator and a single tenant in it, two
 * validators for one tenant) throw `EntraConfigError`, as does one configured with `discoveryUrl`.
 *
 * `config` is the first validator's; `close()` and `warmUp()` reach every one. Refusals made before a
 * validator is chosen are reported to every distinct `onEvent` listener of the validators.
 *
 * @example
 * ```ts
 * import { combineValidators, createEntraValidator } from '@org/entra-core';
 *
 * const employees = createEntraValidator({ tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId });
 * const customers = createEntraValidator({
 *   b2c: { domain: 'contoso.b2clogin.com', tenantId: 'contoso.onmicrosoft.com', policies: ['B2C_1_signupsignin'] },
 *   clientId,
 * });
 * const validator = combineValidators([employees, customers]);
 * const principal = await validator.authenticate(request.headers.get('authorization'));
 * ```
 */
export function combineValidators(validators: readonly EntraValidator[]): CombinedEntraValidator {
  return new Combined(validators);
}
