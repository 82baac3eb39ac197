import {
  AuthorityKeyIdentifier as AsnAuthorityKeyIdentifier,
  BasicConstraints as AsnBasicConstraints,
  AuthorityInfoAccessSyntax,
  CertificatePolicies,
  CRLDistributionPoints,
  ExtendedKeyUsage,
  KeyUsage,
  SubjectAlternativeName,
  SubjectInfoAccessSyntax,
  SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { type GeneralName, readGeneralNames } from './general-names.js';
import { DerError, parseDer } from './parse-der.js';

// Decoders of the extension values the verifier reads (RFC 5280 4.2), on
// @peculiar/asn1-x509's schemas. Each throws DerError on anything that is
// not the DER of the expected structure, and on the few rules the schemas
// do not carry (SIZE (1..MAX), a non-negative path length).

/** The key usage bits of RFC 5280 4.2.1.3, in bit order. */
export const KEY_USAGE_BITS = Object.freeze([
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const);

/** One key usage bit name. */
export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];

/** Basic constraints (RFC 5280 4.2.1.9). */
export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLength: number | null;
  readonly critical: boolean;
}

/** The parts of an authority key identifier (RFC 5280 4.2.1.1). */
export interface AuthorityKeyIdentifier {
  readonly keyIdentifier: Buffer | null;
  readonly issuer: readonly GeneralName[] | null;
  readonly hasSerialNumber: boolean;
}

/** BasicConstraints: the cA flag (default false) and pathLenConstraint. */
export function readBasicConstraints(
  value: Buffer,
): Omit<BasicConstraints, 'critical'> {
  const decoded = parseDer(value, AsnBasicConstraints);
  const pathLength = decoded.pathLenConstraint ?? null;
  if (
    pathLength !== null &&
    (!Number.isSafeInteger(pathLength) || pathLength < 0)
  ) {
    throw new DerError(`path length ${pathLength} is not a small integer`);
  }
  return { ca: decoded.cA, pathLength };
}

/**
 * KeyUsage: the names of the bits that are set. The bits are read from
 * the decoded octets by position (bit 0 is the high bit of the first
 * octet), whatever the length of the string.
 */
export function readKeyUsage(value: Buffer): ReadonlySet<KeyUsageName> {
  const bytes = new Uint8Array(parseDer(value, KeyUsage).value);
  const usages = new Set<KeyUsageName>();
  KEY_USAGE_BITS.forEach((name, bit) => {
    const byte = bytes[bit >> 3] ?? 0;
    if ((byte & (0x80 >> (bit & 7))) !== 0) usages.add(name);
  });
  return usages;
}

/** ExtendedKeyUsage: the purpose OIDs, in order. */
export function readExtendedKeyUsage(value: Buffer): string[] {
  return [...parseDer(value, ExtendedKeyUsage)];
}

/** SubjectAltName: a GeneralNames SEQUENCE. */
export function readSubjectAltNames(value: Buffer): GeneralName[] {
  return readGeneralNames(parseDer(value, SubjectAlternativeName));
}

/** SubjectKeyIdentifier: the key identifier octets. */
export function readSubjectKeyIdentifier(value: Buffer): Buffer {
  return Buffer.from(parseDer(value, SubjectKeyIdentifier).buffer);
}

/** AuthorityKeyIdentifier: its three optional fields. */
export function readAuthorityKeyIdentifier(
  value: Buffer,
): AuthorityKeyIdentifier {
  const decoded = parseDer(value, AsnAuthorityKeyIdentifier);
  return {
    keyIdentifier:
      decoded.keyIdentifier === undefined
        ? null
        : Buffer.from(decoded.keyIdentifier.buffer),
    issuer:
      decoded.authorityCertIssuer === undefined
        ? null
        : readGeneralNames(decoded.authorityCertIssuer),
    hasSerialNumber: decoded.authorityCertSerialNumber !== undefined,
  };
}

/** Authority information access: checks the structure. */
export function readAuthorityInfoAccess(value: Buffer): void {
  atLeastOne(parseDer(value, AuthorityInfoAccessSyntax), 'access description');
}

/** Subject information access: checks the structure. */
export function readSubjectInfoAccess(value: Buffer): void {
  atLeastOne(parseDer(value, SubjectInfoAccessSyntax), 'access description');
}

/** CertificatePolicies: checks the structure (no policy processing). */
export function readPolicies(value: Buffer): void {
  atLeastOne(parseDer(value, CertificatePolicies), 'policy');
}

/** CRLDistributionPoints: checks the structure. */
export function readDistributionPoints(value: Buffer): void {
  parseDer(value, CRLDistributionPoints);
}

/** RFC 5280 writes these lists SIZE (1..MAX); the schemas allow empty. */
function atLeastOne(list: readonly unknown[], what: string): void {
  if (list.length === 0) throw new DerError(`it holds no ${what}`);
}
