import { isoSeconds } from '../report.js';
import type { Reason } from '../types.js';
import type { CandidatePath } from './build-paths.js';
import { sameName } from './distinguished-name.js';
import { formatDuration } from './format-duration.js';
import { matchHost } from './host-name.js';
import { EKU_OID } from './object-identifiers.js';
import type { ParsedCertificate } from './parse-certificate.js';
import { daysToExpiry, validityAt } from './validity.js';
import { describeSignature, verifySignature } from './verify-signature.js';

/** What the path rules need besides the path. */
export interface PathRulesContext {
  /** Expected host name or IP; `null` skips the host check. */
  readonly host: string | null;
  readonly now: Date;
  /**
   * Fingerprint of the signing CA; `null` when the anchor of the chosen
   * path becomes the signing CA. Decides whether an expired anchor is
   * `CA_EXPIRED` (the signing CA) or `CERT_EXPIRED` (any other CA).
   */
  readonly signingCaFingerprint: string | null;
}

const EKU_NAMES: ReadonlyMap<string, string> = new Map([
  ['1.3.6.1.5.5.7.3.1', 'serverAuth'],
  ['1.3.6.1.5.5.7.3.2', 'clientAuth'],
  ['1.3.6.1.5.5.7.3.3', 'codeSigning'],
  ['1.3.6.1.5.5.7.3.4', 'emailProtection'],
  ['1.3.6.1.5.5.7.3.8', 'timeStamping'],
  ['1.3.6.1.5.5.7.3.9', 'OCSPSigning'],
]);

/**
 * The reasons a complete, correctly signed path is not acceptable, all
 * critical; empty when every rule of design section 3 holds: validity at
 * `now` for every certificate (the anchor included), issuers that are
 * CAs allowed to sign certificates, path lengths, no unknown critical
 * extension, a well-formed certificate, the leaf's extended key usage
 * (serverAuth or anyExtendedKeyUsage), and the host.
 */
export function pathFailures(
  path: CandidatePath,
  context: PathRulesContext,
): Reason[] {
  const { certificates, anchor } = path;
  const reasons = leafFailures(certificates[0] as ParsedCertificate, context);
  certificates.forEach((cert, index) => {
    if (index === 0) return;
    const role =
      index === certificates.length - 1 ? 'The CA' : 'The intermediate';
    reasons.push(
      ...certificateFailures(cert, role, index, cert === anchor, context),
    );
    reasons.push(
      ...issuerReasons(cert, certificates[index - 1] as ParsedCertificate),
    );
  });
  const pathLength = pathLengthReason(certificates);
  if (pathLength !== null) reasons.push(pathLength);
  return reasons;
}

/**
 * The failures that concern the serving certificate alone, whatever path
 * it is on: its form, critical extensions, validity, extended key usage
 * and host names. Reported even when it chains to no CA.
 */
export function leafFailures(
  leaf: ParsedCertificate,
  context: PathRulesContext,
): Reason[] {
  const reasons = certificateFailures(
    leaf,
    'The serving certificate',
    0,
    false,
    context,
  );
  const eku = leaf.extendedKeyUsage;
  if (
    eku !== null &&
    !eku.includes(EKU_OID.serverAuth) &&
    !eku.includes(EKU_OID.anyExtendedKeyUsage)
  ) {
    const named = eku.map((oid) => EKU_NAMES.get(oid) ?? oid);
    reasons.push(
      critical(
        'EKU_NOT_SERVER_AUTH',
        named.length === 0
          ? `The serving certificate ${leaf.subject.display} has an empty extended key usage, so it may not authenticate a TLS server.`
          : `The serving certificate ${leaf.subject.display} may only be used for ${named.join(', ')} (extended key usage), not TLS server authentication.`,
        leaf,
      ),
    );
  }
  if (context.host !== null) {
    const match = matchHost(leaf.subjectAltNames, context.host);
    if (!match.matched) {
      reasons.push(
        critical(
          'HOSTNAME_MISMATCH',
          `The serving certificate ${leaf.subject.display} is not valid for ${context.host}: ${match.why}.`,
          leaf,
        ),
      );
    }
  }
  return reasons;
}

