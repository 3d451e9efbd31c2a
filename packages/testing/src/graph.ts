/**
 * `createMockGraph`: the one Microsoft Graph call a groups overage needs, `getMemberObjects`, on
 * 127.0.0.1, with request counting and faults, for testing `resolveGroups` / `requireGroups` and the
 * routes they guard.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlowRequests, sendGarbage } from './faults.js';
import { GUID_RE } from './identities.js';
import { ERROR_HEADERS, send } from './responses.js';

/**
 * A fault the mock Graph can be told to show. See {@link MockGraph.setFault}.
 *
 * - `down`: the connection is destroyed with no response.
 * - `slow`: the answer waits `delayMs`, or without it until the fault changes or the mock closes.
 * - `garbage`: 200 `application/json` whose body is not JSON.
 * - `huge`: 200 with about 2 MiB of valid JSON (a `value` of 50,000 ids) and a `content-length`.
 * - `status`: the `status` option (default 503) with Graph's error body (`code` option), and a
 *   `Retry-After` header when `retryAfter` is given.
 * - `body`: 200 with the `body` option as JSON (a paged answer, ids that are not GUIDs, ...).
 *
 * @example
 * ```ts
 * const fault: MockGraphFault = 'status';
 * graph.setFault(fault, { status: 403 });
 * ```
 */
export type MockGraphFault = 'down' | 'slow' | 'garbage' | 'huge' | 'status' | 'body';

/**
 * Options of {@link createMockGraph}.
 *
 * @example
 * ```ts
 * const graph = await createMockGraph({ token: 'graph-token', groups: { [userOid]: [adminsGroupId] } });
 * ```
 */
export interface MockGraphOptions {
  /** TCP port on 127.0.0.1. Default 0 (an ephemeral port). */
  port?: number;
  /**
   * The bearer token Graph accepts; others are answered 401 `InvalidAuthenticationToken`. Default:
   * any token (a request without one is still 401).
   */
  token?: string;
  /** Initial memberships: object id (user or service principal) → group ids. */
  groups?: Record<string, readonly string[]>;
}

/**
 * One getMemberObjects request as the mock Graph received it.
 *
 * @example
 * ```ts
 * const request: MockGraphRequest | undefined = graph.requests().at(-1);
 * expect(request?.body).toEqual({ securityEnabledOnly: true });
 * ```
 */
export interface MockGraphRequest {
  readonly method: string;
  /** The path, e.g. `/v1.0/users/<oid>/getMemberObjects`. */
  readonly path: string;
  /** The `Authorization` header. */
  readonly authorization: string | undefined;
  /** The JSON body, parsed (`undefined` when it was not JSON). */
  readonly body: unknown;
}

/**
 * A running mock of Microsoft Graph's `getMemberObjects`, from {@link createMockGraph}. It answers
 * `POST /v1.0/users/{id}/getMemberObjects` and `POST /v1.0/servicePrincipals/{id}/getMemberObjects`
 * like Graph: `{ "value": [ids] }`, 404 `Request_ResourceNotFound` for an object it does not know,
 * 401 without the expected token, 400 for a body without a boolean `securityEnabledOnly`.
 *
 * @example
 * ```ts
 * await using graph = await createMockGraph();
 * graph.setGroups(userOid, [adminsGroupId]);
 * await resolveGroups(principal, { getGraphToken: () => 'any', graphUrl: graph.url });
 * expect(graph.requestCount()).toBe(1);
 * ```
 */
