import { isoSeconds } from '../report.js';
import type { Reason, ReasonLevel, Thresholds } from '../types.js';
import type { CandidatePath, PathSearch } from './build-paths.js';
import { caExpiredReason } from './check-path.js';
import { formatDuration } from './format-duration.js';
import type { ParsedCertificate } from './parse-certificate.js';
import { pathWarnings, weakKeyReason } from './path-warnings.js';
import { daysToExpiry, validityAt } from './validity.js';

/** What the non-failure reasons of a chain depend on. */
export interface ChainReasonInput {
  readonly presented: readonly Uint8Array[] | null;
  readonly host: string | null;
  readonly now: Date;
  readonly thresholds: Thresholds;
  readonly signing: ParsedCertificate | null;
  /** The verified path, or the best candidate; `null` without one. */
  readonly path: CandidatePath | null;
  readonly leaf: ParsedCertificate | null;
}

/**
 * The reasons beside the path failures, in a fixed order: the signing
 * CA's expiry (`CA_EXPIRED`, `CA_EXPIRES_SOON`), the serving
 * certificate's (`EXPIRES_SOON`, not once expired), weak keys and
 * signatures on the path (the signing CA's key always counts), then the
 * info reasons `CA_MISSING_KEY_IDENTIFIERS` (signing CA) and
 * `HOST_NOT_CHECKED`.
 */
export function chainReasons(input: ChainReasonInput): Reason[] {
  const { now, thresholds, signing, path, leaf } = input;
  const reasons: Reason[] = [];
  if (signing !== null) {
    const state = validityAt(signing, now);
    const days = daysToExpiry(signing.notAfter, now);
    const level = soonLevel(
      days,
      thresholds.caWarningDays,
      thresholds.caCriticalDays,
    );
    if (state === 'expired') reasons.push(caExpiredReason(signing, now));
    else if (level !== null) {
      reasons.push({
        code: 'CA_EXPIRES_SOON',
        level,
        message: `The signing CA ${signing.subject.display} expires at ${isoSeconds(signing.notAfter)}, in ${formatDuration(days)} (${level} under ${level === 'critical' ? thresholds.caCriticalDays : thresholds.caWarningDays} days); clients that trust only this CA break then.`,
        certificate: signing.subject.text,
      });
    }
  }
  if (leaf !== null && validityAt(leaf, now) === 'valid') {
    const days = daysToExpiry(leaf.notAfter, now);
    const level = soonLevel(
      days,
      thresholds.serverCertWarningDays,
      thresholds.serverCertCriticalDays,
    );
    if (level !== null) {
      reasons.push({
        code: 'EXPIRES_SOON',
        level,
        message: `The serving certificate ${leaf.subject.display} expires at ${isoSeconds(leaf.notAfter)}, in ${formatDuration(days)} (${level} under ${level === 'critical' ? thresholds.serverCertCriticalDays : thresholds.serverCertWarningDays} days).`,
        certificate: leaf.subject.text,
      });
    }
  }
  const onPath = path?.certificates ?? (leaf === null ? [] : [leaf]);
  reasons.push(...pathWarnings(onPath, path?.anchor ?? null));
  if (signing !== null && !onPath.includes(signing)) {
    const weak = weakKeyReason(signing);
    if (weak !== null) reasons.push(weak);
  }
  if (signing !== null && signing.subjectKeyIdentifier === null) {
    reasons.push({
      code: 'CA_MISSING_KEY_IDENTIFIERS',
      level: 'info',
      message: `The signing CA ${signing.subject.display} has no subject key identifier. Go clients such as kubectl accept it; strict verifiers (Python 3.13's default context, OpenSSL's X509_STRICT) reject it.`,
      certificate: signing.subject.text,
    });
  }
  if (input.presented !== null && input.host === null) {
    reasons.push({
      code: 'HOST_NOT_CHECKED',
      level: 'info',
      message:
        'No expected host name was given, so the serving certificate was not checked against one.',
      certificate: null,
    });
  }
  return reasons;
}

/**
 * Why no complete path exists: `PATH_BUILDING_LIMIT` when the budget ran
 * out or the intermediates form a cycle, `BAD_SIGNATURE` when names link
 * but a signature does not verify, else `UNKNOWN_ISSUER`.
 */
export function noPathReason(
  search: PathSearch,
  leaf: ParsedCertificate,
  anchors: readonly ParsedCertificate[],
  unreadable: number,
): Reason {
  const bundle =
    anchors.length === 0
      ? 'the CA bundle is empty'
      : `the CA bundle holds ${anchors.map((ca) => ca.subject.display).join(', ')}`;
  if (search.limit !== null) {
    const spent = {
      signatures: `${search.signatureChecks} signature checks`,
      steps: 'the step budget',
      depth: 'the longest allowed path',
    }[search.limit];
    return limitReason(
      `Path building stopped at ${spent} without reaching a CA of the bundle; the server's chain is too long or too tangled to verify (${bundle}).`,
      leaf,
    );
  }
  if (search.cycle !== null) {
    const names = search.cycle.map((cert) => cert.subject.display).join(' -> ');
    return limitReason(
      `The presented intermediates issue each other in a cycle (${names}) and no path reaches a CA of the bundle (${bundle}).`,
      leaf,
    );
  }
  const broken =
    search.brokenLinks.find((link) => anchors.includes(link.issuer)) ??
    search.brokenLinks[0];
  if (broken !== undefined) {
    const hint =
      broken.check.status === 'invalid' &&
      broken.check.detail === 'the signature does not verify'
        ? `, so it was signed by another key (for example another CA with the same name)`
        : '';
    return {
      code: 'BAD_SIGNATURE',
      level: 'critical',
      message:
        broken.check.status === 'unsupported'
          ? `${broken.child.subject.display} names ${broken.issuer.subject.display} (SHA-256 ${broken.issuer.fingerprintSha256}) as its issuer, but the signature cannot be checked: ${broken.check.detail}. Such a chain is not trusted.`
          : `${broken.child.subject.display} names ${broken.issuer.subject.display} (SHA-256 ${broken.issuer.fingerprintSha256}) as its issuer, but ${broken.check.detail}${hint}.`,
      certificate: broken.child.subject.text,
    };
  }
  const top = search.longest[search.longest.length - 1] as ParsedCertificate;
  const skipped =
    unreadable > 0
      ? ` ${unreadable} presented certificate(s) could not be decoded.`
      : '';
  const message = top.selfIssued
    ? `The chain ends at the self-signed ${top.subject.display}, which is not a CA of the cluster (${bundle}).${skipped}`
    : `${top.subject.display} was issued by ${top.issuer.display}, which is neither a CA of the cluster (${bundle}) nor among the certificates the server presented (a live probe sees only those the TLS library could link into a chain).${skipped}`;
  return {
    code: 'UNKNOWN_ISSUER',
    level: 'critical',
    message,
    certificate: top.subject.text,
  };
}

function limitReason(message: string, leaf: ParsedCertificate): Reason {
  return {
    code: 'PATH_BUILDING_LIMIT',
    level: 'critical',
    message,
    certificate: leaf.subject.text,
  };
}

function soonLevel(
  days: number,
  warningDays: number,
  criticalDays: number,
): Extract<ReasonLevel, 'warning' | 'critical'> | null {
  if (days < criticalDays) return 'critical';
  return days < warningDays ? 'warning' : null;
}