function certificateFailures(
  cert: ParsedCertificate,
  role: string,
  index: number,
  isAnchor: boolean,
  context: PathRulesContext,
): Reason[] {
  const reasons: Reason[] = [];
  const problems = [...cert.problems, ...positionProblems(cert, index)];
  if (problems.length > 0) {
    reasons.push(
      critical(
        'CERT_MALFORMED',
        `${role} ${cert.subject.display} breaks the X.509 rules: ${problems.join('; ')}.`,
        cert,
      ),
    );
  }
  if (cert.unsupportedCritical.length > 0) {
    reasons.push(
      critical(
        'UNSUPPORTED_CRITICAL_EXTENSION',
        `${role} ${cert.subject.display} has critical extensions this verifier does not process: ${cert.unsupportedCritical.join(', ')}.`,
        cert,
      ),
    );
  }
  const validity = validityReason(cert, role, isAnchor, context);
  if (validity !== null) reasons.push(validity);
  return reasons;
}

/** Weak keys on the path (anchor included) and weak signatures on it
 * (the anchor's own signature excluded): warnings, never failures. */
export function pathWarnings(
  certificates: readonly ParsedCertificate[],
  anchor: ParsedCertificate | null,
): Reason[] {
  const reasons: Reason[] = [];
  for (const cert of certificates) {
    const weakKey = weakKeyReason(cert);
    if (weakKey !== null) reasons.push(weakKey);
  }
  for (const cert of certificates) {
    if (cert === anchor) continue;
    const signature = describeSignature(cert);
    if (signature.hash === 'md5' || signature.hash === 'sha1') {
      reasons.push({
        code: 'WEAK_SIGNATURE',
        level: 'warning',
        message: `${cert.subject.display} is signed with ${signature.name}; ${signature.hash.toUpperCase()} is broken for signatures, SHA-256 or better is expected.`,
        certificate: cert.subject.text,
      });
    }
  }
  return reasons;
}

/** `WEAK_KEY` for RSA under 2048 bits or EC under 256, else `null`. */
export function weakKeyReason(cert: ParsedCertificate): Reason | null {
  const { keyType, keyBits } = cert.publicKey;
  const minimum = keyType === 'RSA' ? 2048 : keyType === 'EC' ? 256 : null;
  if (minimum === null || keyBits === null || keyBits >= minimum) return null;
  return {
    code: 'WEAK_KEY',
    level: 'warning',
    message: `${cert.subject.display} has a ${keyBits}-bit ${keyType} key; at least ${minimum} bits are expected.`,
    certificate: cert.subject.text,
  };
}

function positionProblems(cert: ParsedCertificate, index: number): string[] {
  const problems: string[] = [];
  const isIssuer = index > 0;
  if (index === 0) {
    if (
      cert.basicConstraints?.ca === true &&
      cert.keyUsage !== null &&
      !cert.keyUsage.has('keyCertSign')
    ) {
      problems.push(
        'it claims to be a CA (CA:TRUE) but its key usage does not allow certificate signing',
      );
    }
    if (cert.subjectAltNameCritical && !cert.subject.isEmpty) {
      problems.push(
        'its subject alternative name extension is critical although its subject is not empty (RFC 5280 4.2.1.6 advises against it, the CA/Browser Forum forbids it)',
      );
    }
  }
  if (
    isIssuer &&
    cert.basicConstraints?.ca &&
    !cert.basicConstraints.critical
  ) {
    problems.push(
      'its basic constraints extension is not critical, which RFC 5280 4.2.1.9 requires of a CA',
    );
  }
  problems.push(...selfSignedProblems(cert));
  return problems;
}

/** A self-signed certificate's authority key identifier must name itself. */
function selfSignedProblems(cert: ParsedCertificate): string[] {
  const aki = cert.authorityKeyIdentifier;
  if (!cert.selfIssued || aki === null) return [];
  const problems: string[] = [];
  const ski = cert.subjectKeyIdentifier;
  if (aki.keyIdentifier && ski && !aki.keyIdentifier.equals(ski)) {
    problems.push(
      'it is self-signed but its authority key identifier differs from its subject key identifier',
    );
  }
  const names = (aki.issuer ?? []).filter((name) => name.type === 'DirName');
  if (
    names.length > 0 &&
    !names.some((name) => sameName(name.name, cert.issuer))
  ) {
    problems.push(
      `it is self-signed but its authority key identifier names another issuer (${names.map((n) => n.text).join(', ')})`,
    );
  }
  if (problems.length === 0) return [];
  return verifySignature(cert, cert).status === 'valid' ? problems : [];
}

