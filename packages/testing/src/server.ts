/**
 * The HTTP side of the kit: a `node:http` server on 127.0.0.1 that counts requests, matches
 * Entra's paths, applies the fault in force, and closes without leaving anything running.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ActiveFault,
  SlowRequests,
  sendEndless,
  sendGarbage,
  sendHuge,
  sendRedirect,
  sendStatus,
} from './faults.js';
import { DOCUMENT_HEADERS, ERROR_HEADERS, send } from './responses.js';

/** Where `redirect` sends clients; paths under it serve the normal documents. */
export const REDIRECT_PREFIX = '/redirected';

/** What a request path names. `tenant` is the raw first segment; `policy` the B2C policy segment, if any. */
export type Route =
  | {
      readonly kind: 'discovery' | 'jwks';
      readonly version: '1.0' | '2.0';
      readonly tenant: string;
      readonly policy?: string;
    }
  | { readonly kind: 'other' };

/** The normal answer to a request: a status and a JSON body. */
export interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const PATTERNS: readonly [RegExp, Route['kind'], '1.0' | '2.0'][] = [
  [/^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/, 'discovery', '2.0'],
  [/^\/([^/]+)\/\.well-known\/openid-configuration$/, 'discovery', '1.0'],
  [/^\/([^/]+)\/discovery\/v2\.0\/keys$/, 'jwks', '2.0'],
  [/^\/([^/]+)\/discovery\/keys$/, 'jwks', '1.0'],
  // Azure AD B2C: a document and a key set per policy.
  [/^\/([^/]+)\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/, 'discovery', '2.0'],
  [/^\/([^/]+)\/([^/]+)\/discovery\/v2\.0\/keys$/, 'jwks', '2.0'],
];

export function matchRoute(pathname: string): Route {
  for (const [pattern, kind, version] of PATTERNS) {
    const match = pattern.exec(pathname);
    if (!match) continue;
    const tenant = decodeURIComponentSafe(match[1] ?? '');
    return match[2] === undefined
      ? { kind, version, tenant }
      : { kind, version, tenant, policy: decodeURIComponentSafe(match[2]) };
  }
  return { kind: 'other' };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Runs `write`; if it throws (an override that cannot be serialized, say), that request fails
 * with a 500 and the process carries on. Held `slow` answers run later, so they are guarded too.
 */
function guarded(res: ServerResponse, write: () => void): void {
  try {
    write();
  } catch {
    if (res.headersSent) res.destroy();
    else send(res, 500, '{"error":"server_error"}', ERROR_HEADERS);
  }
}

/** Gives the normal reply to a request; the server adds faults and counting. */
export type Answer = (route: Route, query: URLSearchParams) => Reply;

/** Served until `serve()` is called: the kit is still generating its keys. */
const STARTING: Reply = { status: 503, body: { error: 'temporarily_unavailable' } };

/** A listening server. The kit's `Answer` gives normal replies; faults and counts are handled here. */
export class IssuerServer {
  readonly authority: string;
  readonly #server: Server;
  readonly #counts = new Map<string, number>();
  #total = 0;
  #fault: ActiveFault | null = null;
  readonly #slow = new SlowRequests();
  #closing: Promise<void> | undefined;
  #answer: Answer = () => STARTING;

  private constructor(server: Server) {
    this.#server = server;
    this.authority = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on('request', (req: IncomingMessage, res: ServerResponse) =>
      guarded(res, () => this.#handle(req, res)),
    );
  }

  /** Listens on 127.0.0.1:`port` (0 = ephemeral). */
  static listen(port: number): Promise<IssuerServer> {
    const server = createServer({ keepAliveTimeout: 5000 });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: '127.0.0.1' }, () => {
        server.off('error', reject);
        resolve(new IssuerServer(server));
      });
    });
  }

  /** Starts serving the kit's documents. */
  serve(answer: Answer): void {
    this.#answer = answer;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const answer = this.#answer;
    // Origin-form targets ("/path") are appended, so that "//x/y" stays a path and names no host.
    const target = req.url ?? '/';
    const url = new URL(target.startsWith('/') ? `${this.authority}${target}` : target, this.authority);
    this.#counts.set(url.pathname, (this.#counts.get(url.pathname) ?? 0) + 1);
    this.#total++;

    const redirected = url.pathname.startsWith(`${REDIRECT_PREFIX}/`);
    const route = matchRoute(redirected ? url.pathname.slice(REDIRECT_PREFIX.length) : url.pathname);
    const head = req.method === 'HEAD';
    const reply = (): void =>
      guarded(res, () => {
        if (req.method !== 'GET' && !head) {
          send(res, 405, '{"error":"invalid_request","error_description":"Use GET."}', {
            ...ERROR_HEADERS,
            allow: 'GET, HEAD',
          });
          return;
        }
        const { status, body } = answer(route, url.searchParams);
        send(res, status, JSON.stringify(body), status === 200 ? DOCUMENT_HEADERS : ERROR_HEADERS);
      });

    const fault = this.#fault;
    const hit =
      fault !== null &&
      (fault.target === 'all' || fault.target === route.kind) &&
      !(fault.fault === 'redirect' && redirected); // a followed redirect is served, not redirected again
    if (!hit) {
      reply();
      return;
    }
    switch (fault.fault) {
      case 'down':
        req.socket.destroy();
        break;
      case 'slow':
        this.#slow.hold(res, fault.delayMs, reply);
        break;
      case 'garbage':
        sendGarbage(res);
        break;
      case 'huge':
        sendHuge(res, answer(route, url.searchParams).body);
        break;
      case 'endless':
        sendEndless(res, head);
        break;
      case 'redirect':
        sendRedirect(res, `${this.authority}${REDIRECT_PREFIX}${url.pathname}${url.search}`);
        break;
      case 'status':
        sendStatus(res, fault.status);
        break;
      case 'empty':
        if (route.kind === 'jwks') send(res, 200, '{"keys":[]}', DOCUMENT_HEADERS);
        else reply();
        break;
    }
  }

  /** Puts `fault` in force; requests held by an untimed `slow` are answered now. */
  setFault(fault: ActiveFault | null): void {
    this.#fault = fault;
    this.#slow.releaseUntimed();
  }

  requestCount(path?: string): number {
    if (path === undefined) return this.#total;
    const pathname = path.split('?')[0] ?? path;
    return this.#counts.get(pathname) ?? 0;
  }

  resetCounts(): void {
    this.#counts.clear();
    this.#total = 0;
  }

  /** Stops listening and destroys every connection (keep-alive, slow, endless). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= new Promise((resolve) => {
      this.#fault = null;
      this.#slow.clear();
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }
}
