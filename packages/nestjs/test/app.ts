/**
 * The apps the tests start: one module with every decorator, on either platform, over real HTTP.
 * Decorators are TypeScript's legacy ones (experimentalDecorators in tsconfig.json); nothing here
 * needs emitDecoratorMetadata (no constructor injection by type).
 */
import { All, Controller, Get, HttpException, type INestApplication, Module, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  AppOnly,
  createRoleCheck,
  Delegated,
  EntraAuthModule,
  type EntraAuthModuleOptions,
  type EntraPrincipal,
  EntraUser,
  OptionalAuth,
  Public,
  RequireRoles,
  RequireScopeOrRole,
  RequireScopes,
  requireAuthContext,
  requireGroups,
} from '../src/index.js';

export type Platform = 'express' | 'fastify';

/** What a handler saw: the principal from @EntraUser() and from the platform's own request. */
function seen(user: EntraPrincipal | undefined, req: { auth?: EntraPrincipal }) {
  return { oid: user?.objectId ?? null, sameOnRequest: req.auth === user };
}

@Controller()
export class ApiController {
  @Get('me')
  me(@EntraUser() user: EntraPrincipal, @Req() req: { auth?: EntraPrincipal }) {
    return seen(user, req);
  }

  @Get('tenant')
  tenant(@EntraUser('tenantId') tenantId: string) {
    return { tenantId };
  }

  @Public()
  @Get('health')
  health(@EntraUser() user: EntraPrincipal | undefined) {
    return { status: 'ok', user: user ?? null };
  }

  @OptionalAuth()
  @Get('optional')
  optional(@EntraUser() user: EntraPrincipal | undefined, @Req() req: { auth?: EntraPrincipal }) {
    return seen(user, req);
  }

  @RequireScopes('Orders.Read')
  @Get('orders')
  orders() {
    return { orders: [] };
  }

  @RequireScopes('Orders.Read', 'Orders.Write')
  @Get('both')
  both() {
    return { ok: true };
  }

  @RequireScopes('Orders.Read')
  @RequireScopes('Orders.Write')
  @Get('stacked')
  stacked() {
    return { ok: true };
  }

  @RequireRoles('Orders.Admin')
  @Get('admin')
  admin() {
    return { ok: true };
  }

  @RequireScopeOrRole({ scopes: 'Orders.Read', roles: 'Orders.Read.All' })
  @Get('read')
  read() {
    return { ok: true };
  }

  @AppOnly()
  @Get('app-only')
  appOnly() {
    return { ok: true };
  }

  @Delegated()
  @Get('user-only')
  userOnly() {
    return { ok: true };
  }

  @Public()
  @RequireScopes('Orders.Read')
  @Get('public-guarded')
  publicGuarded() {
    return { reached: true };
  }

  @Get('step-up')
  stepUp(@EntraUser() user: EntraPrincipal) {
    createRoleCheck('Orders.Admin')(user);
    requireAuthContext(user, 'c1');
    return { ok: true };
  }

  @Get('groups')
  async groups(@EntraUser() user: EntraPrincipal) {
    await requireGroups(user, ['0f1e2d3c-0000-4000-8000-000000000001'], {
      getGraphToken: async () => 'unused: the token carries its groups',
    });
    return { ok: true };
  }

  @Get('boom')
  boom() {
    throw new Error('database down');
  }

  @Get('teapot')
  teapot() {
    throw new HttpException({ message: 'short and stout' }, 418);
  }

  @All('any')
  any(@EntraUser() user: EntraPrincipal | undefined) {
    return { handled: true, oid: user?.objectId ?? null };
  }
}

/** A controller-level requirement: handlers inherit it, replace it kind by kind, or leave it with @Public(). */
@RequireScopes('Orders.Read')
@Controller('scoped')
export class ScopedController {
  @Get('list')
  list() {
    return { ok: true };
  }

  @RequireScopes('Orders.Write')
  @Get('write')
  write() {
    return { ok: true };
  }

  @RequireRoles('Orders.Admin')
  @Get('admin')
  admin() {
    return { ok: true };
  }

  @Public()
  @Get('open')
  open() {
    return { open: true };
  }
}

export async function startApp(
  platform: Platform,
  imports: unknown[],
  controllers: unknown[] = [ApiController, ScopedController],
): Promise<{ app: INestApplication; url: string }> {
  @Module({ imports: imports as never[], controllers: controllers as never[] })
  class AppModule {}
  const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app = await NestFactory.create(AppModule, adapter, { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url };
}

export function moduleWith(options: EntraAuthModuleOptions) {
  return EntraAuthModule.forRoot(options);
}
