import {
  type AuthorityKeyIdentifier,
  type BasicConstraints,
  type KeyUsageName,
  readAuthorityInfoAccess,
  readAuthorityKeyIdentifier,
  readBasicConstraints,
  readDistributionPoints,
  readExtendedKeyUsage,
  readKeyUsage,
  readPolicies,
  readSubjectAltNames,
  readSubjectInfoAccess,
  readSubjectKeyIdentifier,
} from './extension-values.js';
import type { GeneralName } from './general-names.js';
import { EXTENSION_OID } from './object-identifiers.js';

/** One extension as encoded: its OID, criticality and DER value. */
export interface RawExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Buffer;
}

/**
 * What the verifier reads from the extensions. A known extension that
 * does not decode is recorded in `problems` and read as the most
 * restrictive value (no CA flag, no usages, no names).
 */
export interface DecodedExtensions {
  readonly basicConstraints: BasicConstraints | null;
  readonly keyUsage: ReadonlySet<KeyUsageName> | null;
  readonly extendedKeyUsage: readonly string[] | null;
  readonly subjectAltNames: readonly GeneralName[] | null;
  readonly subjectAltNameCritical: boolean;
  readonly subjectKeyIdentifier: Buffer | null;
  readonly authorityKeyIdentifier: AuthorityKeyIdentifier | null;
  /** Broken encoding or RFC 5280 rules, as plain-words clauses. */
  readonly problems: readonly string[];
  /** Critical extensions this verifier does not process, named. */
  readonly unsupportedCritical: readonly string[];
}

/** Readable names of extensions for messages. */
const NAMES: ReadonlyMap<string, string> = new Map([
  [EXTENSION_OID.subjectKeyIdentifier, 'subject key identifier'],
  [EXTENSION_OID.keyUsage, 'key usage'],
  [EXTENSION_OID.subjectAltName, 'subject alternative name'],
  [EXTENSION_OID.issuerAltName, 'issuer alternative name'],
  [EXTENSION_OID.basicConstraints, 'basic constraints'],
  [EXTENSION_OID.nameConstraints, 'name constraints'],
  [EXTENSION_OID.crlDistributionPoints, 'CRL distribution points'],
  [EXTENSION_OID.certificatePolicies, 'certificate policies'],
  [EXTENSION_OID.policyMappings, 'policy mappings'],
  [EXTENSION_OID.authorityKeyIdentifier, 'authority key identifier'],
  [EXTENSION_OID.policyConstraints, 'policy constraints'],
  [EXTENSION_OID.extendedKeyUsage, 'extended key usage'],
  [EXTENSION_OID.freshestCrl, 'freshest CRL'],
  [EXTENSION_OID.inhibitAnyPolicy, 'inhibit any-policy'],
  [EXTENSION_OID.subjectDirectoryAttributes, 'subject directory attributes'],
  [EXTENSION_OID.authorityInfoAccess, 'authority information access'],
  [EXTENSION_OID.subjectInfoAccess, 'subject information access'],
  [EXTENSION_OID.signedCertificateTimestamps, 'signed certificate timestamps'],
]);

/** Critical extensions whose meaning the verifier fully applies. */
const PROCESSED_WHEN_CRITICAL: ReadonlySet<string> = new Set([
  EXTENSION_OID.basicConstraints,
  EXTENSION_OID.keyUsage,
  EXTENSION_OID.extendedKeyUsage,
  EXTENSION_OID.subjectAltName,
  // No policy processing: the initial policy set is any-policy and no
  // explicit policy is required, so the contents restrict nothing here.
  EXTENSION_OID.certificatePolicies,
]);

/** Extensions RFC 5280 says conforming CAs MUST mark non-critical. */
const NEVER_CRITICAL: ReadonlySet<string> = new Set([
  EXTENSION_OID.authorityKeyIdentifier,
  EXTENSION_OID.subjectKeyIdentifier,
  EXTENSION_OID.authorityInfoAccess,
  EXTENSION_OID.subjectInfoAccess,
  EXTENSION_OID.freshestCrl,
  EXTENSION_OID.subjectDirectoryAttributes,
]);

/** The readable name of an extension OID, with the OID. */
export function extensionName(oid: string): string {
  const name = NAMES.get(oid);
  return name === undefined ? `extension ${oid}` : `${name} (${oid})`;
}

