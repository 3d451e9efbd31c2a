import { All, Controller, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  AppOnly,
  createRoleCheck,
  Delegated,
  EntraAuthModule,
  type EntraPrincipal,
  EntraUser,
  isEntraValidator,
  OptionalAuth,
  Public,
  RequireGroups,
  RequireRoles,
  RequireScopeOrRole,
  RequireScopes,
  requireAuthContext,
} from '@org/entra-nestjs';
import {
  type AppConfig,
  answer,
  type ConformanceTarget,
  overHttp,
  preflightOption,
  ROUTES,
  type RouteSpec,
} from '../../src/index.js';

/** The decorators a route of the table maps to. */
function decorators(route: RouteSpec, groups: AppConfig['groups']): Array<ClassDecorator & MethodDecorator> {
  const list: Array<ClassDecorator & MethodDecorator> = [];
  if (route.auth === 'none') list.push(Public());
  if (route.optional) list.push(OptionalAuth());
  if (route.scopes) list.push(RequireScopes(...route.scopes));
  if (route.roles) list.push(RequireRoles(...route.roles));
  if (route.scopeOrRole) list.push(RequireScopeOrRole(route.scopeOrRole));
  if (route.caller) list.push(route.caller === 'app' ? AppOnly() : Delegated());
  if (route.groups) list.push(RequireGroups(route.groups.ids, groups[route.groups.graph]));
  return list;
}

/** The route's own checks, run by its handler with the core's helpers (re-exported by the adapter). */
function checkInHandler(route: RouteSpec, principal: EntraPrincipal | undefined): void {
  if (route.inHandler === undefined) return;
  createRoleCheck(route.inHandler.roles)(principal);
  requireAuthContext(principal, route.inHandler.authContext);
}

/**
 * One controller whose handlers are the table's routes, decorated as an app would with `@All(path)`,
 * the route's decorators and `@EntraUser()`, applied as TypeScript's legacy decorators are.
 */
function conformanceController(groups: AppConfig['groups']): new () => object {
  class ConformanceController {}
  const prototype = ConformanceController.prototype as unknown as Record<string, unknown>;
  ROUTES.forEach((route, index) => {
    const key = `route${index}`;
    prototype[key] = (principal: EntraPrincipal | undefined) => {
      checkInHandler(route, principal);
      return answer(principal).body;
    };
    EntraUser()(prototype, key, 0);
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key)!;
    for (const decorate of [All(route.path), ...decorators(route, groups)].reverse())
      decorate(prototype, key, descriptor);
  });
  Controller()(ConformanceController);
  return ConformanceController;
}

/**
 * The conformance app in NestJS on platform-express or platform-fastify: `EntraAuthModule.forRoot`
 * with its global guard (options: it owns the validator), every route of the table on one controller.
 */
export function nestTarget(name: string, platform: 'express' | 'fastify'): ConformanceTarget {
  return {
    name,
    async start(config) {
      class AppModule {}
      Module({
        imports: [
          EntraAuthModule.forRoot(
            isEntraValidator(config.auth)
              ? { validator: config.auth, ...preflightOption(config) }
              : { ...config.auth, ...preflightOption(config) },
          ),
        ],
        controllers: [conformanceController(config.groups)],
      })(AppModule);
      const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
      const app: INestApplication = await NestFactory.create(AppModule, adapter, { logger: false });
      await app.listen(0, '127.0.0.1');
      return overHttp((await app.getUrl()).replace('[::1]', '127.0.0.1'), () => app.close());
    },
  };
}
