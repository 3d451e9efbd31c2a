// Modules the snippets import through an app's own path aliases (Next.js's `@/`).
declare module '@/lib/auth' {
  export const validator: import('@org/entra-core').EntraValidator;
}

// The part of @azure/identity the groups guide uses (an app's dependency, not ours).
declare module '@azure/identity' {
  export interface AccessToken {
    token: string;
    expiresOnTimestamp: number;
  }
  export class ClientSecretCredential {
    constructor(tenantId: string, clientId: string, clientSecret: string);
    getToken(scope: string | string[]): Promise<AccessToken>;
  }
}
