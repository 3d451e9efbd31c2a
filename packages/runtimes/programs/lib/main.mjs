// The shared entry of the programs run by Node, Bun and Deno: read the input (issuer options,
// required scopes, the tokens to try) as JSON on stdin, say which runtime this is, run one suite,
// and print one JSON line per thing seen. Web APIs and `node:process` only, so every runtime runs it
// unchanged (Deno without any --allow-read or --allow-env).
import process from 'node:process';

/** Which runtime is executing this file, as the test checks it (Bun and Deno also define `process`). */
export function runtime() {
  if (typeof globalThis.Bun !== 'undefined') return { name: 'bun', version: globalThis.Bun.version };
  if (typeof globalThis.Deno !== 'undefined') return { name: 'deno', version: globalThis.Deno.version.deno };
  return { name: 'node', version: process.versions.node };
}

async function readStdin() {
  let text = '';
  for await (const chunk of process.stdin)
    text += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
  return JSON.parse(text);
}

/**
 * @param {string} suiteName
 * @param {(input: unknown, emit: (line: Record<string, unknown>) => void) => Promise<void>} suite
 */
export async function main(suiteName, suite) {
  const input = await readStdin();
  const emit = (line) => console.log(JSON.stringify({ suite: suiteName, ...line }));
  emit({ runtime: runtime() });
  await suite(input, emit);
  emit({ done: true });
}
