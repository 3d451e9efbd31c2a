// Modules the snippets import through an app's own path aliases (Next.js's `@/`).
declare module '@/lib/auth' {
  export const validator: import('@org/entra-core').EntraValidator;
}
