/**
 * The fixed tenants, applications and people that tokens are issued for, and the random parts of
 * a token (ids that Entra makes fresh for every token).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const DEFAULT_TENANT_ID = '6f0c3c2a-4b1e-4d8f-9a57-3c2b1d0e9f11';
export const DEFAULT_CLIENT_ID = 'b8a4d1e2-7c3f-4e9a-8b6d-2f1e0c9a7b53';
export const DEFAULT_CLIENT_APP_ID = 'c3d2e1f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
export const DEFAULT_DOMAIN = 'contoso.onmicrosoft.com';

/** The tenant of personal Microsoft accounts, behind the `consumers` alias. */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';
/** Microsoft Graph's application ID: the `aud` of v2 Graph tokens. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** The `aud` of v1 Graph tokens. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Person {
  readonly oid: string;
  readonly givenName: string;
  readonly familyName: string;
  /** The user name in the resource tenant, before `@domain`. */
  readonly alias: string;
  /** Set for guests: the tenant the account lives in. */
  readonly homeTenantId?: string;
  readonly email?: string;
}

/** The default signed-in user: a member of the tenant. */
export const MEMBER: Person = {
  oid: '2e8f0c1a-5d4b-4a3e-9c7f-8b6a5d4c3e21',
  givenName: 'Ada',
  familyName: 'Lovelace',
  alias: 'ada',
};

/** A B2B guest from another tenant: Entra names guests `<email with _>#EXT#@<resource domain>`. */
export const GUEST: Person = {
  oid: '7c1e4b9d-2a3f-4e5d-8c6b-0a9f8e7d6c5b',
  givenName: 'Grace',
  familyName: 'Hopper',
  alias: 'grace_fabrikam.com#EXT#',
  homeTenantId: 'a5e3c1f7-9b2d-4d6e-8f0a-1c3e5a7b9d2f',
  email: 'grace@fabrikam.com',
};

/** The object ID of the calling app's service principal: `oid` and `sub` of app-only tokens. */
export const SERVICE_PRINCIPAL_OID = '4d7a2c9e-1f3b-4e8a-9d6c-5b0e3f1a7c28';

/** Entra's `sub` is pairwise: a 43-character base64url value, different for each application. */
export function pairwiseSubject(oid: string, appId: string): string {
  return createHash('sha256').update(`${oid}|${appId}`).digest('base64url');
}

export function randomBase64Url(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** A kid that looks like Entra's: the base64url SHA-1 thumbprint of a certificate, 27 characters. */
export function randomKid(): string {
  return randomBase64Url(20);
}

/** `aio`: an opaque value Entra uses internally, standard base64. */
export function randomAio(): string {
  return `A${randomBytes(71).toString('base64')}`;
}

/** `rh`: an opaque value Entra uses to revalidate tokens. */
export function randomRh(): string {
  return `0.A${randomBase64Url(48)}.`;
}

export function randomGuid(): string {
  return randomUUID();
}
