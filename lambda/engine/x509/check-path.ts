import { isoSeconds } from '../report.js';
import type { Reason } from '../types.js';
import type { CandidatePath } from './build-paths.js';
import { critical } from './critical-reason.js';
import { formatDuration } from './format-duration.js';
import { matchHost } from './host-name.js';
import { EKU_OID } from './object-identifiers.js';
import type { ParsedCertificate } from './parse-certificate.js';
import { pathLengthReason } from './path-length.js';
import { positionProblems } from './position-problems.js';
import { daysToExpiry, validityAt } from './validity.js';

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
  const { certificates } = path;
  const reasons = leafFailures(
    certificates[0] as ParsedCertificate,
    context,
    certificates.length,
  );
  certificates.forEach((cert, index) => {
    if (index === 0) return;
    const role =
      index === certificates.length - 1 ? 'The CA' : 'The intermediate';
    reasons.push(
      ...certificateFailures(cert, role, index, certificates.length, context),
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
 * and host names. Reported even when it chains to no CA (`pathLength`
 * 0); a path of length 1 means the leaf is itself a CA of the bundle.
 */
export function leafFailures(
  leaf: ParsedCertificate,
  context: PathRulesContext,
  pathLength = 0,
): Reason[] {
  const reasons = certificateFailures(
    leaf,
    'The serving certificate',
    0,
    pathLength,
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
  pathLength: number,
  context: PathRulesContext,
): Reason[] {
  const reasons: Reason[] = [];
  const isAnchor = index > 0 && index === pathLength - 1;
  const problems = [
    ...cert.problems,
    ...positionProblems(cert, index, pathLength),
  ];
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
