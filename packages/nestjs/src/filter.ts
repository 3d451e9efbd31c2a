import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { type EntraAuthError, errorResponse, isEntraAuthError } from '@org/entra-core';
import { PreflightAnswered } from './guard.js';

/** Matches every `EntraAuthError`, by its brand: `instanceof` would miss another copy of the core. */
// biome-ignore lint/complexity/noStaticOnlyClass: @Catch() takes classes, and Nest matches them with instanceof
class AnyEntraAuthError {
  static [Symbol.hasInstance](value: unknown): boolean {
    return isEntraAuthError(value);
  }
}

/** Express' `res` or Fastify's `reply`, as Nest hands them to filters. */
interface PlatformResponse {
  headersSent?: boolean;
  sent?: boolean;
  code?(status: number): PlatformResponse;
  headers?(values: Record<string, string>): PlatformResponse;
  status?(status: number): PlatformResponse;
  set?(values: Record<string, string>): PlatformResponse;
  send(body?: string): unknown;
}

/** Sends the answer on Fastify's `reply` (it has `code`) or Express' `res`. */
function reply(res: PlatformResponse, status: number, headers: Record<string, string>, body?: string) {
  if (res.headersSent === true || res.sent === true) return;
  const ready =
    typeof res.code === 'function' ? res.code(status).headers!(headers) : res.status!(status).set!(headers);
  ready.send(body);
}

/**
 * The exception filter `EntraAuthModule` registers: an `EntraAuthError` (a guard's refusal, or a
 * core helper such as `requireAuthContext` or a `createRoleCheck` check thrown in a handler) is
 * answered with the core's status, `WWW-Authenticate`, `Cache-Control: no-store` and JSON body
 * `{ error, error_description }`, on Express and Fastify alike; other exceptions never reach it.
 * A catch-all filter of your own sees these errors first: hand them over with {@link EntraAuthExceptionFilter.handles}.
 *
 * @example
 * ```ts
 * @Catch()
 * export class AllErrors extends BaseExceptionFilter {
 *   private readonly entra = new EntraAuthExceptionFilter();
 *   override catch(exception: unknown, host: ArgumentsHost) {
 *     if (EntraAuthExceptionFilter.handles(exception)) return this.entra.catch(exception, host);
 *     return super.catch(exception, host);
 *   }
 * }
 * ```
 */
export class EntraAuthExceptionFilter implements ExceptionFilter {
  /**
   * Whether this filter answers the exception: an `EntraAuthError`, or the guard's signal that a
   * CORS preflight is answered 204.
   *
   * @example
   * ```ts
   * if (EntraAuthExceptionFilter.handles(exception)) return new EntraAuthExceptionFilter().catch(exception, host);
   * ```
   */
  static handles(exception: unknown): boolean {
    return isEntraAuthError(exception) || exception instanceof PreflightAnswered;
  }

  /**
   * Answers the exception on the platform's response (Express or Fastify).
   *
   * @example
   * ```ts
   * new EntraAuthExceptionFilter().catch(new EntraAuthError('missing_token'), host);
   * ```
   */
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http' || !EntraAuthExceptionFilter.handles(exception)) throw exception;
    const res = host.switchToHttp().getResponse<PlatformResponse>();
    if (exception instanceof PreflightAnswered) {
      reply(res, 204, {});
      return;
    }
    const { status, headers, body } = errorResponse(exception as EntraAuthError);
    reply(res, status, headers, body);
  }
}

// Applied as a call, like the guard's decorators (see guard.ts).
Catch(AnyEntraAuthError, PreflightAnswered)(EntraAuthExceptionFilter);