export interface MockGraph {
  /** The base URL to give as `graphUrl`: `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Sets (or, with `null`, forgets) the groups of a user or service principal. */
  setGroups(objectId: string, groups: readonly string[] | null): void;
  /** Makes every request fail in the named way; `null` restores normal service. */
  setFault(
    fault: MockGraphFault | null,
    options?: { status?: number; code?: string; retryAfter?: number; delayMs?: number; body?: unknown },
  ): void;
  /** Requests received, all or to that exact path. Faulted requests count too. */
  requestCount(path?: string): number;
  /** The getMemberObjects requests received, oldest first (at most the last 1000). */
  requests(): readonly MockGraphRequest[];
  /** Sets the counts to zero and forgets the requests. */
  resetCounts(): void;
  /** Frees the port and destroys open connections. Idempotent. */
  close(): Promise<void>;
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const PATH_RE = /^\/v1\.0\/(users|servicePrincipals)\/([^/]+)\/getMemberObjects$/;
const FAULTS = new Set<string>(['down', 'slow', 'garbage', 'huge', 'status', 'body']);
const MAX_BODY_BYTES = 64 * 1024;
const MAX_KEPT_REQUESTS = 1000;

interface ActiveGraphFault {
  readonly fault: MockGraphFault;
  readonly status: number;
  readonly code: string | undefined;
  readonly retryAfter: number | undefined;
  readonly delayMs: number | undefined;
  readonly body: unknown;
}

/** Graph's error body: `{ "error": { "code", "message" } }`. */
function graphError(res: ServerResponse, status: number, code: string, message: string, extra = {}): void {
  send(res, status, JSON.stringify({ error: { code, message, innerError: {} } }), {
    ...ERROR_HEADERS,
    ...extra,
  });
}

const DEFAULT_CODES: Record<number, [string, string]> = {
  400: ['Request_BadRequest', 'Invalid request.'],
  401: ['InvalidAuthenticationToken', 'Access token validation failure.'],
  403: ['Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'],
  404: [
    'Request_ResourceNotFound',
    'Resource does not exist or one of its queried reference-property objects are not present.',
  ],
  429: ['TooManyRequests', 'Too many requests.'],
};

function checkGraphFault(
  fault: unknown,
  options: Record<string, unknown> | undefined,
): ActiveGraphFault | null {
  if (fault === null) return null;
  if (typeof fault !== 'string' || !FAULTS.has(fault)) {
    throw new TypeError(`setFault: the fault must be null or one of ${[...FAULTS].join(', ')}`);
  }
  const o = options ?? {};
  for (const name of Object.keys(o)) {
    if (!['status', 'code', 'retryAfter', 'delayMs', 'body'].includes(name)) {
      throw new TypeError(
        `setFault: unknown option '${name}'. Known: status, code, retryAfter, delayMs, body`,
      );
    }
  }
  const status = o.status ?? 503;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new TypeError('setFault: status must be an HTTP status from 200 to 599');
  }
  const delayMs = o.delayMs;
  if (delayMs !== undefined && (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0)) {
    throw new TypeError('setFault: delayMs must be a non-negative number of milliseconds');
  }
  const retryAfter = o.retryAfter;
  if (
    retryAfter !== undefined &&
    (typeof retryAfter !== 'number' || !Number.isInteger(retryAfter) || retryAfter < 0)
  ) {
    throw new TypeError('setFault: retryAfter must be a whole number of seconds');
  }
  const code = o.code;
  if (code !== undefined && typeof code !== 'string') throw new TypeError('setFault: code must be a string');
  return { fault: fault as MockGraphFault, status, code, retryAfter, delayMs, body: o.body };
}

let hugeBody: string | undefined;

