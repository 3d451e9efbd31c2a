/**
 * The only way the core talks to the network: a GET with a timeout, a response size cap, and no
 * redirects, that never throws. Used for discovery documents and key sets alike.
 *
 * Transport: the `fetch` option when one is given; otherwise, on Node, `node:http` / `node:https`
 * (found through `process.getBuiltinModule`, no static import): the global `fetch` loads undici on
 * first use, which costs a cold start tens of milliseconds; elsewhere, the global `fetch`. Only
 * Node's own global `fetch` is bypassed: one that a test or a library put in its place (a stub,
 * msw), whenever it was installed, is used. `get` is looked up on the module at each call, so
 * interceptors that patch `node:http` (nock) see the requests too.
 */
import type { FetchFailureReason } from './events.js';
import { builtin } from './runtime.js';

export interface BoundedFetchOptions {
  /** `undefined`: the runtime's own transport (see above). */
  fetch: ((input: string, init?: RequestInit) => Promise<Response>) | undefined;
  timeoutMs: number;
  maxResponseBytes: number;
}

export type FetchResult =
  | { ok: true; json: unknown; durationMs: number }
  | { ok: false; reason: FetchFailureReason; status?: number; error?: unknown };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function parseJson(bytes: Uint8Array, started: number): FetchResult {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    return { ok: false, reason: 'invalid_json', error };
  }
  return { ok: true, json, durationMs: Math.max(0, Date.now() - started) };
}

async function readCapped(response: Response, max: number): Promise<Uint8Array | 'too_large'> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel().catch(() => undefined);
    return 'too_large';
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      return 'too_large';
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}

/** The subset of `node:http` / `node:https` used here. */
interface NodeResponse {
  readonly statusCode?: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}
interface NodeRequest {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  destroy(): unknown;
}
type NodeGet = (
  url: URL,
  options: { headers: Record<string, string>; agent: false },
  callback: (response: NodeResponse) => void,
) => NodeRequest;

interface NodeHttpModule {
  readonly get: NodeGet;
}

const nodeModules = new Map<string, Partial<NodeHttpModule> | undefined>();

/**
 * True when the global `fetch` is Node's own: its source is Node's lazy loader of the bundled
 * undici. Anything else (a stub, an interceptor, another runtime's fetch) is used as it is. If a
 * Node release words it otherwise, the global `fetch` is used: slower to start, never wrong.
 */
function isNodesOwnFetch(): boolean {
  const fetch = (globalThis as { fetch?: unknown }).fetch;
  if (typeof fetch !== 'function') return false;
  try {
    return Function.prototype.toString.call(fetch).includes('internal/deps/undici');
  } catch {
    return false;
  }
}

/** `node:http` or `node:https` for a URL's protocol, when the runtime has them. */
function nodeModuleFor(protocol: string): NodeHttpModule | undefined {
  if (!nodeModules.has(protocol)) {
    const name = protocol === 'https:' ? 'node:https' : protocol === 'http:' ? 'node:http' : undefined;
    nodeModules.set(protocol, name === undefined ? undefined : builtin<Partial<NodeHttpModule>>(name));
  }
  const mod = nodeModules.get(protocol);
  return typeof mod?.get === 'function' ? (mod as NodeHttpModule) : undefined;
}

/** The same GET over `node:http(s)`: one connection (no agent, nothing kept alive), same limits. */
function getWithNode(mod: NodeHttpModule, url: URL, options: BoundedFetchOptions): Promise<FetchResult> {
  const started = Date.now();
  return new Promise<FetchResult>((resolve) => {
    let request: NodeRequest | undefined;
    let settled = false;
    const finish = (result: FetchResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request?.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout' }), options.timeoutMs);
    (timer as { unref?: () => void }).unref?.();
    try {
      request = mod.get(url, { headers: { accept: 'application/json' }, agent: false }, (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400) return finish({ ok: false, reason: 'redirect', status });
        if (status !== 200) return finish({ ok: false, reason: 'status', status });
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
          return finish({ ok: false, reason: 'too_large' });
        }
        const chunks: Uint8Array[] = [];
        let total = 0;
        response.on('data', (chunk) => {
          total += chunk.byteLength;
          if (total > options.maxResponseBytes) finish({ ok: false, reason: 'too_large' });
          else chunks.push(chunk);
        });
        response.on('end', () => finish(parseJson(concat(chunks, total), started)));
        response.on('error', (error) => finish({ ok: false, reason: 'network', error }));
        response.on('close', () => finish({ ok: false, reason: 'network' }));
      });
      request.on('error', (error) => finish({ ok: false, reason: 'network', error }));
    } catch (error) {
      finish({ ok: false, reason: 'network', error });
    }
  });
}

/** Fetches a JSON document within the limits; reports why it failed instead of throwing. */
export async function fetchJson(url: string, options: BoundedFetchOptions): Promise<FetchResult> {
  if (options.fetch === undefined && isNodesOwnFetch()) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (error) {
      return { ok: false, reason: 'network', error };
    }
    const mod = nodeModuleFor(parsed.protocol);
    if (mod !== undefined) return getWithNode(mod, parsed, options);
  }
  const fetch = options.fetch ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init));
  const started = Date.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('timeout')), options.timeoutMs);
  (timer as { unref?: () => void }).unref?.();
  let timedOut = false;
  controller.signal.addEventListener('abort', () => {
    timedOut = true;
  });
  try {
    // A bounded wait even for an injected fetch that ignores the signal.
    const response = await Promise.race([
      fetch(url, {
        method: 'GET',
        redirect: 'manual',
        signal: controller.signal,
        headers: { accept: 'application/json' },
      }),
      new Promise<never>((_, reject) => {
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason));
      }),
    ]);
    if (
      response.type === 'opaqueredirect' ||
      response.redirected ||
      (response.status >= 300 && response.status < 400)
    ) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, reason: 'redirect', status: response.status };
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, reason: 'status', status: response.status };
    }
    const bytes = await Promise.race([
      readCapped(response, options.maxResponseBytes),
      new Promise<never>((_, reject) => {
        if (controller.signal.aborted) reject(controller.signal.reason);
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason));
      }),
    ]);
    if (bytes === 'too_large') return { ok: false, reason: 'too_large' };
    return parseJson(bytes, started);
  } catch (error) {
    return { ok: false, reason: timedOut ? 'timeout' : 'network', error };
  } finally {
    clearTimeout(timer);
    if (!controller.signal.aborted) controller.abort(new Error('done'));
  }
}
