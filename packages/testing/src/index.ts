/**
 * `@org/entra-testing`: a local Microsoft Entra ID look-alike for tests. A real HTTP issuer on
 * 127.0.0.1 with Entra's discovery documents and key sets, an Entra-shaped token factory, key
 * rotation and fault injection; and a mock of Microsoft Graph's getMemberObjects for groups overage.
 *
 * @packageDocumentation
 * @module \@org/entra-testing
 */
export type { MockGraph, MockGraphFault, MockGraphOptions, MockGraphRequest } from './graph.js';
export { createMockGraph } from './graph.js';
export { createMockEntra } from './mock-entra.js';
export type {
  CreateTokenOptions,
  MockB2CValidatorOptions,
  MockCloud,
  MockEntra,
  MockEntraFault,
  MockEntraOptions,
  MockExternalIdValidatorOptions,
  MockFlavour,
  MockValidatorOptions,
  MockWorkforceValidatorOptions,
} from './types.js';
