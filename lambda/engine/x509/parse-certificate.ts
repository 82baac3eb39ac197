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
  readTime,
  TAG,
} from './der-reader.js';
import {
  type DistinguishedName,
  parseDistinguishedName,
} from './distinguished-name.js';
import {
  type DecodedExtensions,
  decodeExtensions,
  type RawExtension,
} from './extensions.js';
import { fingerprintSha256 } from './fingerprint.js';
import { type PublicKeyInfo, readPublicKey } from './public-key.js';

/** An AlgorithmIdentifier: its OID, parameters and encoding. */
export interface AlgorithmIdentifier {
  readonly oid: string;
  readonly parameters: DerElement | undefined;
  readonly der: Buffer;
}

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
  /** The outer signatureAlgorithm (RFC 5280 4.1.1.2). */
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

/** Decodes one DER certificate (RFC 5280 4.1). */
export function parseCertificate(der: Uint8Array): CertificateParseResult {
  const bytes = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  try {
    return { ok: true, certificate: decode(Buffer.from(bytes)) };
  } catch (error) {
    if (error instanceof DerError) return { ok: false, error: error.message };
    throw error;
  }
}

function decode(der: Buffer): ParsedCertificate {
  const [tbsElement, outerAlgorithm, signature, ...extra] = readChildren(
    readOnly(der, TAG.sequence),
  );
  if (!tbsElement || !outerAlgorithm || !signature || extra.length > 0) {
    throw new DerError('a certificate has exactly three parts');
  }
  const fields = readChildren(expectTag(tbsElement, TAG.sequence));
  let index = 0;
  let version = 1;
  if (fields[0]?.tag === 0xa0) {
    version = readSmallInteger(readOnly(fields[0].content)) + 1;
    if (version > 3) throw new DerError(`unknown version ${version}`);
    index += 1;
  }
  const next = (what: string): DerElement => {
    const field = fields[index];
    if (field === undefined) throw new DerError(`missing ${what}`);
    index += 1;
    return field;
  };
  expectTag(next('serial number'), TAG.integer);
  const innerAlgorithm = readAlgorithm(next('signature algorithm'));
  const issuer = parseDistinguishedName(next('issuer'));
  const validity = readChildren(expectTag(next('validity'), TAG.sequence));
  if (validity.length !== 2) throw new DerError('validity needs two times');
  const notBefore = readTime(validity[0] as DerElement);
  const notAfter = readTime(validity[1] as DerElement);
  const subject = parseDistinguishedName(next('subject'));
  const publicKey = readPublicKey(next('subject public key info'));

  const problems: string[] = [...publicKey.problems];
  const optional = fields.slice(index);
  let extensions: RawExtension[] = [];
  let previous = 0;
  for (const field of optional) {
    const order = [0x81, 0x82, 0xa3].indexOf(field.tag) + 1;
    if (order <= previous) throw new DerError('unexpected field in tbs');
    previous = order;
    if (order === 3) extensions = readExtensions(field, problems);
    else if (version === 1) {
      problems.push('it has unique identifiers but is version 1');
    }
  }
  if (extensions.length > 0 && version !== 3) {
    problems.push(`it has extensions but is version ${version}, not 3`);
  }
  const outer = readAlgorithm(outerAlgorithm);
  if (!outer.der.equals(innerAlgorithm.der)) {
    problems.push(
      'its two signature algorithm fields differ (RFC 5280 4.1.1.2)',
    );
  }
  const signatureBits = readBitString(signature);
  if (signatureBits.unusedBits !== 0) {
    problems.push('its signature is not a whole number of octets');
  }

  const decoded = decodeExtensions(extensions);
  problems.push(...decoded.problems, ...nameProblems(issuer, subject, decoded));
  return {
    ...decoded,
    problems,
    der,
    tbs: tbsElement.bytes,
    version,
    issuer,
    subject,
    notBefore,
    notAfter,
    publicKey,
    signatureAlgorithm: outer,
    tbsSignatureAlgorithm: innerAlgorithm,
    signatureValue: signatureBits.bytes,
    extensions,
    fingerprintSha256: fingerprintSha256(der),
    selfIssued: !subject.isEmpty && subject.matchKey === issuer.matchKey,
  };
}

function readAlgorithm(element: DerElement): AlgorithmIdentifier {
  const [oid, parameters, ...rest] = readChildren(
    expectTag(element, TAG.sequence),
  );
  if (oid === undefined || rest.length > 0) {
    throw new DerError('malformed algorithm identifier');
  }
  return { oid: readOid(oid), parameters, der: element.bytes };
}

function readExtensions(field: DerElement, problems: string[]): RawExtension[] {
  const list = readChildren(readOnly(field.content, TAG.sequence));
  if (list.length === 0) problems.push('its extensions field is empty');
  return list.map((element) => {
    const parts = readChildren(expectTag(element, TAG.sequence));
    const [oid, second, third, ...rest] = parts;
    if (oid === undefined || second === undefined || rest.length > 0) {
      throw new DerError('malformed extension');
    }
    const critical = third === undefined ? false : readBoolean(second);
    const value = expectTag(third ?? second, TAG.octetString).content;
    return { oid: readOid(oid), critical, value };
  });
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
