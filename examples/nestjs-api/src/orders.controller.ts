/**
 * The routes. The global guard of EntraAuthModule authenticates every one of them unless it is
 * @Public(); the decorators say what each needs beyond a valid token. @ApiOAuth2 lists, for the
 * OpenAPI document, the scopes the route's guard demands (short names: addEntraSecurity expands them);
 * decorators apply bottom-up, so it sits below @ApiBearerAuth to be the document's first choice.
 */
import { randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, Injectable, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOAuth2,
  ApiOkResponse,
  ApiOperation,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import {
  AppOnly,
  type EntraPrincipal,
  EntraUser,
  Public,
  RequireRoles,
  RequireScopes,
} from '@org/entra-nestjs';
import { type CallerView, describeCaller, ORDERS, ORDERS_EXPORT, ORDERS_READ, type Order } from './orders.js';

const authError = {
  type: 'object',
  required: ['error', 'error_description'],
  properties: { error: { type: 'string' }, error_description: { type: 'string' } },
};
const unauthorized = ApiUnauthorizedResponse({
  description: 'No token, or a token the API does not accept',
  schema: authError,
});
const forbidden = ApiForbiddenResponse({
  description: 'The token lacks a permission this route needs',
  schema: authError,
});

const order = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    item: { type: 'string' },
    quantity: { type: 'integer' },
    status: { type: 'string', enum: ['pending', 'shipped', 'delivered'] },
  },
};

/** The data: injected into the controller by type (the decorator metadata tsc emits). */
@Injectable()
export class OrdersService {
  list(): readonly Order[] {
    return ORDERS;
  }
}

@Controller()
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Public()
  @ApiOperation({ summary: 'Liveness check (public)' })
  @ApiOkResponse({
    description: 'The API is up',
    schema: { type: 'object', properties: { status: { type: 'string' } } },
  })
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @ApiOperation({ summary: 'The caller, as the API saw the token' })
  @ApiBearerAuth('bearerToken')
  @ApiOAuth2([], 'entra')
  @ApiOkResponse({ description: 'The verified caller' })
  @unauthorized
  @Get('me')
  me(@EntraUser() caller: EntraPrincipal): CallerView {
    return describeCaller(caller);
  }

  @RequireScopes(ORDERS_READ)
  @ApiOperation({ summary: `List orders (delegated scope ${ORDERS_READ})` })
  @ApiBearerAuth('bearerToken')
  @ApiOAuth2([ORDERS_READ], 'entra')
  @ApiOkResponse({
    description: 'The orders',
    schema: {
      type: 'object',
      properties: { orders: { type: 'array', items: order }, readBy: { type: 'string' } },
    },
  })
  @unauthorized
  @forbidden
  @Get('orders')
  list(@EntraUser() caller: EntraPrincipal) {
    return { orders: this.orders.list(), readBy: caller.username ?? caller.objectId };
  }

  @AppOnly()
  @RequireRoles(ORDERS_EXPORT)
  @ApiOperation({
    summary: `Export every order (app-only, app role ${ORDERS_EXPORT})`,
    description:
      `For daemons (client credentials): the calling app must be granted the application permission ` +
      `\`${ORDERS_EXPORT}\` (an app role of this API) and request \`<App ID URI>/.default\`. User tokens are refused.`,
  })
  @ApiBearerAuth('bearerToken')
  @ApiOAuth2([], 'entraApp')
  @ApiOkResponse({
    description: 'The export',
    schema: {
      type: 'object',
      properties: {
        exportId: { type: 'string' },
        orders: { type: 'integer' },
        requestedBy: { type: 'string' },
      },
    },
  })
  @unauthorized
  @forbidden
  @HttpCode(200)
  @Post('orders/export')
  exportAll(@EntraUser() caller: EntraPrincipal) {
    return { exportId: randomUUID(), orders: this.orders.list().length, requestedBy: caller.clientId };
  }
}
