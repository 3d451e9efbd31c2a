/** Checks one response against its scenario's expectation. */
import { EntraAuthError } from '@org/entra-core';
import { expect } from 'vitest';
import type { TestResponse } from './http.js';
import type { PrincipalSummary } from './routes.js';
import type { Scenario } from './scenarios.js';

export function parse(body: string): unknown {
  try {
    return body === '' ? '' : JSON.parse(body);
  } catch {
    return body;
  }
}

type SentHeaders = Record<string, string | readonly string[]>;

function payloadOf(headers: SentHeaders): Record<string, unknown> {
  const sent = headers.authorization;
  const token = typeof sent === 'string' ? sent.slice('Bearer '.length) : '';
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

export function check(scenario: Scenario, headers: SentHeaders, res: TestResponse): void {
  const want = scenario.expect;
  const body = parse(res.body);
  expect(res.status, res.body).toBe(want.status);
  if ('error' in want) {
    const description = want.description ?? new EntraAuthError(want.error).message;
    expect(body).toEqual({
      error: want.error,
      error_description: typeof description === 'string' ? description : expect.stringMatching(description),
    });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const challenge = res.headers['www-authenticate'];
    if (want.challenge === null) expect(challenge).toBeUndefined();
    else if (typeof want.challenge === 'string') expect(challenge).toBe(want.challenge);
    else expect(challenge).toMatch(want.challenge);
    if (challenge?.includes('error_description')) {
      expect(challenge).toContain(
        `error_description="${(body as { error_description: string }).error_description}"`,
      );
    }
    if (want.status === 503) expect(res.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
    else expect(res.headers['retry-after']).toBeUndefined();
  } else if (want.status === 204) {
    expect(res.body).toBe('');
    expect(res.headers['www-authenticate']).toBeUndefined();
  } else if (want.principal === 'anonymous') {
    expect(body).toEqual({ authenticated: false });
  } else {
    const claims = payloadOf(headers);
    const summary = body as PrincipalSummary;
    // B2C tokens carry no tid: the tenant is the one in their issuer.
    const tenantId = claims.tid ?? /\/([0-9a-f-]{36})\/v2\.0\/$/.exec(String(claims.iss))?.[1];
    expect(summary).toMatchObject({
      authenticated: true,
      tenantId,
      objectId: claims.oid,
      clientId: claims.azp ?? claims.appid,
      tokenVersion: claims.ver,
      isAppOnly: want.isAppOnly,
      scopes: typeof claims.scp === 'string' ? claims.scp.split(' ') : [],
      roles: claims.roles ?? [],
    });
    expect(summary.policy).toBe(claims.tfp);
  }
}
