export {
  type CaseName,
  type Cases,
  EXPECTED,
  expectedCaseLines,
  makeCases,
  REQUIRED_SCOPE,
  type SuiteInput,
  tamper,
} from './cases.js';
export { type RunOptions, runProgram } from './run.js';
export {
  allRuntimes,
  bun,
  deno,
  node20,
  node22,
  node24,
  nodeRuntimes,
  quietEnv,
  type Runtime,
  reportedVersion,
  runtimesDir,
} from './runtimes.js';
export { programArgs, SUITES } from './suites.js';