/** Decodes the extensions the verifier needs and notes what is wrong. */
export function decodeExtensions(
  extensions: readonly RawExtension[],
): DecodedExtensions {
  const problems: string[] = [];
  const unsupportedCritical: string[] = [];
  const broken = new Set<string>();
  const seen = new Set<string>();
  const first = new Map<string, RawExtension>();
  for (const extension of extensions) {
    if (seen.has(extension.oid)) {
      problems.push(
        `it contains the ${extensionName(extension.oid)} extension more than once (RFC 5280 4.2)`,
      );
      continue;
    }
    seen.add(extension.oid);
    first.set(extension.oid, extension);
    criticality(extension, problems, unsupportedCritical);
  }

  const decode = <T>(oid: string, read: (value: Buffer) => T, fallback: T) => {
    const extension = first.get(oid);
    if (extension === undefined) return null;
    try {
      return read(extension.value);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      broken.add(oid);
      problems.push(
        `its ${extensionName(oid)} extension cannot be decoded (${detail})`,
      );
      return fallback;
    }
  };

  const basicConstraints = decode(
    EXTENSION_OID.basicConstraints,
    (value) => ({
      ...readBasicConstraints(value),
      critical: first.get(EXTENSION_OID.basicConstraints)?.critical ?? false,
    }),
    null,
  );
  const keyUsage = decode(EXTENSION_OID.keyUsage, readKeyUsage, new Set());
  const subjectAltNames = decode(
    EXTENSION_OID.subjectAltName,
    readSubjectAltNames,
    [],
  );
  const decoded: DecodedExtensions = {
    basicConstraints,
    keyUsage,
    extendedKeyUsage: decode(
      EXTENSION_OID.extendedKeyUsage,
      readExtendedKeyUsage,
      [],
    ),
    subjectAltNames,
    subjectAltNameCritical:
      first.get(EXTENSION_OID.subjectAltName)?.critical ?? false,
    subjectKeyIdentifier: decode(
      EXTENSION_OID.subjectKeyIdentifier,
      readSubjectKeyIdentifier,
      null,
    ),
    authorityKeyIdentifier: decode(
      EXTENSION_OID.authorityKeyIdentifier,
      readAuthorityKeyIdentifier,
      null,
    ),
    problems,
    unsupportedCritical,
  };
  decode(EXTENSION_OID.authorityInfoAccess, readAuthorityInfoAccess, null);
  decode(EXTENSION_OID.subjectInfoAccess, readSubjectInfoAccess, null);
  decode(EXTENSION_OID.certificatePolicies, readPolicies, null);
  decode(EXTENSION_OID.crlDistributionPoints, readDistributionPoints, null);
  consistency(decoded, broken, problems);
  return decoded;
}

function criticality(
  extension: RawExtension,
  problems: string[],
  unsupportedCritical: string[],
): void {
  const name = extensionName(extension.oid);
  if (extension.oid === EXTENSION_OID.nameConstraints) {
    // Name constraints are not evaluated. A CA that carries them is
    // refused either way, so they can never be silently ignored.
    if (extension.critical) {
      unsupportedCritical.push(
        `${name}, which this verifier does not evaluate`,
      );
    } else {
      problems.push(
        `its ${name} extension is not critical (RFC 5280 4.2.1.10 requires it to be) and is not evaluated`,
      );
    }
    return;
  }
  if (!extension.critical || PROCESSED_WHEN_CRITICAL.has(extension.oid)) {
    return;
  }
  if (NEVER_CRITICAL.has(extension.oid)) {
    problems.push(
      `its ${name} extension is marked critical, which RFC 5280 forbids`,
    );
    return;
  }
  unsupportedCritical.push(name);
}

function consistency(
  decoded: DecodedExtensions,
  broken: ReadonlySet<string>,
  problems: string[],
): void {
  const { basicConstraints, keyUsage, authorityKeyIdentifier } = decoded;
  const intact = (oid: string) => !broken.has(oid);
  if (keyUsage?.size === 0 && intact(EXTENSION_OID.keyUsage)) {
    problems.push('its key usage extension has no bit set (RFC 5280 4.2.1.3)');
  }
  if (keyUsage?.has('keyCertSign') && basicConstraints?.ca !== true) {
    problems.push(
      'its key usage allows certificate signing but it is not a CA (RFC 5280 4.2.1.3 and 4.2.1.9)',
    );
  }
  if (basicConstraints?.pathLength != null && !basicConstraints.ca) {
    problems.push(
      'it has a path length constraint without being a CA (RFC 5280 4.2.1.9)',
    );
  }
  if (
    decoded.subjectAltNames?.length === 0 &&
    intact(EXTENSION_OID.subjectAltName)
  ) {
    problems.push(
      'its subject alternative name extension is empty (RFC 5280 4.2.1.6)',
    );
  }
  if (authorityKeyIdentifier !== null) {
    // Issuer and serial number without keyIdentifier is how OpenSSL
    // writes it under a CA that has no subject key identifier: allowed.
    if (
      authorityKeyIdentifier.keyIdentifier === null &&
      authorityKeyIdentifier.issuer === null &&
      !authorityKeyIdentifier.hasSerialNumber
    ) {
      problems.push(
        'its authority key identifier is empty (RFC 5280 4.2.1.1 wants a keyIdentifier)',
      );
    }
    if (
      (authorityKeyIdentifier.issuer === null) ===
      authorityKeyIdentifier.hasSerialNumber
    ) {
      problems.push(
        'its authority key identifier has an issuer without a serial number or the reverse (RFC 5280 4.2.1.1)',
      );
    }
  }
}
