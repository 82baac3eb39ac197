import {
  type DerElement,
  DerError,
  expectTag,
  readBitString,
  readBoolean,
  readChildren,
  readOid,
  readOnly,
  readSmallInteger,
  TAG,
} from './der-reader.js';
import {
  type GeneralName,
  readGeneralName,
  readGeneralNames,
} from './general-names.js';

// Decoders of the extension values the verifier reads (RFC 5280 4.2).
// Each throws DerError on anything that is not the expected structure.

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
  const children = readChildren(readOnly(value, TAG.sequence));
  let index = 0;
  let ca = false;
  if (children[index]?.tag === TAG.boolean) {
    ca = readBoolean(children[index] as DerElement);
    index += 1;
  }
  let pathLength: number | null = null;
  if (children[index] !== undefined) {
    pathLength = readSmallInteger(children[index] as DerElement);
    index += 1;
  }
  if (index !== children.length) {
    throw new DerError('unexpected field in basic constraints');
  }
  return { ca, pathLength };
}

/** KeyUsage: the names of the bits that are set. */
export function readKeyUsage(value: Buffer): ReadonlySet<KeyUsageName> {
  const { bytes } = readBitString(readOnly(value));
  const usages = new Set<KeyUsageName>();
  KEY_USAGE_BITS.forEach((name, bit) => {
    const byte = bytes[bit >> 3] ?? 0;
    if ((byte & (0x80 >> (bit & 7))) !== 0) usages.add(name);
  });
  return usages;
}

/** SubjectAltName: a GeneralNames SEQUENCE. */
export function readSubjectAltNames(value: Buffer): GeneralName[] {
  return readGeneralNames(readOnly(value, TAG.sequence));
}

/** AuthorityKeyIdentifier: its three optional fields, in order. */
export function readAuthorityKeyIdentifier(
  value: Buffer,
): AuthorityKeyIdentifier {
  let keyIdentifier: Buffer | null = null;
  let issuer: GeneralName[] | null = null;
  let hasSerialNumber = false;
  let last = -1;
  for (const child of readChildren(readOnly(value, TAG.sequence))) {
    const order = [0x80, 0xa1, 0x82].indexOf(child.tag);
    if (order <= last) throw new DerError('unexpected field in identifier');
    last = order;
    if (order === 0) keyIdentifier = child.content;
    if (order === 1) issuer = readGeneralNames(child);
    if (order === 2) hasSerialNumber = true;
  }
  return { keyIdentifier, issuer, hasSerialNumber };
}

/** Authority or subject information access: checks the structure. */
export function readAccessDescriptions(value: Buffer): void {
  const descriptions = readChildren(readOnly(value, TAG.sequence));
  if (descriptions.length === 0) throw new DerError('no access description');
  for (const description of descriptions) {
    const [method, location, ...rest] = readChildren(
      expectTag(description, TAG.sequence),
    );
    if (method === undefined || location === undefined || rest.length > 0) {
      throw new DerError('access description is not a method and a location');
    }
    readOid(method);
    readGeneralName(location);
  }
}

/** CertificatePolicies: checks the structure (no policy processing). */
export function readPolicies(value: Buffer): void {
  const policies = readChildren(readOnly(value, TAG.sequence));
  if (policies.length === 0) throw new DerError('no policy');
  for (const policy of policies) {
    const [identifier] = readChildren(expectTag(policy, TAG.sequence));
    if (identifier === undefined) throw new DerError('empty policy');
    readOid(identifier);
  }
}
