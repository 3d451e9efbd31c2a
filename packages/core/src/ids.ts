/** Entra's identifiers: GUIDs (tenants, objects, applications) and the tenants with a fixed id. */

/** A GUID in its usual 8-4-4-4-12 hex form, any case. */
export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for a GUID in its usual 8-4-4-4-12 hex form (tenant, object and application ids).
 *
 * @example
 * ```ts
 * isGuid('72f988bf-86f1-41af-91ab-2d7cd011db47'); // true
 * isGuid('contoso.onmicrosoft.com'); // false
 * ```
 */
export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID_RE.test(value);
}

/**
 * The tenant of personal Microsoft accounts: what `consumers` stands for, and the `tid` of their tokens.
 *
 * @example
 * ```ts
 * if (principal.tenantId === CONSUMERS_TENANT_ID) console.log('a personal Microsoft account');
 * ```
 */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';
