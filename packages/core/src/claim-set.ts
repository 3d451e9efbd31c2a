/**
 * The claims the validator reads, taken from a parsed payload once, into a record of fixed shape.
 *
 * Only own properties count: a polluted `Object.prototype` must never supply a claim. Checking that
 * with `Object.hasOwn` for every read costs more than the rest of the claim checks together, so the
 * prototype is checked instead (one `in` per name, on a constant object): when none of these names
 * is on `Object.prototype`, a direct read can only find an own property. Otherwise, `hasOwn` reads.
 */
import { own } from './codec.js';

export interface ClaimSet {
  readonly iss: unknown;
  readonly tid: unknown;
  readonly aud: unknown;
  readonly exp: unknown;
  readonly nbf: unknown;
  readonly iat: unknown;
  readonly ver: unknown;
  readonly scp: unknown;
  readonly roles: unknown;
  readonly azp: unknown;
  readonly appid: unknown;
  readonly oid: unknown;
  readonly sub: unknown;
  readonly idtyp: unknown;
  readonly acct: unknown;
  readonly idp: unknown;
  readonly preferred_username: unknown;
  readonly upn: unknown;
  readonly unique_name: unknown;
  readonly name: unknown;
  readonly nonce: unknown;
  readonly at_hash: unknown;
  readonly c_hash: unknown;
}

const proto = Object.prototype as Record<string, unknown>;

function prototypeIsClean(): boolean {
  return !(
    'iss' in proto ||
    'tid' in proto ||
    'aud' in proto ||
    'exp' in proto ||
    'nbf' in proto ||
    'iat' in proto ||
    'ver' in proto ||
    'scp' in proto ||
    'roles' in proto ||
    'azp' in proto ||
    'appid' in proto ||
    'oid' in proto ||
    'sub' in proto ||
    'idtyp' in proto ||
    'acct' in proto ||
    'idp' in proto ||
    'preferred_username' in proto ||
    'upn' in proto ||
    'unique_name' in proto ||
    'name' in proto ||
    'nonce' in proto ||
    'at_hash' in proto ||
    'c_hash' in proto
  );
}

/** Reads the claims the validator uses from a payload parsed by `JSON.parse` (own properties only). */
export function readClaimSet(p: Record<string, unknown>): ClaimSet {
  if (Object.getPrototypeOf(p) === proto && prototypeIsClean()) {
    return {
      iss: p.iss,
      tid: p.tid,
      aud: p.aud,
      exp: p.exp,
      nbf: p.nbf,
      iat: p.iat,
      ver: p.ver,
      scp: p.scp,
      roles: p.roles,
      azp: p.azp,
      appid: p.appid,
      oid: p.oid,
      sub: p.sub,
      idtyp: p.idtyp,
      acct: p.acct,
      idp: p.idp,
      preferred_username: p.preferred_username,
      upn: p.upn,
      unique_name: p.unique_name,
      name: p.name,
      nonce: p.nonce,
      at_hash: p.at_hash,
      c_hash: p.c_hash,
    };
  }
  return {
    iss: own(p, 'iss'),
    tid: own(p, 'tid'),
    aud: own(p, 'aud'),
    exp: own(p, 'exp'),
    nbf: own(p, 'nbf'),
    iat: own(p, 'iat'),
    ver: own(p, 'ver'),
    scp: own(p, 'scp'),
    roles: own(p, 'roles'),
    azp: own(p, 'azp'),
    appid: own(p, 'appid'),
    oid: own(p, 'oid'),
    sub: own(p, 'sub'),
    idtyp: own(p, 'idtyp'),
    acct: own(p, 'acct'),
    idp: own(p, 'idp'),
    preferred_username: own(p, 'preferred_username'),
    upn: own(p, 'upn'),
    unique_name: own(p, 'unique_name'),
    name: own(p, 'name'),
    nonce: own(p, 'nonce'),
    at_hash: own(p, 'at_hash'),
    c_hash: own(p, 'c_hash'),
  };
}