function validityReason(
  cert: ParsedCertificate,
  role: string,
  isAnchor: boolean,
  context: PathRulesContext,
): Reason | null {
  const state = validityAt(cert, context.now);
  if (state === 'valid') return null;
  const days = daysToExpiry(cert.notAfter, context.now);
  if (state === 'not-yet-valid') {
    const wait =
      (cert.notBefore.getTime() - context.now.getTime()) / 86_400_000;
    return critical(
      'CERT_NOT_YET_VALID',
      `${role} ${cert.subject.display} is not valid before ${isoSeconds(cert.notBefore)} (${formatDuration(wait)} from now).`,
      cert,
    );
  }
  const signing =
    isAnchor &&
    (context.signingCaFingerprint === null ||
      context.signingCaFingerprint === cert.fingerprintSha256);
  return signing
    ? caExpiredReason(cert, context.now)
    : critical(
        'CERT_EXPIRED',
        `${role} ${cert.subject.display} expired at ${isoSeconds(cert.notAfter)}, ${formatDuration(-days)} ago.`,
        cert,
      );
}

/** `CA_EXPIRED` for the signing CA. */
export function caExpiredReason(cert: ParsedCertificate, now: Date): Reason {
  const days = daysToExpiry(cert.notAfter, now);
  return critical(
    'CA_EXPIRED',
    `The signing CA ${cert.subject.display} expired at ${isoSeconds(cert.notAfter)}, ${formatDuration(-days)} ago; no chain it anchors verifies.`,
    cert,
  );
}

function issuerReasons(
  issuer: ParsedCertificate,
  child: ParsedCertificate,
): Reason[] {
  const constraints = issuer.basicConstraints;
  if (constraints === null || !constraints.ca) {
    const seen =
      constraints === null
        ? 'basic constraints missing'
        : 'basic constraints say CA:FALSE';
    return [
      critical(
        'ISSUER_NOT_CA',
        `${issuer.subject.display} signed ${child.subject.display} but is not a CA: ${seen}.`,
        issuer,
      ),
    ];
  }
  if (issuer.keyUsage !== null && !issuer.keyUsage.has('keyCertSign')) {
    const usages = [...issuer.keyUsage].join(', ') || 'none';
    return [
      critical(
        'ISSUER_CANNOT_SIGN',
        `${issuer.subject.display} signed ${child.subject.display} but its key usage (${usages}) does not include keyCertSign.`,
        issuer,
      ),
    ];
  }
  return [];
}

/**
 * RFC 5280 6.1.4 (l) and (m), with the anchor's own constraint applied:
 * each CA bounds the non-self-issued intermediates below it; the leaf is
 * never counted.
 */
function pathLengthReason(
  certificates: readonly ParsedCertificate[],
): Reason | null {
  let remaining = Number.POSITIVE_INFINITY;
  let setBy: ParsedCertificate | null = null;
  for (let index = certificates.length - 1; index >= 1; index -= 1) {
    const cert = certificates[index] as ParsedCertificate;
    const isAnchor = index === certificates.length - 1;
    if (!isAnchor && !cert.selfIssued) {
      if (remaining <= 0 && setBy !== null) {
        return critical(
          'PATH_LENGTH_EXCEEDED',
          `${setBy.subject.display} allows ${setBy.basicConstraints?.pathLength} intermediate CA certificates below it, but ${cert.subject.display} is one more.`,
          setBy,
        );
      }
      remaining -= 1;
    }
    const limit = cert.basicConstraints?.pathLength;
    if (limit != null && limit < remaining) {
      remaining = limit;
      setBy = cert;
    }
  }
  return null;
}

function critical(
  code: Reason['code'],
  message: string,
  cert: ParsedCertificate,
): Reason {
  return { code, level: 'critical', message, certificate: cert.subject.text };
}
