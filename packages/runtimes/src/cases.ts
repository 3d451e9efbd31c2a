/**
 * The four tokens every runtime is shown, made by the test process with the look-alike issuer, and
 * what each program must report for them. A program receives `SuiteInput` as JSON on stdin and
 * prints one JSON line per thing seen; `expectedLines` is the whole transcript it must print.
 */
import type { MockEntra } from '@org/entra-testing';

export interface SuiteInput {
  validatorOptions: { tenantId: string; clientId: string; authority: string };
  scopes: string[];
  cases: { name: CaseName; token: string }[];
}

export type CaseName = 'valid' | 'expired' | 'tampered' | 'wrong-scope';

/** What an API answers for each case: the status and, when refused, the error code. */
export const EXPECTED: Readonly<Record<CaseName, { status: number; code?: string }>> = {
  valid: { status: 200 },
  expired: { status: 401, code: 'token_expired' },
  tampered: { status: 401, code: 'invalid_signature' },
  'wrong-scope': { status: 403, code: 'insufficient_scope' },
};

/** The scope the programs require. */
export const REQUIRED_SCOPE = 'Orders.Read';

/** A token whose payload was changed after signing (another oid): the signature no longer matches. */
export function tamper(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  claims.oid = '00000000-0000-4000-8000-000000000bad';
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

export interface Cases {
  input: SuiteInput;
  /** The oid of the valid token: what an accepting program must report. */
  oid: string;
}

export function makeCases(entra: MockEntra): Cases {
  const valid = entra.createToken({ scp: REQUIRED_SCOPE });
  const oid = JSON.parse(Buffer.from(valid.split('.')[1] as string, 'base64url').toString('utf8'))
    .oid as string;
  return {
    oid,
    input: {
      validatorOptions: entra.validatorOptions(),
      scopes: [REQUIRED_SCOPE],
      cases: [
        { name: 'valid', token: valid },
        // Issued two hours ago for one hour: an hour past `exp`, far beyond the 300 s tolerance.
        {
          name: 'expired',
          token: entra.createToken({ scp: REQUIRED_SCOPE }, { issuedAt: -7200, expiresIn: 3600 }),
        },
        { name: 'tampered', token: tamper(valid) },
        { name: 'wrong-scope', token: entra.createToken({ scp: 'Orders.Write' }) },
      ],
    },
  };
}

/** One line per case, in order, as the suites print them. */
export function expectedCaseLines(suite: string, cases: Cases): Record<string, unknown>[] {
  return cases.input.cases.map(({ name }) => {
    const { status, code } = EXPECTED[name];
    return code === undefined
      ? { suite, case: name, status, oid: cases.oid }
      : { suite, case: name, status, code };
  });
}
