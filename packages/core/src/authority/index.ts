/** The authority a validator speaks to, from its configuration. A new flavour of Entra is a new file here. */
import type { ResolvedConfig } from '../config.js';
import { b2cPlan } from './b2c.js';
import { customPlan } from './custom.js';
import { externalIdPlan } from './external-id.js';
import type { AuthorityPlan } from './plan.js';
import { workforcePlan } from './workforce.js';

export function planAuthority(config: ResolvedConfig): AuthorityPlan {
  if (config.b2c !== undefined) return b2cPlan(config.b2c);
  if (config.externalId !== undefined) return externalIdPlan(config.externalId);
  if (config.discoveryUrl !== undefined) return customPlan(config.discoveryUrl);
  return workforcePlan(config);
}
