/** A GUID in its usual 8-4-4-4-12 hex form (Entra tenant, object and application ids). */
export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tenant of personal Microsoft accounts (`consumers`). */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

/** The application id of Microsoft Graph: tokens for it can be validated by Graph only. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
