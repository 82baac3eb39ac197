import { isoSeconds } from '../engine/report.js';
import {
  type ClusterAlertState,
  expiresAtFrom,
  type StoredReason,
  signingCaFingerprint,
  storedReasons,
} from './alert-state.js';
import type { ClusterAssessment } from './assess-changes.js';

/** How this run's digest went for one cluster. */
export interface DigestDelivery {
  /** A digest naming this cluster was published. */
  readonly notified: boolean;
  /**
   * The cluster's changes reached people, or there was nobody to tell (no
   * topic configured). `false` keeps the old baseline so that the next run
   * finds the same changes and tries again.
   */
  readonly delivered: boolean;
}

/**
 * The record to save for one assessed cluster after the run.
 *
 * The baseline (severity, reasons, signing CA, `changedAt`) moves to this
 * run's findings only when the cluster counts for alerting and its
 * changes, if any, were delivered. Otherwise it stays as it was, and only
 * the unreachable streak, the observed fingerprints and the TTL move on:
 * an unreachable cluster below the streak, or a digest that failed, thus
 * leaves the comparison of the next run intact.
 */
export function nextAlertState(
  assessment: ClusterAssessment,
  delivery: DigestDelivery,
  now: Date,
): ClusterAlertState {
  const { cluster, previous } = assessment;
  const at = isoSeconds(now);
  const keepBaseline =
    !assessment.counts ||
    (assessment.triggers.length > 0 && !delivery.delivered);
  const observed = {
    clusterKey: assessment.key,
    serverCertificateFingerprint:
      cluster.serverCertificate?.fingerprintSha256 ??
      previous?.serverCertificateFingerprint ??
      null,
    caFingerprints:
      cluster.certificateAuthorities.length > 0
        ? cluster.certificateAuthorities.map((ca) => ca.fingerprintSha256)
        : (previous?.caFingerprints ?? []),
    consecutiveUnreachableRuns: assessment.consecutiveUnreachableRuns,
    expiresAt: expiresAtFrom(now),
  };
  if (keepBaseline) {
    return {
      ...observed,
      severity: previous?.severity ?? 'ok',
      verdict: previous?.verdict ?? cluster.verdict,
      reasons: previous?.reasons ?? [],
      signingCaFingerprint: previous?.signingCaFingerprint ?? null,
      changedAt: previous?.changedAt ?? at,
      notifiedAt: previous?.notifiedAt ?? null,
    };
  }
  const reasons = storedReasons(cluster);
  const same =
    previous !== null &&
    previous.severity === cluster.severity &&
    sameReasons(previous.reasons, reasons);
  return {
    ...observed,
    severity: cluster.severity,
    verdict: cluster.verdict,
    reasons,
    signingCaFingerprint:
      signingCaFingerprint(cluster) ?? previous?.signingCaFingerprint ?? null,
    changedAt: same ? previous.changedAt : at,
    notifiedAt: delivery.notified ? at : (previous?.notifiedAt ?? null),
  };
}

function sameReasons(
  a: readonly StoredReason[],
  b: readonly StoredReason[],
): boolean {
  const ids = (list: readonly StoredReason[]): string =>
    list
      .map((reason) => `${reason.code}:${reason.level}`)
      .sort()
      .join(',');
  return ids(a) === ids(b);
}
