/** The whole scenario table every adapter runs. */
import type { Scenario } from './scenario.js';
import { ANONYMOUS_SCENARIOS } from './scenarios-anonymous.js';
import { FLAVOUR_SCENARIOS } from './scenarios-flavours.js';
import { GROUP_SCENARIOS } from './scenarios-groups.js';
import { GUARD_SCENARIOS } from './scenarios-guards.js';
import { HANDLER_SCENARIOS } from './scenarios-handler.js';
import { HEADER_SCENARIOS } from './scenarios-header.js';
import { TOKEN_SCENARIOS } from './scenarios-tokens.js';

export type { AppKind, Expectation, Kits, Scenario } from './scenario.js';
export { OTHER_TENANT } from './scenario.js';

export const SCENARIOS: readonly Scenario[] = [
  ...HEADER_SCENARIOS,
  ...TOKEN_SCENARIOS,
  ...GUARD_SCENARIOS,
  ...GROUP_SCENARIOS,
  ...HANDLER_SCENARIOS,
  ...ANONYMOUS_SCENARIOS,
  ...FLAVOUR_SCENARIOS,
];
