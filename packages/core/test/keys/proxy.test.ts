// A proxy configured the standard way carries discovery and key requests. The process's global fetch
// is Node's own (nothing stubs it here); undici's global dispatcher points it at a forwarding proxy
// on 127.0.0.1 that speaks both CONNECT (tunnels) and absolute-form requests.
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import {
  Agent,
  type Dispatcher,
  EnvHttpProxyAgent,
  getGlobalDispatcher,
  ProxyAgent,
  setGlobalDispatcher,
} from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createEntraValidator, type EntraValidatorOptions } from '../../src/index.js';
import { codeOf, useMockEntra } from '../helpers.js';

const { entra, clock } = useMockEntra();

interface Proxy {
  readonly url: string;
  /** What the proxy was asked: `CONNECT host:port`, or `GET http://...` for absolute-form requests. */
  readonly seen: string[];
  /** When set, every request is refused with 403 (a proxy that does not allow the destination). */
  refuse: boolean;
  close(): Promise<void>;
}

async function startProxy(): Promise<Proxy> {
  const seen: string[] = [];
  const state = { refuse: false };
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (state.refuse) {
      res.writeHead(403).end();
      return;
    }
    // Absolute-form: GET http://host:port/path
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers: req.headers,
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    if (state.refuse) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host as string, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    get refuse() {
      return state.refuse;
    },
    set refuse(value: boolean) {
      state.refuse = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let proxy: Proxy;
let original: Dispatcher;
const installed: Dispatcher[] = [];

beforeAll(async () => {
  proxy = await startProxy();
  original = getGlobalDispatcher();
});
afterEach(async () => {
  setGlobalDispatcher(original);
  proxy.refuse = false;
  proxy.seen.length = 0;
  await Promise.all(installed.splice(0).map((d) => d.close()));
});
afterAll(async () => {
  await proxy.close();
});

function use(dispatcher: Dispatcher): void {
  installed.push(dispatcher);
  setGlobalDispatcher(dispatcher);
}

function validator() {
  return createEntraValidator(entra().validatorOptions({ clock: clock.fn }) as EntraValidatorOptions);
}

describe('a process-wide proxy carries discovery and key requests', () => {
  test('the global fetch is the one Node ships (nothing in this process replaced it)', () => {
    expect(Function.prototype.toString.call(globalThis.fetch)).not.toContain('vi.fn');
    expect(Object.hasOwn(globalThis.fetch, 'mock')).toBe(false);
  });

  test('ProxyAgent (CONNECT tunnels): the token verifies, and the proxy saw the issuer', async () => {
    use(new ProxyAgent({ uri: proxy.url }));
    const issuerHost = new URL(entra().authority).host;
    expect(await codeOf(validator().verify(entra().createToken()))).toBe('ok');
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT ${issuerHost}`]));
  });

  test('ProxyAgent without tunnelling (absolute-form requests): discovery and keys both pass through it', async () => {
    use(new ProxyAgent({ uri: proxy.url, proxyTunnel: false }));
    const kit = entra();
    expect(await codeOf(validator().verify(kit.createToken()))).toBe('ok');
    expect(proxy.seen).toEqual([
      `GET ${kit.authority}/${kit.tenantId}/v2.0/.well-known/openid-configuration`,
      `GET ${kit.authority}/${kit.tenantId}/discovery/v2.0/keys`,
    ]);
  });

  test('EnvHttpProxyAgent (HTTP_PROXY, as NODE_USE_ENV_PROXY installs it): the requests go through the proxy', async () => {
    use(new EnvHttpProxyAgent({ httpProxy: proxy.url, httpsProxy: proxy.url, noProxy: '' }));
    expect(await codeOf(validator().verify(entra().createToken()))).toBe('ok');
    expect(proxy.seen.length).toBeGreaterThan(0);
  });

  test('a proxy that refuses the destination is what the validator meets: keys_unavailable, nothing bypasses it', async () => {
    proxy.refuse = true;
    use(new ProxyAgent({ uri: proxy.url }));
    entra().resetCounts();
    expect(await codeOf(validator().verify(entra().createToken()))).toBe('keys_unavailable');
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(entra().requestCount()).toBe(0);
  });

  test('without a proxy, the same validator reaches the issuer directly', async () => {
    use(new Agent());
    expect(await codeOf(validator().verify(entra().createToken()))).toBe('ok');
    expect(proxy.seen).toEqual([]);
  });
});
