/**
 * The only way the core talks to the network: a GET with a timeout, a response size cap, and no
 * redirects, that never throws. Used for discovery documents and key sets alike.
 *
 * Transport: the `fetch` option when one is given, otherwise the global `fetch`, looked up at each
 * call. Nothing else: a proxy configured the standard way (undici's `setGlobalDispatcher`,
 * `EnvHttpProxyAgent`, Node's `NODE_USE_ENV_PROXY`) carries every request, and so does a stub or an
 * interceptor installed in its place.
 */
import type { FetchFailureReason } from '../events.js';

export interface BoundedFetchOptions {
  /** `undefined`: the runtime's own transport (see above). */
  fetch: ((input: string, init?: RequestInit) => Promise<Response>) | undefined;
  timeoutMs: number;
  maxResponseBytes: number;
}

type Outcome =
  | { ok: true; json: unknown /** The document as received, for a key store. */; text: string }
  | { ok: false; reason: FetchFailureReason; status?: number; error?: unknown };

/** How a request went, and how long it took (failures included) in milliseconds. */
export type FetchResult = Outcome & { durationMs: number };

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

function parseJson(bytes: Uint8Array): Outcome {
  let text: string;
  let json: unknown;
  try {
    text = decoder.decode(bytes);
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: 'invalid_json', error };
  }
  return { ok: true, json, text };
}

/** A response body within `max` bytes (declared or read), or `too_large`: reading stops at the cap. */
export async function readCapped(response: Response, max: number): Promise<Uint8Array | 'too_large'> {
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

/** Fetches a JSON document within the limits; reports why it failed instead of throwing. */
export async function fetchJson(url: string, options: BoundedFetchOptions): Promise<FetchResult> {
  const started = Date.now();
  const outcome = await get(url, options);
  return { ...outcome, durationMs: Math.max(0, Date.now() - started) };
}

async function get(url: string, options: BoundedFetchOptions): Promise<Outcome> {
  const fetch = options.fetch ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init));
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
    return parseJson(bytes);
  } catch (error) {
    return { ok: false, reason: timedOut ? 'timeout' : 'network', error };
  } finally {
    clearTimeout(timer);
    if (!controller.signal.aborted) controller.abort(new Error('done'));
  }
}
