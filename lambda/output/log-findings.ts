import type { AuditLogger } from '../engine/logger.js';
import type { AuditReport } from '../engine/types.js';

/**
 * Writes the structured log lines of a run: one `cluster finding` line per
 * cluster that is not ok (warn, or error when critical) and one `audit
 * summary` line. The dashboard's log widget and Logs Insights queries read
 * these field names: keep them.
 */
export function logFindings(
  logger: AuditLogger,
  report: AuditReport,
  vanished: number,
): void {
  for (const cluster of report.clusters) {
    if (cluster.severity === 'ok') continue;
    const fields = {
      clusterName: cluster.name,
      region: cluster.region,
      accountId: cluster.accountId,
      endpoint: cluster.endpoint,
      verdict: cluster.verdict,
      severity: cluster.severity,
      reasons: cluster.reasons
        .filter((reason) => reason.level !== 'info')
        .map((reason) => reason.code),
      serverCertificateDaysToExpiry:
        cluster.serverCertificate?.daysToExpiry ?? null,
      clusterCADaysToExpiry:
        cluster.certificateAuthorities.find((ca) => ca.signing)?.daysToExpiry ??
        null,
    };
    if (cluster.severity === 'critical') {
      logger.error('cluster finding', fields);
    } else {
      logger.warn('cluster finding', fields);
    }
  }
  logger.info('audit summary', {
    checkedAt: report.checkedAt,
    partial: report.partial,
    clusters: report.summary.clusters,
    worstSeverity: report.summary.worstSeverity,
    byVerdict: report.summary.byVerdict,
    bySeverity: report.summary.bySeverity,
    regionsFailed: report.regions.filter((r) => r.status === 'failed').length,
    vanished,
  });
}
