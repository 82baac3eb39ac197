import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Thresholds } from '../lambda/engine/types.js';
import { rateExpression } from './audit-settings.js';

/** Rows of a worst-clusters table. */
export const WORST_CLUSTERS_LIMIT = 20;

/** Properties of {@link AuditDashboard}. */
export interface AuditDashboardProps {
  /** Unique in the account (dashboards are not per Region). */
  readonly dashboardName: string;
  readonly namespace: string;
  /** How often the audit runs: the period of every metric widget. */
  readonly schedule: Duration;
  readonly thresholds: Thresholds;
  /** The function's log group, for the findings widgets. */
  readonly logGroup: logs.ILogGroup;
  readonly alarms: readonly cloudwatch.IAlarm[];
  /**
   * Whether the function publishes per-cluster metrics; without them the
   * per-cluster tables are replaced by a note.
   * @default true
   */
  readonly perClusterMetrics?: boolean;
}

/**
 * A Metrics Insights query over the per-cluster metrics: one row per
 * cluster, worst first. SCHEMA keeps only series with exactly the
 * per-cluster dimensions, so new clusters appear without a redeploy.
 */
export function worstClustersQuery(
  namespace: string,
  metricName: string,
  aggregate: 'MIN' | 'MAX',
): string {
  const order = aggregate === 'MIN' ? 'ASC' : 'DESC';
  return (
    `SELECT ${aggregate}(${metricName}) ` +
    `FROM SCHEMA("${namespace}", AccountId, ClusterName, Region) ` +
    `GROUP BY ClusterName, Region ` +
    `ORDER BY ${aggregate}() ${order} LIMIT ${WORST_CLUSTERS_LIMIT}`
  );
}

/**
 * Logs Insights: the latest non-ok finding of each cluster in the range.
 * The fields are those of the function's `cluster finding` lines
 * (lambda/output/log-findings.ts); `reasons` is an array, which Logs
 * Insights flattens into `reasons.0`, `reasons.1`, …
 */
export const LATEST_FINDINGS_QUERY = [
  'fields @timestamp, severity, verdict, clusterName, region,',
  '  clusterCADaysToExpiry, serverCertificateDaysToExpiry,',
  '  reasons.0, reasons.1, reasons.2, reasons.3',
  '| filter message = "cluster finding"',
  '| sort @timestamp desc',
  '| dedup clusterName, region',
  '| limit 200',
].join('\n');

/** Logs Insights: the `audit summary` line of the latest runs. */
export const RUN_SUMMARIES_QUERY = [
  'fields @timestamp, worstSeverity, clusters, partial, regionsFailed,',
  '  bySeverity.critical, bySeverity.warning, bySeverity.unknown, vanished',
  '| filter message = "audit summary"',
  '| sort @timestamp desc',
  '| limit 20',
].join('\n');

const RED = '#d62728';
const ORANGE = '#ff7f0e';
const GREY = '#7f7f7f';

/**
 * The audit's CloudWatch dashboard: the worst clusters (Metrics Insights,
 * so it follows the fleet), fleet figures, alarm states and the latest
 * findings from the logs. docs/dashboard.md describes every widget.
 */
export class AuditDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: AuditDashboardProps) {
    super(scope, id);
    const period = props.schedule;
    const range = Duration.seconds(
      Math.max(Duration.days(1).toSeconds(), 2 * period.toSeconds()),
    );

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: range,
      // Keep each widget's own period (the schedule): an automatic period
      // shorter than the schedule would show gaps between runs.
      periodOverride: cloudwatch.PeriodOverride.INHERIT,
    });

    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        width: 24,
        height: 2,
        markdown:
          `# EKS certificate audit\n` +
          `Account ${Aws.ACCOUNT_ID}, published from ${Aws.REGION}, ` +
          `runs ${rateExpression(period)}. ` +
          'Every figure is per run; the emails carry the details and the ' +
          'fix.',
      }),
    );
    this.dashboard.addWidgets(...perClusterWidgets(props));
    this.dashboard.addWidgets(...fleetWidgets(props));
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        width: 24,
        height: 3,
        alarms: [...props.alarms],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.LogQueryWidget({
        title: 'Latest non-ok finding per cluster (in the time range)',
        width: 24,
        height: 8,
        logGroupNames: [props.logGroup.logGroupName],
        queryString: LATEST_FINDINGS_QUERY,
        view: cloudwatch.LogQueryVisualizationType.TABLE,
      }),
      new cloudwatch.LogQueryWidget({
        title: 'Run summaries',
        width: 24,
        height: 6,
        logGroupNames: [props.logGroup.logGroupName],
        queryString: RUN_SUMMARIES_QUERY,
        view: cloudwatch.LogQueryVisualizationType.TABLE,
      }),
    );
  }
}