function sendHugeIds(res: ServerResponse): void {
  hugeBody ??= JSON.stringify({
    value: Array.from({ length: 50_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
  });
  send(res, 200, hugeBody, ERROR_HEADERS);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Starts a mock of Microsoft Graph's `getMemberObjects` on 127.0.0.1. Give its `url` as the
 * `graphUrl` option of `resolveGroups` / `requireGroups`, and mint tokens that signal a groups
 * overage with `entra.createToken({ hasgroups: true })` or
 * `entra.createToken({ _claim_names: { groups: 'src1' }, _claim_sources: { src1: { endpoint: '...' } } })`.
 *
 * @example
 * ```ts
 * import { createMockEntra, createMockGraph } from '@org/entra-testing';
 * import { createEntraValidator, requireGroups } from '@org/entra-core';
 *
 * const entra = await createMockEntra();
 * const graph = await createMockGraph({ groups: { [userOid]: [adminsGroupId] } });
 * const validator = createEntraValidator(entra.validatorOptions());
 * const principal = await validator.verify(entra.createToken({ oid: userOid, hasgroups: true }));
 * await requireGroups(principal, adminsGroupId, { getGraphToken: () => 'token', graphUrl: graph.url });
 * ```
 */
export async function createMockGraph(options: MockGraphOptions = {}): Promise<MockGraph> {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createMockGraph: options must be an object');
  for (const name of Object.keys(options)) {
    if (!['port', 'token', 'groups'].includes(name)) {
      throw new TypeError(`createMockGraph: unknown option '${name}'. Known: port, token, groups`);
    }
  }
  const { port = 0, token } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError('createMockGraph: port must be an integer from 0 (any free port) to 65535');
  }
  if (token !== undefined && (typeof token !== 'string' || token === '')) {
    throw new TypeError('createMockGraph: token must be a non-empty string');
  }
  const memberships = new Map<string, readonly string[]>();
  const setGroups = (objectId: string, groups: readonly string[] | null): void => {
    if (typeof objectId !== 'string' || !GUID_RE.test(objectId)) {
      throw new TypeError('setGroups: the object id must be a GUID');
    }
    if (groups === null) {
      memberships.delete(objectId.toLowerCase());
      return;
    }
    if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string')) {
      throw new TypeError('setGroups: groups must be an array of group id strings, or null');
    }
    memberships.set(objectId.toLowerCase(), [...groups]);
  };
  for (const [objectId, groups] of Object.entries(options.groups ?? {})) setGroups(objectId, groups);

  const counts = new Map<string, number>();
  let total = 0;
  let received: MockGraphRequest[] = [];
  let fault: ActiveGraphFault | null = null;
  const slow = new SlowRequests();

  const answer = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const match = PATH_RE.exec(path);
    if (match === null) {
      graphError(
        res,
        400,
        'BadRequest',
        'Unsupported path in the mock Graph: only getMemberObjects is served.',
      );
      return;
    }
    const body = await readBody(req);
    const authorization = req.headers.authorization;
    received.push({ method: req.method ?? '', path, authorization, body });
    if (received.length > MAX_KEPT_REQUESTS) received = received.slice(-MAX_KEPT_REQUESTS);
    if (req.method !== 'POST') {
      graphError(
        res,
        405,
        'Request_BadRequest',
        'Specified HTTP method is not allowed for the request target.',
        {
          allow: 'POST',
        },
      );
      return;
    }
    const bearer = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (bearer === undefined || (token !== undefined && bearer !== token)) {
      graphError(
        res,
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure. Invalid audience.',
      );
      return;
    }
    if (
      typeof body !== 'object' ||
      body === null ||
      typeof (body as { securityEnabledOnly?: unknown }).securityEnabledOnly !== 'boolean'
    ) {
      graphError(
        res,
        400,
        'Request_BadRequest',
        "Invalid request body: 'securityEnabledOnly' must be a boolean.",
      );
      return;
    }
    const groups = memberships.get(decodeURIComponent(match[2] as string).toLowerCase());
    if (groups === undefined) {
      graphError(
        res,
        404,
        'Request_ResourceNotFound',
        `Resource '${match[2]}' does not exist or one of its queried reference-property objects are not present.`,
      );
      return;
    }
    send(
      res,
      200,
      JSON.stringify({ '@odata.context': `${url}/v1.0/$metadata#Collection(Edm.String)`, value: groups }),
      ERROR_HEADERS,
    );
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] as string;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    total++;
    const normal = (): void => {
      answer(req, res, path).catch(() => {
        if (!res.headersSent) graphError(res, 500, 'InternalServerError', 'The mock Graph failed.');
        else res.destroy();
      });
    };
    const f = fault;
    if (f === null) {
      normal();
      return;
    }
    switch (f.fault) {
      case 'down':
        req.socket.destroy();
        return;
      case 'slow':
        slow.hold(res, f.delayMs, normal);
        return;
      case 'garbage':
        sendGarbage(res);
        return;
      case 'huge':
        sendHugeIds(res);
        return;
      case 'body':
        send(res, 200, JSON.stringify(f.body ?? null), ERROR_HEADERS);
        return;
      case 'status': {
        const [code, message] = DEFAULT_CODES[f.status] ?? [
          'ServiceUnavailable',
          'The service is unavailable.',
        ];
        graphError(
          res,
          f.status,
          f.code ?? code,
          message,
          f.retryAfter === undefined ? {} : { 'retry-after': String(f.retryAfter) },
        );
        return;
      }
    }
  };

  const server = createServer({ keepAliveTimeout: 5000 }, handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise((resolve) => {
      fault = null;
      slow.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    url,
    setGroups,
    setFault(next, faultOptions) {
      fault = checkGraphFault(next, faultOptions as Record<string, unknown> | undefined);
      slow.releaseUntimed();
    },
    requestCount: (path?: string) =>
      path === undefined ? total : (counts.get(path.split('?')[0] as string) ?? 0),
    requests: () => [...received],
    resetCounts() {
      counts.clear();
      total = 0;
      received = [];
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
