import {
  type DynamicModule,
  type FactoryProvider,
  Inject,
  Module,
  type ModuleMetadata,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { EntraConfigError } from '@org/entra-core';
import { EntraAuthExceptionFilter } from './filter.js';
import { EntraAuthGuard } from './guard.js';
import { type EntraAuthModuleOptions, readModuleOptions } from './options.js';
import { ENTRA_AUTH_CONFIG, ENTRA_VALIDATOR, type EntraAuthConfig } from './tokens.js';

/**
 * The object of `EntraAuthModule.forRootAsync`: a factory (sync or async) of the `forRoot` object,
 * with the providers it needs (`inject`) and the modules that export them (`imports`).
 *
 * @example
 * ```ts
 * const options: EntraAuthModuleAsyncOptions = {
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ tenantId: config.get('ENTRA_TENANT_ID'), clientId: config.get('ENTRA_CLIENT_ID') }),
 * };
 * ```
 */
export interface EntraAuthModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  /** Called with the `inject` providers, in order. */
  useFactory: (...args: any[]) => EntraAuthModuleOptions | Promise<EntraAuthModuleOptions>;
}

const ALLOW_ALL = { canActivate: () => true };

function dynamicModule(config: Provider, imports: ModuleMetadata['imports'] = []): DynamicModule {
  return {
    module: EntraAuthModule,
    global: true,
    imports,
    providers: [
      config,
      {
        provide: ENTRA_VALIDATOR,
        useFactory: (c: EntraAuthConfig) => c.validator,
        inject: [ENTRA_AUTH_CONFIG],
      },
      {
        provide: APP_GUARD,
        useFactory: (c: EntraAuthConfig) => (c.globalGuard ? new EntraAuthGuard(c) : ALLOW_ALL),
        inject: [ENTRA_AUTH_CONFIG],
      },
      { provide: APP_FILTER, useClass: EntraAuthExceptionFilter },
    ],
    exports: [ENTRA_AUTH_CONFIG, ENTRA_VALIDATOR],
  };
}

/**
 * Microsoft Entra ID access tokens for a NestJS app, on platform-express or platform-fastify. Import
 * it once, in the root module: it registers a global guard (every route needs a token unless it is
 * `@Public()` or `@OptionalAuth()`; `globalGuard: false` to apply `EntraAuthGuard` yourself) and an
 * exception filter that answers refusals, and `EntraAuthError`s thrown in handlers, with the core's
 * RFC 6750 response. Option mistakes throw `EntraConfigError` before the app starts. A validator it
 * creates from options is closed when the app closes; one you pass as `{ validator }` is not.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [EntraAuthModule.forRoot({ tenantId: '<tenant guid>', clientId: '<api client id>' })],
 *   controllers: [OrdersController],
 * })
 * export class AppModule {}
 * ```
 */
export class EntraAuthModule implements OnApplicationShutdown {
  constructor(private readonly config: EntraAuthConfig) {}

  /**
   * The module, configured now: validator options or `{ validator }`, plus `globalGuard` and
   * `corsPreflight`.
   *
   * @example
   * ```ts
   * EntraAuthModule.forRoot({ tenantId: '<tenant guid>', clientId: '<api client id>', corsPreflight: 'authenticate' });
   * ```
   */
  static forRoot(options: EntraAuthModuleOptions): DynamicModule {
    const config = readModuleOptions(options, 'EntraAuthModule.forRoot');
    return dynamicModule({ provide: ENTRA_AUTH_CONFIG, useValue: config });
  }

  /**
   * The module, configured when the app starts from a factory of the `forRoot` object (for
   * configuration read by another module). Its mistakes reject `NestFactory.create`.
   *
   * @example
   * ```ts
   * EntraAuthModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({
   *     tenantId: config.getOrThrow('ENTRA_TENANT_ID'),
   *     clientId: config.getOrThrow('ENTRA_CLIENT_ID'),
   *   }),
   * });
   * ```
   */
  static forRootAsync(options: EntraAuthModuleAsyncOptions): DynamicModule {
    const useFactory =
      typeof options === 'object' && options !== null && Object.hasOwn(options, 'useFactory')
        ? options.useFactory
        : undefined;
    if (typeof useFactory !== 'function') {
      throw new EntraConfigError(
        'EntraAuthModule.forRootAsync: pass { useFactory }, e.g. { inject: [ConfigService], useFactory: (config) => ({ tenantId, clientId }) }',
      );
    }
    return dynamicModule(
      {
        provide: ENTRA_AUTH_CONFIG,
        useFactory: async (...args: any[]) =>
          readModuleOptions(await useFactory(...args), 'EntraAuthModule.forRootAsync'),
        inject: Object.hasOwn(options, 'inject') ? (options.inject ?? []) : [],
      },
      Object.hasOwn(options, 'imports') ? options.imports : [],
    );
  }

  /** Closes the validator the module created (never one passed as `{ validator }`). */
  onApplicationShutdown(): void {
    if (this.config.owned) this.config.validator.close();
  }
}

// Applied as calls, like the guard's decorators (see guard.ts).
Module({})(EntraAuthModule);
Inject(ENTRA_AUTH_CONFIG)(EntraAuthModule, undefined, 0);