function perClusterWidgets(props: AuditDashboardProps): cloudwatch.IWidget[] {
  if (props.perClusterMetrics === false) {
    return [
      new cloudwatch.TextWidget({
        width: 24,
        height: 2,
        markdown:
          'Per-cluster metrics are switched off ' +
          '(`AUDIT_PER_CLUSTER_METRICS=false`), so there are no per-cluster ' +
          'tables. The findings widget below still lists every cluster.',
      }),
    ];
  }
  const t = props.thresholds;
  const table = (
    title: string,
    metricName: string,
    aggregate: 'MIN' | 'MAX',
    thresholds: cloudwatch.TableThreshold[],
  ) =>
    new cloudwatch.TableWidget({
      title,
      width: 12,
      height: 8,
      period: props.schedule,
      metrics: [
        new cloudwatch.MathExpression({
          expression: worstClustersQuery(
            props.namespace,
            metricName,
            aggregate,
          ),
          // An empty label renders as none, so each row is named after its
          // group (cluster and Region); any fixed text would name every
          // row the same.
          label: '',
          period: props.schedule,
        }),
      ],
      summary: {
        columns: [
          aggregate === 'MIN'
            ? cloudwatch.TableSummaryColumn.MINIMUM
            : cloudwatch.TableSummaryColumn.MAXIMUM,
        ],
        hideNonSummaryColumns: true,
      },
      thresholds,
    });

  return [
    table('Signing CA: fewest days left', 'ClusterCADaysToExpiry', 'MIN', [
      cloudwatch.TableThreshold.below(t.caCriticalDays, RED),
      cloudwatch.TableThreshold.between(
        t.caCriticalDays,
        t.caWarningDays,
        ORANGE,
      ),
    ]),
    table(
      'Worst severity (3 critical, 2 unknown, 1 warning)',
      'Severity',
      'MAX',
      [
        cloudwatch.TableThreshold.above(2.5, RED),
        cloudwatch.TableThreshold.between(1.5, 2.5, GREY),
        cloudwatch.TableThreshold.between(0.5, 1.5, ORANGE),
      ],
    ),
    table(
      'Serving certificate: fewest days left',
      'ServerCertificateDaysToExpiry',
      'MIN',
      [
        cloudwatch.TableThreshold.below(t.serverCertCriticalDays, RED),
        cloudwatch.TableThreshold.between(
          t.serverCertCriticalDays,
          t.serverCertWarningDays,
          ORANGE,
        ),
      ],
    ),
    table('Chain trusted (0 = does not verify)', 'ChainTrusted', 'MIN', [
      cloudwatch.TableThreshold.below(0.5, RED),
    ]),
  ];
}

function fleetWidgets(props: AuditDashboardProps): cloudwatch.IWidget[] {
  const metric = (metricName: string, statistic: string, label: string) =>
    new cloudwatch.Metric({
      namespace: props.namespace,
      metricName,
      dimensionsMap: { AccountId: Aws.ACCOUNT_ID },
      statistic,
      period: props.schedule,
      label,
    });
  const count = (name: string, label: string) =>
    metric(name, cloudwatch.Stats.MAXIMUM, label);
  const t = props.thresholds;

  const counts = [
    count('ClustersAudited', 'Audited'),
    count('ClustersCritical', 'Critical'),
    count('ClustersWarning', 'Warning'),
    count('ClustersUnreachable', 'Unreachable'),
    count('ClustersSkipped', 'Skipped'),
    count('ClustersErrored', 'Errored'),
    count('RegionsFailed', 'Regions failed'),
  ];
  const minimumDays = [
    metric(
      'MinServerCertificateDaysToExpiry',
      cloudwatch.Stats.MINIMUM,
      'Serving certificate, fewest days',
    ),
    metric(
      'MinClusterCADaysToExpiry',
      cloudwatch.Stats.MINIMUM,
      'Signing CA, fewest days',
    ),
  ];

  return [
    new cloudwatch.SingleValueWidget({
      title: 'Latest run',
      width: 24,
      height: 4,
      period: props.schedule,
      metrics: [
        ...counts,
        ...minimumDays,
        metric('AuditDurationSeconds', cloudwatch.Stats.MAXIMUM, 'Duration'),
      ],
    }),
    new cloudwatch.GraphWidget({
      title: 'Clusters per run',
      width: 12,
      height: 6,
      period: props.schedule,
      left: counts,
      leftYAxis: { min: 0, showUnits: false },
    }),
    new cloudwatch.GraphWidget({
      title: 'Fewest days left',
      width: 12,
      height: 6,
      period: props.schedule,
      left: minimumDays,
      leftYAxis: { min: 0, showUnits: false },
      leftAnnotations: [
        { value: t.caCriticalDays, color: RED, label: 'CA critical' },
        { value: t.caWarningDays, color: ORANGE, label: 'CA warning' },
        {
          value: t.serverCertCriticalDays,
          color: RED,
          label: 'Serving critical',
        },
      ],
    }),
  ];
}
