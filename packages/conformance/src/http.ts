/**
 * How the runner talks to an app: over HTTP with node:http (which, unlike fetch, sends any header
 * as given), or by handing a Web `Request` to a fetch-style handler in process.
 */
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestRequest {
  method: string;
  path: string;
  /** An array value sends the header once per element. */
  headers: Record<string, string | readonly string[]>;
}

export interface TestResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
}

/** An app started for one configuration. */
export interface StartedApp {
  send(request: TestRequest): Promise<TestResponse>;
  close(): Promise<void>;
}

/** Sends requests to `baseUrl` over HTTP; `close` is called once, when the run is over. */
export function overHttp(baseUrl: string, close: () => Promise<void>): StartedApp {
  const send = (req: TestRequest): Promise<TestResponse> =>
    new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        new URL(req.path, baseUrl),
        { method: req.method, headers: req.headers as Record<string, string | string[]>, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
            }
            resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
  return { send, close };
}

/** Serves requests with a listening node:http server (Express, Koa). */
export async function listening(server: Server, onClose?: () => void): Promise<StartedApp> {
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve).once('error', reject);
    });
  }
  const { port } = server.address() as AddressInfo;
  return overHttp(`http://127.0.0.1:${port}`, async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    onClose?.();
  });
}

/** Hands each request to a fetch-style handler as a real Web `Request`, in process. */
export function inProcess(
  handler: (request: Request) => Promise<Response>,
  close: () => Promise<void>,
): StartedApp {
  return {
    async send(req) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        for (const one of typeof value === 'string' ? [value] : value) headers.append(name, one);
      }
      const response = await handler(
        new Request(new URL(req.path, 'http://api.test'), { method: req.method, headers }),
      );
      const answered: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        answered[name] = value;
      });
      return { status: response.status, headers: answered, body: await response.text() };
    },
    close,
  };
}
