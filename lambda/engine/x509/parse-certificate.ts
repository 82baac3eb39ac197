import {
  type AlgorithmIdentifier,
  Certificate,
  type Time,
} from '@peculiar/asn1-x509';
import { type DistinguishedName, describeName } from './distinguished-name.js';
import {
  type DecodedExtensions,
  decodeExtensions,
  type RawExtension,
} from './extensions.js';
import { fingerprintSha256 } from './fingerprint.js';
import { DerError, parseDer } from './parse-der.js';
import { type PublicKeyInfo, readPublicKey } from './public-key.js';

export type { AlgorithmIdentifier } from '@peculiar/asn1-x509';

/**
 * One certificate, decoded from its DER, which it keeps. Whatever breaks
 * the X.509 profile without breaking the structure is listed in
 * `problems` (a finding for the path rules), never thrown.
 */
export interface ParsedCertificate extends DecodedExtensions {
  readonly der: Buffer;
  /** The signed part, for signature checks. */
  readonly tbs: Buffer;
  /** 1, 2 or 3. */
  readonly version: number;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: PublicKeyInfo;
  /**
   * The outer signatureAlgorithm (RFC 5280 4.1.1.2), as
   * @peculiar/asn1-x509 decodes it: `parameters` is `undefined` when
   * absent, `null` for an ASN.1 NULL, else their DER.
   */
  readonly signatureAlgorithm: AlgorithmIdentifier;
  /** The signature field inside the signed part (RFC 5280 4.1.2.3). */
  readonly tbsSignatureAlgorithm: AlgorithmIdentifier;
  readonly signatureValue: Buffer;
  readonly extensions: readonly RawExtension[];
  /** Upper-case colon-separated SHA-256 of the DER. */
  readonly fingerprintSha256: string;
  /** Issuer and subject are the same name (RFC 5280 6.1). */
  readonly selfIssued: boolean;
}

/** A certificate, or why its DER is not one. */
export type CertificateParseResult =
  | { readonly ok: true; readonly certificate: ParsedCertificate }
  | { readonly ok: false; readonly error: string };

/**
 * Decodes one DER certificate (RFC 5280 4.1) with @peculiar/asn1-x509,
 * which must be its exact DER (see `parseDer`). Never throws: anything
 * the library or the checks here refuse comes back as `ok: false`.
 */
export function parseCertificate(der: Uint8Array): CertificateParseResult {
  try {
    return { ok: true, certificate: decode(Buffer.from(der)) };
  } catch (error) {
    return {
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

function decode(der: Buffer): ParsedCertificate {
  const certificate = parseDer(der, Certificate);
  const fields = certificate.tbsCertificate;
  const version = fields.version;
  if (version !== 0 && version !== 1 && version !== 2) {
    throw new DerError(`unknown version ${Number(version) + 1}`);
  }
  if (certificate.tbsCertificateRaw === undefined) {
    throw new DerError('its signed part cannot be located');
  }
  const issuer = describeName(fields.issuer);
  const subject = describeName(fields.subject);
  const notBefore = wholeSeconds(fields.validity.notBefore);
  const notAfter = wholeSeconds(fields.validity.notAfter);
  const publicKey = readPublicKey(fields.subjectPublicKeyInfo);

  const problems: string[] = [...publicKey.problems];
  const extensions: RawExtension[] = (fields.extensions ?? []).map(
    (extension) => ({
      oid: extension.extnID,
      critical: extension.critical,
      value: Buffer.from(extension.extnValue.buffer),
    }),
  );
  if (fields.extensions?.length === 0) {
    problems.push('its extensions field is empty');
  }
  if (
    version === 0 &&
    (fields.issuerUniqueID !== undefined ||
      fields.subjectUniqueID !== undefined)
  ) {
    problems.push('it has unique identifiers but is version 1');
  }
  if (extensions.length > 0 && version !== 2) {
    problems.push(`it has extensions but is version ${version + 1}, not 3`);
  }
  if (!certificate.signatureAlgorithm.isEqual(fields.signature)) {
    problems.push(
      'its two signature algorithm fields differ (RFC 5280 4.1.1.2)',
    );
  }

  const decoded = decodeExtensions(extensions);
  problems.push(...decoded.problems, ...nameProblems(issuer, subject, decoded));
  return {
    ...decoded,
    problems,
    der,
    tbs: Buffer.from(certificate.tbsCertificateRaw),
    version: version + 1,
    issuer,
    subject,
    notBefore,
    notAfter,
    publicKey,
    signatureAlgorithm: certificate.signatureAlgorithm,
    tbsSignatureAlgorithm: fields.signature,
    signatureValue: Buffer.from(certificate.signatureValue),
    extensions,
    fingerprintSha256: fingerprintSha256(der),
    selfIssued: !subject.isEmpty && subject.matchKey === issuer.matchKey,
  };
}

/**
 * The instant of a validity time. DER already fixes the forms of RFC 5280
 * 4.1.2.5 (`YYMMDDHHMMSSZ`, `YYYYMMDDHHMMSSZ`) except that GeneralizedTime
 * may carry fractions of a second, which RFC 5280 forbids.
 */
function wholeSeconds(time: Time): Date {
  const date = time.getTime();
  if (date.getUTCMilliseconds() !== 0) {
    throw new DerError(
      `its validity time ${date.toISOString()} has fractions of a second (RFC 5280 4.1.2.5.2)`,
    );
  }
  return date;
}

function nameProblems(
  issuer: DistinguishedName,
  subject: DistinguishedName,
  decoded: DecodedExtensions,
): string[] {
  const problems: string[] = [];
  if (issuer.isEmpty) {
    problems.push('its issuer name is empty (RFC 5280 4.1.2.4)');
  }
  if (subject.isEmpty && decoded.subjectAltNames === null) {
    problems.push(
      'its subject is empty and it has no subject alternative names (RFC 5280 4.1.2.6)',
    );
  } else if (subject.isEmpty && !decoded.subjectAltNameCritical) {
    problems.push(
      'its subject is empty but its subject alternative name extension is not critical (RFC 5280 4.2.1.6)',
    );
  }
  return problems;
}
