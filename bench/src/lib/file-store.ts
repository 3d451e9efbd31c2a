/**
 * A `keyStore` kept in a folder, one file per key: what two processes on one machine can share, the
 * way replicas share Redis. Written for the cold-start benchmark, which starts a process on an
 * empty store (it fetches and writes), then another on the same folder (it reads).
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The shape of the validator's `keyStore` option (DESIGN.md, "Operating it"). */
export interface KeyStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}

export interface FileKeyStore extends KeyStore {
  /** Resolves once every `set` so far is on disk (a process waits for it before it exits). */
  settled(): Promise<void>;
  /** Calls so far. */
  readonly counts: { get: number; hits: number; set: number };
}

interface Entry {
  readonly value: string;
  readonly expiresAt: number;
}

export function fileKeyStore(dir: string): FileKeyStore {
  const file = (key: string) => join(dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  const pending = new Set<Promise<void>>();
  const counts = { get: 0, hits: 0, set: 0 };
  return {
    counts,
    async get(key) {
      counts.get++;
      try {
        const entry = JSON.parse(await readFile(file(key), 'utf8')) as Entry;
        if (typeof entry.value !== 'string' || !(entry.expiresAt > Date.now())) return undefined;
        counts.hits++;
        return entry.value;
      } catch {
        return undefined;
      }
    },
    set(key, value, ttlSeconds) {
      counts.set++;
      const target = file(key);
      // Written aside, then renamed: a reader never sees half a file.
      const temporary = `${target}.${process.pid}.tmp`;
      const entry: Entry = { value, expiresAt: Date.now() + ttlSeconds * 1000 };
      const write = writeFile(temporary, JSON.stringify(entry)).then(() => rename(temporary, target));
      pending.add(write);
      write.then(
        () => pending.delete(write),
        () => pending.delete(write),
      );
      return write;
    },
    async settled() {
      await Promise.allSettled([...pending]);
    },
  };
}
