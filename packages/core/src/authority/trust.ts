/**
 * The issuers a configuration trusts, known before any request: exact issuers, or templates where
 * `{tenantid}` stands for any tenant GUID. `combineValidators` sends a token to the one validator
 * whose patterns match its (unverified) `iss`, and refuses validators whose patterns overlap. The
 * comparison ignores case (hosts, GUIDs and B2C policy names are case-insensitive); the validator
 * chosen then compares the issuer exactly with what its discovery document announced.
 */
import { GUID_RE } from '../ids.js';
import { TENANT_TEMPLATE } from './plan.js';

const GUID_LENGTH = 36;
/** Where a GUID has its dashes. */
const DASHES = new Set([8, 13, 18, 23]);
const HEX = /^[0-9a-f]$/;

/** `pattern` in lower case, with `{tenantid}` kept as the placeholder. */
export function issuerPattern(issuer: string): string {
  return issuer.toLowerCase();
}

/** True when `issuer` is one of the issuers `pattern` describes. */
export function matchesPattern(pattern: string, issuer: string): boolean {
  const lowered = issuer.toLowerCase();
  const at = pattern.indexOf(TENANT_TEMPLATE);
  if (at < 0) return lowered === pattern;
  const suffix = pattern.slice(at + TENANT_TEMPLATE.length);
  return (
    lowered.length === at + GUID_LENGTH + suffix.length &&
    lowered.startsWith(pattern.slice(0, at)) &&
    lowered.endsWith(suffix) &&
    GUID_RE.test(lowered.slice(at, at + GUID_LENGTH))
  );
}

/** One position of an issuer: a character, or (inside a tenant GUID) any hex digit. */
type Position = string | typeof ANY_HEX;
const ANY_HEX: unique symbol = Symbol('hex');

function positions(pattern: string): Position[] {
  const out: Position[] = [];
  const parts = pattern.split(TENANT_TEMPLATE);
  parts.forEach((part, index) => {
    if (index > 0) for (let i = 0; i < GUID_LENGTH; i++) out.push(DASHES.has(i) ? '-' : ANY_HEX);
    out.push(...part);
  });
  return out;
}

/** True when some issuer matches both patterns. */
export function patternsOverlap(a: string, b: string): boolean {
  const pa = positions(a);
  const pb = positions(b);
  if (pa.length !== pb.length) return false;
  return pa.every((x, i) => {
    const y = pb[i] as Position;
    if (x === ANY_HEX) return y === ANY_HEX || HEX.test(y as string);
    if (y === ANY_HEX) return HEX.test(x);
    return x === y;
  });
}
