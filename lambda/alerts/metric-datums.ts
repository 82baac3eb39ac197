import type {
  Dimension,
  MetricDatum,
  StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import { severityRank } from '../engine/severity.js';
import type { AuditReport, ClusterReport } from '../engine/types.js';

/** The metric names of design section 6; alarms and the dashboard use them. */
export const METRIC_NAMES = Object.freeze({
  serverCertificateDaysToExpiry: 'ServerCertificateDaysToExpiry',
  clusterCaDaysToExpiry: 'ClusterCADaysToExpiry',
  chainTrusted: 'ChainTrusted',
  severity: 'Severity',
  clustersAudited: 'ClustersAudited',
  clustersCritical: 'ClustersCritical',
  clustersWarning: 'ClustersWarning',
  clustersUnreachable: 'ClustersUnreachable',
  clustersSkipped: 'ClustersSkipped',
  clustersErrored: 'ClustersErrored',
  regionsFailed: 'RegionsFailed',
  minServerCertificateDaysToExpiry: 'MinServerCertificateDaysToExpiry',
  minClusterCaDaysToExpiry: 'MinClusterCADaysToExpiry',
  auditSucceeded: 'AuditSucceeded',
  auditDurationSeconds: 'AuditDurationSeconds',
} as const);

/** What the metrics of one run are made from. */
export interface MetricInput {
  readonly report: AuditReport;
  /** The account of the run; also a cluster's when its own is unknown. */
  readonly accountId: string;
  /** The run's start: every datum's timestamp. */
  readonly startedAt: Date;
  readonly durationSeconds: number;
  /** `false` sends only the per-account figures. */
  readonly perClusterMetrics: boolean;
}

/** A datum left out because a dimension value broke CloudWatch's rules. */
export interface DroppedDatum {
  readonly metricName: string;
  readonly dimension: string;
  readonly value: string;
  readonly rule: string;
}

/** The datums to send and the ones that had to be left out. */
export interface MetricDatums {
  readonly datums: MetricDatum[];
  readonly dropped: DroppedDatum[];
}

// CloudWatch rejects values beyond 2^360 in magnitude, and NaN or
// Infinity outright (the JSON protocol would send "NaN" as a string).
const LARGEST_VALUE = 2 ** 360;

/** Whether CloudWatch accepts `value` as a datum value. */
export function isSendableValue(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    Math.abs(value) <= LARGEST_VALUE
  );
}

/**
 * Why `value` cannot be a dimension value, or `null` when it can: 1 to
 * 1024 ASCII characters, no control character, at least one that is not
 * white space.
 */
export function dimensionValueProblem(value: string | null): string | null {
  if (value === null || value.length === 0) return 'must not be empty';
  if (value.length > 1024) {
    return `must be at most 1024 characters, got ${value.length}`;
  }
  if (!/^[\u0020-\u007e]+$/.test(value)) {
    return 'must be printable ASCII without control characters';
  }
  if (value.trim() === '') return 'must hold a character other than space';
  return null;
}

/**
 * Builds the run's datums except the `AuditSucceeded` heartbeat (see
 * {@link heartbeatDatums}): the per-cluster set when switched on, then
 * the per-account set. A figure that is missing or not a finite number is
 * left out, never sent as 0; a datum with an invalid dimension value is
 * dropped and listed in `dropped`.
 */
