/** The authority a validator speaks to, from its configuration. A new flavour of Entra is a new file here. */
import type { ResolvedConfig } from '../config.js';
import { customPlan } from './custom.js';
import type { AuthorityPlan } from './plan.js';
import { workforcePlan } from './workforce.js';

export function planAuthority(config: ResolvedConfig): AuthorityPlan {
  if (config.discoveryUrl !== undefined) return customPlan(config.discoveryUrl);
  return workforcePlan(config);
}
