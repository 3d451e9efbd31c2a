/**
 * A small local stand-in for the Functions host, for machines without Azure Functions Core Tools:
 * a node:http server that routes each request to the function registered for its route and method
 * (`{name}` and a last `{name?}` segment, as the functions here use them), calls its handler with
 * `@azure/functions`' own `HttpRequest` and `InvocationContext`, and sends what it returns through
 * the package's own `HttpResponse`. Only what this API needs; `func start` is the real thing.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
// @azure/functions is CommonJS: from an ES module, its classes come with the default import.
import functions, { type HttpFunctionOptions } from '@azure/functions';
import type { FunctionsApp } from './functions.js';

const { HttpRequest, HttpResponse, InvocationContext } = functions;

interface Registered {
  name: string;
  segments: string[];
  options: HttpFunctionOptions;
}

/** A `FunctionsApp` that keeps what is registered, for {@link createLocalHost}. */
export class FunctionRegistry implements FunctionsApp {
  readonly functions: Registered[] = [];

  http(name: string, options: HttpFunctionOptions): void {
    this.functions.push({ name, segments: (options.route ?? name).split('/'), options });
  }

  /** The function for a method and a path, with the route's parameters. */
  match(method: string, path: string): { fn: Registered; params: Record<string, string> } | undefined {
    const parts = path.split('/').slice(1).map(decodeURIComponent);
    for (const fn of this.functions) {
      if (!(fn.options.methods ?? ['GET', 'POST']).includes(method as never)) continue;
      const params = matchRoute(fn.segments, parts);
      if (params !== undefined) return { fn, params };
    }
    return undefined;
  }
}

function matchRoute(segments: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  const last = segments.at(-1) ?? '';
  const optional = /^\{(\w+)\?\}$/.exec(last);
  if (parts.length !== segments.length && !(optional && parts.length === segments.length - 1))
    return undefined;
  for (const [i, segment] of segments.entries()) {
    const part = parts[i];
    const param = /^\{(\w+)\??\}$/.exec(segment);
    if (param) {
      if (part !== undefined && part !== '') params[param[1] as string] = part;
      else if (!segment.endsWith('?}')) return undefined;
    } else if (part?.toLowerCase() !== segment.toLowerCase()) return undefined;
  }
  return params;
}

async function bodyOf(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A node:http server that runs the registered functions; listen on it as you would on any. */
export function createLocalHost(registry: FunctionRegistry): Server {
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
      const method = (req.method ?? 'GET').toUpperCase();
      const found = registry.match(method, url.pathname);
      if (found === undefined) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const request = new HttpRequest({
        method,
        url: url.href,
        headers,
        params: found.params,
        body: { bytes: await bodyOf(req) },
      });
      const context = new InvocationContext({ functionName: found.fn.name });
      const result = await found.fn.options.handler(request, context);
      const response = result instanceof HttpResponse ? result : new HttpResponse(result ?? {});
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"internal_error"}');
    }
  });
}
