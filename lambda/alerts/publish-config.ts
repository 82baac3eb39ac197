/**
 * The settings of publishing (design section 5). The run's `AuditConfig`
 * (lambda/config.ts) has every one of these fields, so it can be passed as
 * it is.
 */
export interface PublishConfig {
  /** CloudWatch namespace, `AUDIT_NAMESPACE`. */
  readonly namespace: string;
  /** Per-cluster metrics on or off, `AUDIT_PER_CLUSTER_METRICS`. */
  readonly perClusterMetrics: boolean;
  /** SNS topic of the digest, `AUDIT_TOPIC_ARN`; `null` sends no email. */
  readonly topicArn: string | null;
  /**
   * DynamoDB table of alert state, `AUDIT_STATE_TABLE`. Without it every
   * run is a first run: every cluster that needs action is in the digest,
   * and an unreachable one never reaches its streak.
   */
  readonly stateTable: string | null;
  /** `AUDIT_REMINDER_HOURS`. */
  readonly reminderHours: number;
  /** `AUDIT_UNREACHABLE_ALERT_RUNS`. */
  readonly unreachableAlertRuns: number;
  /** Link printed at the end of the digest, `AUDIT_DASHBOARD_URL`. */
  readonly dashboardUrl: string | null;
}

/** The documented defaults, with nothing to publish to. */
export const DEFAULT_PUBLISH_CONFIG: PublishConfig = Object.freeze({
  namespace: 'EKSCertificateAudit',
  perClusterMetrics: true,
  topicArn: null,
  stateTable: null,
  reminderHours: 24,
  unreachableAlertRuns: 2,
  dashboardUrl: null,
});
