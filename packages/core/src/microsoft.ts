/**
 * Microsoft's own services, recognised by audience: tokens a client sends here by mistake. Microsoft
 * Graph tokens can be checked by nobody but Graph; tokens for Azure Resource Manager, Key Vault and
 * the like were requested for the wrong resource.
 */

/** The application id of Microsoft Graph. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

const GRAPH_AUDIENCES: ReadonlySet<string> = new Set([
  GRAPH_APP_ID,
  'https://graph.microsoft.com',
  'https://graph.microsoft.com/',
  'https://graph.microsoft.us',
  'https://graph.microsoft.us/',
  'https://dod-graph.microsoft.us',
  'https://dod-graph.microsoft.us/',
  'https://microsoftgraph.chinacloudapi.cn',
  'https://microsoftgraph.chinacloudapi.cn/',
]);

const RESOURCES: ReadonlyMap<string, string> = new Map([
  ['00000002-0000-0000-c000-000000000000', 'Azure AD Graph'],
  ['https://graph.windows.net', 'Azure AD Graph'],
  ['https://graph.windows.net/', 'Azure AD Graph'],
  ['797f4846-ba00-4fd7-ba43-dac1f8f63013', 'Azure Resource Manager'],
  ['https://management.azure.com', 'Azure Resource Manager'],
  ['https://management.azure.com/', 'Azure Resource Manager'],
  ['https://management.core.windows.net', 'Azure Service Management'],
  ['https://management.core.windows.net/', 'Azure Service Management'],
  ['https://vault.azure.net', 'Azure Key Vault'],
  ['cfa8b339-82a2-471a-a3c9-0fc0be7a4093', 'Azure Key Vault'],
  ['https://storage.azure.com', 'Azure Storage'],
  ['https://storage.azure.com/', 'Azure Storage'],
  ['https://database.windows.net/', 'Azure SQL Database'],
  ['https://ossrdbms-aad.database.windows.net', 'Azure Database for PostgreSQL and MySQL'],
  ['https://cognitiveservices.azure.com', 'Azure AI services'],
  ['https://servicebus.azure.net', 'Azure Service Bus and Event Hubs'],
  ['https://api.loganalytics.io', 'Azure Log Analytics'],
  ['00000003-0000-0ff1-ce00-000000000000', 'SharePoint Online'],
  ['00000002-0000-0ff1-ce00-000000000000', 'Exchange Online'],
]);

/** True for a Microsoft Graph audience. */
export function isGraphAudience(aud: unknown): boolean {
  return typeof aud === 'string' && GRAPH_AUDIENCES.has(aud);
}

/**
 * The Microsoft service an audience belongs to (`Microsoft Graph`, `Azure Resource Manager`,
 * `Azure Key Vault`...), or `undefined` for any other audience: to tell a client which token it
 * sent by mistake.
 *
 * @example
 * ```ts
 * microsoftServiceName('https://management.azure.com/'); // 'Azure Resource Manager'
 * microsoftServiceName('api://orders'); // undefined
 * ```
 */
export function microsoftServiceName(aud: unknown): string | undefined {
  if (typeof aud !== 'string') return undefined;
  return GRAPH_AUDIENCES.has(aud) ? 'Microsoft Graph' : RESOURCES.get(aud);
}
