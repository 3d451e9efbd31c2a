/**
 * Faults: which are known, whom they hit, and how each one answers.
 */
import type { ServerResponse } from 'node:http';
import { ERROR_HEADERS, JSON_TYPE, send } from './responses.js';
import type { MockEntraFault } from './types.js';

export type FaultTarget = 'all' | 'jwks' | 'discovery';

/** A fault in force, with its options checked. */
export interface ActiveFault {
  readonly fault: MockEntraFault;
  readonly target: FaultTarget;
  /** For `slow`: how long to wait; `undefined` waits until the fault changes or the kit closes. */
  readonly delayMs: number | undefined;
  /** For `status`. */
  readonly status: number;
}

const FAULTS = new Set<string>(['down', 'slow', 'garbage', 'huge', 'endless', 'redirect', 'status', 'empty']);
const TARGETS = new Set<string>(['all', 'jwks', 'discovery']);
const OPTION_NAMES = new Set(['target', 'delayMs', 'status']);

/** Checks `setFault` arguments; throws a TypeError that says what is accepted. */
export function checkFault(
  fault: unknown,
  options: { target?: unknown; delayMs?: unknown; status?: unknown } | undefined,
): ActiveFault | null {
  if (fault === null) return null;
  if (typeof fault !== 'string' || !FAULTS.has(fault)) {
    throw new TypeError(`setFault: the fault must be null or one of ${[...FAULTS].join(', ')}`);
  }
  const o = options ?? {};
  if (typeof o !== 'object' || o === null) throw new TypeError('setFault: options must be an object');
  for (const name of Object.keys(o)) {
    if (!OPTION_NAMES.has(name))
      throw new TypeError(`setFault: unknown option '${name}'. Known: target, delayMs, status`);
  }
  const target = o.target ?? 'all';
  if (typeof target !== 'string' || !TARGETS.has(target)) {
    throw new TypeError("setFault: target must be 'all', 'jwks' or 'discovery'");
  }
  const delayMs = o.delayMs;
  if (delayMs !== undefined && (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0)) {
    throw new TypeError('setFault: delayMs must be a non-negative number of milliseconds');
  }
  const status = o.status ?? 500;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new TypeError('setFault: status must be an HTTP status from 200 to 599');
  }
  return { fault: fault as MockEntraFault, target: target as FaultTarget, delayMs, status };
}

/** 200 `application/json` that is not JSON: an HTML error page, as a proxy in the way would send. */
export function sendGarbage(res: ServerResponse): void {
  send(
    res,
    200,
    '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body>{"keys":[{"kty":"RSA",',
    ERROR_HEADERS,
  );
}

const HUGE_BYTES = 2 * 1024 * 1024;
let hugePadding: string | undefined;

/** 200 with the normal document plus about 2 MiB of padding: valid JSON, just too big. */
export function sendHuge(res: ServerResponse, body: Record<string, unknown>): void {
  hugePadding ??= 'A'.repeat(HUGE_BYTES);
  send(res, 200, JSON.stringify({ ...body, x_padding: hugePadding }), ERROR_HEADERS);
}

let endlessChunk: Buffer | undefined;

/** 200, chunked, no length: key-like entries written until the client goes away or the kit closes. */
export function sendEndless(res: ServerResponse, head: boolean): void {
  res.writeHead(200, { ...ERROR_HEADERS, 'content-type': JSON_TYPE });
  if (head) {
    res.end();
    return;
  }
  endlessChunk ??= Buffer.from(
    `${JSON.stringify({ kty: 'RSA', use: 'sig', kid: 'endless', n: 'A'.repeat(342), e: 'AQAB' })},`.repeat(
      40,
    ),
  );
  res.write('{"keys":[');
  const chunk = endlessChunk;
  // Written at the pace the client reads; a destroyed response (client gone, kit closed) ends it.
  const pump = (): void => {
    if (res.destroyed) return;
    if (res.write(chunk)) setImmediate(pump).unref();
    else res.once('drain', pump);
  };
  pump();
}

export function sendRedirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { ...ERROR_HEADERS, location, 'content-length': 0 });
  res.end();
}

export function sendStatus(res: ServerResponse, status: number): void {
  const error = status >= 500 ? 'server_error' : status >= 400 ? 'invalid_request' : 'unexpected_response';
  send(
    res,
    status,
    JSON.stringify({ error, error_description: `The mock Entra issuer was told to answer ${status}.` }),
    ERROR_HEADERS,
  );
}

interface Held {
  release: () => void;
  timer: NodeJS.Timeout | undefined;
}

/** Requests held by the `slow` fault. */
export class SlowRequests {
  readonly #held = new Set<Held>();

  /** Answers with `answer` after `delayMs`, or when released; forgets a request whose client left. */
  hold(res: ServerResponse, delayMs: number | undefined, answer: () => void): void {
    const forget = (): boolean => {
      if (!this.#held.delete(held)) return false;
      clearTimeout(held.timer);
      res.off('close', forget);
      return true;
    };
    const held: Held = {
      release: () => {
        if (forget() && !res.destroyed) answer();
      },
      timer: undefined,
    };
    if (delayMs !== undefined) held.timer = setTimeout(held.release, delayMs).unref();
    res.on('close', forget);
    this.#held.add(held);
  }

  /** Answers every request that waits for the fault to change. */
  releaseUntimed(): void {
    for (const held of [...this.#held]) if (held.timer === undefined) held.release();
  }

  /** Drops every held request and its timer, without answering: the kit is closing. */
  clear(): void {
    for (const held of this.#held) clearTimeout(held.timer);
    this.#held.clear();
  }
}
