/**
 * What every benchmark server shares: the variants, the verifiers wired into them, and the child
 * process protocol. A server runs alone in its own process so that its CPU time
 * (`process.cpuUsage()`, asked over IPC before and after each load run) is its own.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EntraValidatorOptions } from '@org/entra-core';
import { bearerToken, createFloorVerifier } from '../lib/floor.js';
import { type KitInfo, validatorOptions } from '../lib/kit.js';
import { awsVerifier, fetchJwks } from '../lib/peers.js';

/**
 * - `baseline`: no authentication at all.
 * - `floor`: the floor verifier in the framework's usual middleware shape.
 * - `ours`: our adapter, default options (verified-token cache on).
 * - `aws`: aws-jwt-verify, the fastest peer, in the same middleware shape as the floor.
 * - `popular`: the framework's popular JWT middleware (see each server file).
 * - `oauth2-bearer`: express-oauth2-jwt-bearer (Express only).
 */
export type Variant = 'baseline' | 'floor' | 'ours' | 'aws' | 'popular' | 'oauth2-bearer';

export interface StartedServer {
  readonly port: number;
  close(): Promise<void>;
}

export type ServerFactory = (variant: Variant, kit: KitInfo) => Promise<StartedServer>;

/**
 * Our validator's options: the defaults, plus `BENCH_OURS_OPTIONS` (JSON) for experiments, e.g.
 * `BENCH_OURS_OPTIONS='{"tokenCache":false}'`.
 */
export function oursOptions(kit: KitInfo): EntraValidatorOptions {
  return validatorOptions(kit, JSON.parse(process.env.BENCH_OURS_OPTIONS ?? '{}') as Record<string, unknown>);
}

/** The response body of every route: the same few bytes whatever the variant. */
export const BODY = 'ok';

type Header = string | null | undefined;

/** The floor, given the Authorization header: the claims, or a throw. */
export async function floorFor(kit: KitInfo): Promise<(authorization: Header) => Record<string, unknown>> {
  const verify = createFloorVerifier({
    jwks: await fetchJwks(kit),
    issuer: kit.issuer,
    audiences: [kit.clientId, `api://${kit.clientId}`],
    tenantId: kit.tenantId,
  });
  return (authorization) => {
    const token = bearerToken(authorization);
    if (token === undefined) throw new Error('no token');
    return verify(token);
  };
}

/**
 * aws-jwt-verify, hydrated before the server listens (its README's advice), given the
 * Authorization header: resolves with the claims, or rejects.
 */
export async function awsFor(kit: KitInfo): Promise<(authorization: Header) => Promise<object>> {
  const verifier = awsVerifier(kit);
  await verifier.hydrate();
  return (authorization) => verifier.verify(bearerToken(authorization) ?? '');
}

export function listening(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

/** Messages between the load generator and a server process. */
export type ToServer = { type: 'cpu' } | { type: 'close' };
export type FromServer =
  | { type: 'ready'; port: number }
  | { type: 'cpu'; user: number; system: number; rss: number }
  | { type: 'error'; message: string };

/**
 * The child side: start `variant` (argv[2]) against the kit in `BENCH_KIT`, report the port, answer
 * CPU questions, exit on `close` or when the parent goes away.
 */
export function serveChild(factory: ServerFactory): void {
  const variant = process.argv[2] as Variant;
  const kit = JSON.parse(process.env.BENCH_KIT ?? 'null') as KitInfo | null;
  const send = (message: FromServer) => process.send?.(message);
  if (kit === null || variant === undefined) {
    send({ type: 'error', message: 'usage: BENCH_KIT=<json> node <server>.js <variant>' });
    process.exit(2);
  }
  factory(variant, kit).then(
    (server) => {
      process.on('message', (message: ToServer) => {
        if (message.type === 'cpu') {
          const usage = process.cpuUsage();
          send({ type: 'cpu', user: usage.user, system: usage.system, rss: process.memoryUsage.rss() });
        } else if (message.type === 'close') {
          server.close().finally(() => process.exit(0));
        }
      });
      process.on('disconnect', () => process.exit(0));
      send({ type: 'ready', port: server.port });
    },
    (error: unknown) => {
      send({
        type: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      process.exit(1);
    },
  );
}
