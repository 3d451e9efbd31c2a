/**
 * Node's built-in modules without a static `node:` import, so the core still bundles for edge
 * runtimes: `process.getBuiltinModule` (Node ≥ 20.16, Bun, Deno) or nothing.
 */
export function builtin<T>(name: string): T | undefined {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    return typeof proc?.getBuiltinModule === 'function'
      ? (proc.getBuiltinModule(name) as T | undefined)
      : undefined;
  } catch {
    return undefined;
  }
}
