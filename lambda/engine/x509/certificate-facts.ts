import { isoSeconds } from '../report.js';
import type { CertificateFacts } from '../types.js';
import { formatGeneralName } from './general-names.js';
import type { ParsedCertificate } from './parse-certificate.js';
import { daysToExpiry } from './validity.js';
import { describeSignature } from './verify-signature.js';

/**
 * The report facts of one certificate at `now`: names in RFC 4514 form,
 * ISO-8601 times, unrounded days to expiry, the SHA-256 fingerprint, SANs
 * in certificate order, key type and size, and OpenSSL's name of the
 * signature algorithm.
 */
export function certificateFacts(
  certificate: ParsedCertificate,
  now: Date,
): CertificateFacts {
  return {
    subject: certificate.subject.text,
    issuer: certificate.issuer.text,
    notBefore: isoSeconds(certificate.notBefore),
    notAfter: isoSeconds(certificate.notAfter),
    daysToExpiry: daysToExpiry(certificate.notAfter, now),
    fingerprintSha256: certificate.fingerprintSha256,
    subjectAltNames: (certificate.subjectAltNames ?? [])
      .map(formatGeneralName)
      .filter((entry): entry is string => entry !== null),
    keyType: certificate.publicKey.keyType,
    keyBits: certificate.publicKey.keyBits,
    signatureAlgorithm: describeSignature(certificate).name,
  };
}
