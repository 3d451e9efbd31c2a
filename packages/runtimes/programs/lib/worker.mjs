// The shared shape of the Workers programs: a module Worker whose fetch handler takes the input as
// the JSON body of a POST, runs one suite inside workerd and answers the JSON lines it emitted. No
// compatibility flags (no nodejs_compat): the core runs on Web APIs only, its WebCrypto path.

/**
 * @param {string} suiteName
 * @param {(input: unknown, emit: (line: Record<string, unknown>) => void) => Promise<void>} suite
 */
export function worker(suiteName, suite) {
  return {
    async fetch(request) {
      const input = await request.json();
      const lines = [];
      const emit = (line) => lines.push(JSON.stringify({ suite: suiteName, ...line }));
      emit({
        runtime: {
          name: 'workerd',
          userAgent: navigator.userAgent,
          hasProcess: typeof process !== 'undefined',
        },
      });
      await suite(input, emit);
      emit({ done: true });
      return new Response(`${lines.join('\n')}\n`, { headers: { 'content-type': 'application/x-ndjson' } });
    },
  };
}
