import { worstSeverity } from './severity.js';
import {
  type AuditReport,
  type ClusterReport,
  type RegionReport,
  type ReportSummary,
  SEVERITIES,
  type Severity,
  VERDICTS,
  type Verdict,
} from './types.js';

/** Counts clusters by verdict and severity. */
export function summarize(clusters: readonly ClusterReport[]): ReportSummary {
  const byVerdict = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<
    Verdict,
    number
  >;
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((s) => [s, 0]),
  ) as Record<Severity, number>;
  for (const cluster of clusters) {
    byVerdict[cluster.verdict] += 1;
    bySeverity[cluster.severity] += 1;
  }
  return {
    clusters: clusters.length,
    worstSeverity: worstSeverity(clusters.map((c) => c.severity)),
    byVerdict,
    bySeverity,
  };
}

/** What a run found, before the summary is counted. */
export interface ReportParts {
  readonly checkedAt: Date;
  readonly partial: boolean;
  readonly regions: readonly RegionReport[];
  readonly clusters: readonly ClusterReport[];
}

/**
 * Builds the schema-version-1 report. A partial run (a failed region, an
 * exhausted time budget) is at least `unknown` overall.
 */
export function buildReport(parts: ReportParts): AuditReport {
  const summary = summarize(parts.clusters);
  const worst = parts.partial
    ? worstSeverity([summary.worstSeverity, 'unknown'])
    : summary.worstSeverity;
  return {
    schemaVersion: 1,
    checkedAt: isoSeconds(parts.checkedAt),
    partial: parts.partial,
    regions: parts.regions,
    clusters: parts.clusters,
    summary: { ...summary, worstSeverity: worst },
  };
}

/** ISO-8601 UTC to the second with `Z`: `2019-01-01T00:00:00Z`. */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