export function buildMetricDatums(input: MetricInput): MetricDatums {
  const out = collector(input.startedAt);
  if (input.perClusterMetrics) {
    for (const cluster of input.report.clusters) {
      addClusterDatums(out, cluster, input.accountId);
    }
  }
  const { report, accountId } = input;
  const account = [{ Name: 'AccountId', Value: accountId }];
  const counts: ReadonlyArray<readonly [string, number]> = [
    [METRIC_NAMES.clustersAudited, report.summary.clusters],
    [METRIC_NAMES.clustersCritical, report.summary.bySeverity.critical],
    [METRIC_NAMES.clustersWarning, report.summary.bySeverity.warning],
    [METRIC_NAMES.clustersUnreachable, report.summary.byVerdict.unreachable],
    [METRIC_NAMES.clustersSkipped, report.summary.byVerdict.skipped],
    [METRIC_NAMES.clustersErrored, report.summary.byVerdict.error],
    [
      METRIC_NAMES.regionsFailed,
      report.regions.filter((region) => region.status === 'failed').length,
    ],
  ];
  for (const [name, value] of counts) out.add(name, account, value, 'Count');
  out.add(
    METRIC_NAMES.minServerCertificateDaysToExpiry,
    account,
    minimum(report.clusters.map((c) => c.serverCertificate?.daysToExpiry)),
    'None',
  );
  out.add(
    METRIC_NAMES.minClusterCaDaysToExpiry,
    account,
    minimum(report.clusters.map(signingCaDays)),
    'None',
  );
  out.add(
    METRIC_NAMES.auditDurationSeconds,
    account,
    input.durationSeconds,
    'Seconds',
  );
  return out.result();
}

/**
 * The heartbeat: `AuditSucceeded` = 1 for the account. Send it last, in
 * its own call, and only from a complete run that published everything
 * else; alarms treat its absence as a failed run.
 */
export function heartbeatDatums(
  accountId: string,
  startedAt: Date,
): MetricDatums {
  const out = collector(startedAt);
  out.add(
    METRIC_NAMES.auditSucceeded,
    [{ Name: 'AccountId', Value: accountId }],
    1,
    'Count',
  );
  return out.result();
}

function addClusterDatums(
  out: Collector,
  cluster: ClusterReport,
  accountId: string,
): void {
  const dimensions: Dimension[] = [
    { Name: 'AccountId', Value: cluster.accountId ?? accountId },
    { Name: 'Region', Value: cluster.region ?? '' },
    { Name: 'ClusterName', Value: cluster.name ?? '' },
  ];
  out.add(
    METRIC_NAMES.serverCertificateDaysToExpiry,
    dimensions,
    cluster.serverCertificate?.daysToExpiry,
    'None',
  );
  out.add(
    METRIC_NAMES.clusterCaDaysToExpiry,
    dimensions,
    signingCaDays(cluster),
    'None',
  );
  // Only a completed handshake says anything about trust.
  const trusted =
    cluster.verdict === 'trusted'
      ? 1
      : cluster.verdict === 'untrusted'
        ? 0
        : null;
  out.add(METRIC_NAMES.chainTrusted, dimensions, trusted, 'None');
  out.add(
    METRIC_NAMES.severity,
    dimensions,
    severityRank(cluster.severity),
    'None',
  );
}

function signingCaDays(cluster: ClusterReport): number | undefined {
  return cluster.certificateAuthorities.find((ca) => ca.signing)?.daysToExpiry;
}

function minimum(values: readonly unknown[]): number | null {
  const sendable = values.filter(isSendableValue);
  return sendable.length === 0 ? null : Math.min(...sendable);
}

interface Collector {
  add(
    name: string,
    dimensions: readonly Dimension[],
    value: unknown,
    unit: StandardUnit,
  ): void;
  result(): MetricDatums;
}

function collector(timestamp: Date): Collector {
  const datums: MetricDatum[] = [];
  const dropped: DroppedDatum[] = [];
  return {
    add(name, dimensions, value, unit) {
      if (!isSendableValue(value)) return;
      for (const dimension of dimensions) {
        const rule = dimensionValueProblem(dimension.Value ?? null);
        if (rule !== null) {
          dropped.push({
            metricName: name,
            dimension: dimension.Name ?? '',
            value: dimension.Value ?? '',
            rule,
          });
          return;
        }
      }
      datums.push({
        MetricName: name,
        Dimensions: dimensions.map((d) => ({ ...d })),
        Timestamp: timestamp,
        Value: value,
        Unit: unit,
      });
    },
    result: () => ({ datums, dropped }),
  };
}
