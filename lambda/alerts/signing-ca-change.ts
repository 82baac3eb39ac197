import { buildReport } from '../engine/report.js';
import { severityOf } from '../engine/severity.js';
import type { AuditReport, ClusterReport, Reason } from '../engine/types.js';
import {
  clusterKey,
  type StateSnapshot,
  signingCaFingerprint,
} from './alert-state.js';

/**
 * Adds `SIGNING_CA_CHANGED` (warning) to every cluster whose signing CA
 * fingerprint differs from the one the alert state remembers, recomputes
 * that cluster's severity and the report's summary, and returns the new
 * report. Returns `report` itself when nothing changed.
 *
 * A cluster without a remembered fingerprint (first run, unreadable
 * state) or without a signing CA in this run gets no finding: the change
 * cannot be told.
 */
export function applySigningCaChanges(
  report: AuditReport,
  accountId: string | null,
  snapshot: StateSnapshot,
): AuditReport {
  let changed = false;
  const clusters = report.clusters.map((cluster) => {
    const previous = snapshot.states.get(clusterKey(cluster, accountId));
    const before = previous?.signingCaFingerprint ?? null;
    const updated = withSigningCaChange(cluster, before);
    if (updated !== cluster) changed = true;
    return updated;
  });
  if (!changed) return report;
  return buildReport({
    checkedAt: new Date(report.checkedAt),
    partial: report.partial,
    regions: report.regions,
    clusters,
  });
}

/**
 * The cluster with `SIGNING_CA_CHANGED` added when its signing CA is not
 * the one fingerprinted `before`; the cluster itself otherwise.
 */
export function withSigningCaChange(
  cluster: ClusterReport,
  before: string | null,
): ClusterReport {
  const now = signingCaFingerprint(cluster);
  if (before === null || now === null || before === now) return cluster;
  if (cluster.reasons.some((r) => r.code === 'SIGNING_CA_CHANGED')) {
    return cluster;
  }
  const signing = cluster.certificateAuthorities.find((ca) => ca.signing);
  const reason: Reason = {
    code: 'SIGNING_CA_CHANGED',
    level: 'warning',
    message:
      'The signing CA changed since the last run: SHA-256 ' +
      `${before} before, ${now} now. Clients that pinned the old CA data ` +
      '(kubeconfigs, CI secrets, GitOps cluster secrets) need the new one.',
    certificate: signing?.subject ?? null,
  };
  const reasons = [...cluster.reasons, reason];
  return {
    ...cluster,
    reasons,
    severity: severityOf(cluster.verdict, reasons),
  };
}
