/**
 * The message for an option this library does not know: "did you mean" when it is another library's
 * name for one of ours, or a typo.
 */

/**
 * Options of other libraries (passport-azure-ad, express-oauth2-jwt-bearer, jose, MSAL) that people
 * bring along, and what to use here instead.
 */
const OTHER_LIBRARIES: Readonly<Record<string, string>> = {
  tenantid: 'tenantId',
  clientid: 'clientId',
  audiences: 'audience',
  identitymetadata:
    'tenantId (discovery is derived from it) — or discoveryUrl for a custom metadata document',
  validateissuer: 'tenantId: the issuer is always validated; for several tenants, allowedTenants',
  issuer: 'tenantId (the issuer is read from the discovery document) — or discoveryUrl',
  issuerbaseurl: 'authority (the base URL) and tenantId',
  jwksuri: 'tenantId or discoveryUrl: the key set is taken from the discovery document',
  jwksurl: 'tenantId or discoveryUrl: the key set is taken from the discovery document',
  clockskew: 'clockToleranceSeconds',
  clocktolerance: 'clockToleranceSeconds',
  maxtokenage: 'maxTokenAgeSeconds',
  tokensigningalg: 'algorithms',
  algorithm: 'algorithms',
  policyname: 'b2c.policies (Azure AD B2C)',
  policies: 'b2c.policies (Azure AD B2C)',
  policy: 'b2c.policies (Azure AD B2C)',
  knownauthorities: 'authority',
  cloudinstance: 'cloud',
  azurecloudinstance: 'cloud',
  instance: 'authority',
  loggingnopii: 'onEvent (events never carry a token or a claim value)',
  logginglevel: 'onEvent',
  timeoutduration: 'jwks.timeoutMs',
  cachemaxage: 'jwks.refreshIntervalSeconds',
  cooldownduration: 'jwks.cooldownSeconds',
  passreqtocallback: 'nothing: adapters put the principal on the request',
  scope: 'requireScopes() on the route (scopes are checked per route, not per validator)',
  scopes: 'requireScopes() on the route (scopes are checked per route, not per validator)',
  allowmultiaudiencesintoken: 'audience (a list)',
};

/** A few edits apart (transposed, missing or extra letters): likely a typo of a known option. */
function closeTo(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2) return false;
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return (row[b.length] as number) <= 2;
}

/** The message for an unknown option: "did you mean" when it is another library's name or a typo of ours. */
export function unknownOption(key: string, known: Iterable<string>): string {
  const shown = key.slice(0, 40);
  const lower = key.toLowerCase();
  const list = [...known];
  const ours =
    list.find((k) => k.toLowerCase() === lower) ?? list.find((k) => closeTo(lower, k.toLowerCase()));
  const hint = ours === undefined ? OTHER_LIBRARIES[lower] : `'${ours}'`;
  return hint === undefined
    ? `Unknown option '${shown}'. Known options: ${list.join(', ')}`
    : `Unknown option '${shown}': did you mean ${hint}? Known options: ${list.join(', ')}`;
}
