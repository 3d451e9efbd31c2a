/**
 * `@org/entra-conformance` (private, tests only): the scenario table every adapter must answer alike,
 * the app every adapter builds for it, and the runner.
 */
export {
  inProcess,
  listening,
  overHttp,
  type StartedApp,
  type TestRequest,
  type TestResponse,
} from './http.js';
export {
  answer,
  type PrincipalSummary,
  ROUTES,
  type RouteAnswer,
  type RouteSpec,
  summarize,
} from './routes.js';
export { type AppConfig, type ConformanceTarget, describeConformance, preflightOption } from './runner.js';
export {
  type AppKind,
  type Expectation,
  type Kits,
  OTHER_TENANT,
  SCENARIOS,
  type Scenario,
} from './scenarios.js';
