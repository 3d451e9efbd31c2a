/**
 * A minimal self-signed X.509 certificate, DER-encoded, so that published keys carry an `x5c` and
 * their kid is, as in Entra, the base64url SHA-1 thumbprint (`x5t`) of that certificate.
 */
import { createHash, type KeyObject, randomBytes, sign } from 'node:crypto';

const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const NULL = 0x05;
const PRINTABLE_STRING = 0x13;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const EXPLICIT_0 = 0xa0;
const EXPLICIT_3 = 0xa3;

const OID_SHA256_WITH_RSA = Buffer.from('06092a864886f70d01010b', 'hex');
const OID_COMMON_NAME = Buffer.from('0603550403', 'hex');
const OID_SUBJECT_KEY_IDENTIFIER = Buffer.from('0603551d0e', 'hex');

/** The subject and issuer of Entra's signing certificates. */
const ENTRA_CERTIFICATE_NAME = 'accounts.accesscontrol.windows.net';
/** Entra's signing certificates are valid for five years. */
const VALIDITY_YEARS = 5;

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const length: number[] = [];
  for (let n = body.length; n > 0; n = Math.floor(n / 256)) length.unshift(n % 256);
  const header = body.length < 0x80 ? [tag, body.length] : [tag, 0x80 | length.length, ...length];
  return Buffer.concat([Buffer.from(header), body]);
}

function time(ms: number): Buffer {
  const date = new Date(ms);
  const digits = `${date.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`;
  const year = date.getUTCFullYear();
  // RFC 5280: UTCTime through 2049, GeneralizedTime after.
  return year >= 1950 && year < 2050
    ? tlv(UTC_TIME, Buffer.from(digits.slice(2)))
    : tlv(GENERALIZED_TIME, Buffer.from(digits));
}

/** A DER certificate for `publicKey`, self-signed by `privateKey`, valid from `nowMs` for five years. */
export function selfSignedCertificate(publicKey: KeyObject, privateKey: KeyObject, nowMs: number): Buffer {
  const name = tlv(
    SEQUENCE,
    tlv(SET, tlv(SEQUENCE, OID_COMMON_NAME, tlv(PRINTABLE_STRING, Buffer.from(ENTRA_CERTIFICATE_NAME)))),
  );
  const algorithm = tlv(SEQUENCE, OID_SHA256_WITH_RSA, tlv(NULL));
  const notAfter = new Date(nowMs);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  const serial = randomBytes(8);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40; // positive, and no leading zero byte needed
  const keyIdentifier = createHash('sha1')
    .update(publicKey.export({ type: 'pkcs1', format: 'der' }))
    .digest();
  const tbs = tlv(
    SEQUENCE,
    tlv(EXPLICIT_0, tlv(INTEGER, Buffer.from([2]))), // v3
    tlv(INTEGER, serial),
    algorithm,
    name,
    tlv(SEQUENCE, time(nowMs), time(notAfter.getTime())),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(
      EXPLICIT_3,
      tlv(
        SEQUENCE,
        tlv(SEQUENCE, OID_SUBJECT_KEY_IDENTIFIER, tlv(OCTET_STRING, tlv(OCTET_STRING, keyIdentifier))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, privateKey);
  return tlv(SEQUENCE, tbs, algorithm, tlv(BIT_STRING, Buffer.from([0]), signature));
}

/** The certificate thumbprint Entra uses as `x5t` and `kid`. */
export function thumbprint(der: Buffer): string {
  return createHash('sha1').update(der).digest('base64url');
}
