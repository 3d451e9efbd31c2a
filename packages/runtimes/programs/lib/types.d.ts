// The input every suite receives (written by the test, see src/cases.ts) and the line it emits.
export interface SuiteInput {
  validatorOptions: { tenantId: string; clientId: string; authority: string };
  scopes: string[];
  cases: { name: string; token: string }[];
}
export type Emit = (line: Record<string, unknown>) => void;
