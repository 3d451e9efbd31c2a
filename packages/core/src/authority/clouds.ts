/** The national clouds Entra ID runs in, and their authorities (ENTRA.md, "Authorities and discovery"). */
import type { EntraCloud } from '../options.js';

/** The Entra authority of each national cloud. */
export const CLOUD_AUTHORITIES: Readonly<Record<EntraCloud, string>> = Object.freeze({
  public: 'https://login.microsoftonline.com',
  usgov: 'https://login.microsoftonline.us',
  china: 'https://login.partner.microsoftonline.cn',
});
