import { Duration } from 'aws-cdk-lib';
import { loadConfig } from '../lambda/config.js';
import { AuditError } from '../lambda/engine/errors.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../lambda/engine/types.js';
import type { AuditLogLevel } from './context.js';

/** The CloudWatch namespace of design section 6. */
export const DEFAULT_NAMESPACE = 'EKSCertificateAudit';

/** How often the audit runs unless told otherwise. */
export const DEFAULT_SCHEDULE = Duration.hours(6);

/**
 * The shortest and longest schedule the stack accepts. A run may take the
 * whole 10-minute timeout, so an hour leaves room; the heartbeat alarm
 * spans two schedule periods and CloudWatch caps an alarm's evaluation
 * range at 7 days, so 3 days is the longest.
 */
export const SCHEDULE_LIMITS = Object.freeze({
  min: Duration.hours(1),
  max: Duration.days(3),
});

/**
 * What the function is told, before the stack adds resource names; the
 * stack's props take these fields as they are.
 */
export interface AuditSettingsInput {
  /**
   * How often the audit runs, from 1 hour to 3 days.
   * @default Duration.hours(6)
   */
  readonly schedule?: Duration;
  /**
   * Regions to audit (`AUDIT_REGIONS`).
   * @default - every Region enabled in the account
   */
  readonly regions?: readonly string[];
  /**
   * Warning and critical days; missing entries keep their defaults.
   * @default DEFAULT_THRESHOLDS (14/3, 180/30, 30/7)
   */
  readonly thresholds?: Partial<Thresholds>;
  /** @default 'EKSCertificateAudit' */
  readonly namespace?: string;
  /**
   * Per-cluster metrics (4 per cluster, about USD 1.20 a month each
   * cluster); off for very large fleets.
   * @default true
   */
  readonly perClusterMetrics?: boolean;
  /** @default 5 */
  readonly probeTimeoutSeconds?: number;
  /** @default 16 */
  readonly probeConcurrency?: number;
  /** @default 5 */
  readonly describeConcurrency?: number;
  /** @default 24 */
  readonly reminderHours?: number;
  /** @default 2 */
  readonly unreachableAlertRuns?: number;
  /** @default 'INFO' */
  readonly logLevel?: AuditLogLevel;
}

/** The resolved, validated settings of one deployment. */
export interface AuditSettings {
  readonly schedule: Duration;
  readonly thresholds: Thresholds;
  readonly namespace: string;
  readonly perClusterMetrics: boolean;
  /**
   * The function's `AUDIT_*` and `POWERTOOLS_*` variables that are plain
   * values; `AUDIT_TOPIC_ARN`, `AUDIT_STATE_TABLE` and
   * `AUDIT_DASHBOARD_URL` are added where those resources are made.
   */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * Applies the documented defaults and checks every value with the same
 * rules the function applies at start (`loadConfig`), so a bad value fails
 * `cdk synth` instead of the first run. Throws an `AuditError`
 * (`CONFIG_INVALID`) that names the variable, the rule and the value.
 */
export function resolveAuditSettings(input: AuditSettingsInput): AuditSettings {
  const schedule = input.schedule ?? DEFAULT_SCHEDULE;
  checkSchedule(schedule);
  const namespace = input.namespace ?? DEFAULT_NAMESPACE;
  checkNamespace(namespace);
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...input.thresholds };
  const perClusterMetrics = input.perClusterMetrics ?? true;

  const environment: Record<string, string> = {
    AUDIT_SERVER_CERT_WARNING_DAYS: String(thresholds.serverCertWarningDays),
    AUDIT_SERVER_CERT_CRITICAL_DAYS: String(thresholds.serverCertCriticalDays),
    AUDIT_CA_WARNING_DAYS: String(thresholds.caWarningDays),
    AUDIT_CA_CRITICAL_DAYS: String(thresholds.caCriticalDays),
    AUDIT_CA_ACTIVATION_WARNING_DAYS: String(
      thresholds.caActivationWarningDays,
    ),
    AUDIT_CA_ACTIVATION_CRITICAL_DAYS: String(
      thresholds.caActivationCriticalDays,
    ),
    AUDIT_PROBE_TIMEOUT_SECONDS: String(input.probeTimeoutSeconds ?? 5),
    AUDIT_PROBE_CONCURRENCY: String(input.probeConcurrency ?? 16),
    AUDIT_DESCRIBE_CONCURRENCY: String(input.describeConcurrency ?? 5),
    AUDIT_NAMESPACE: namespace,
    AUDIT_PER_CLUSTER_METRICS: String(perClusterMetrics),
    AUDIT_REMINDER_HOURS: String(input.reminderHours ?? 24),
    AUDIT_UNREACHABLE_ALERT_RUNS: String(input.unreachableAlertRuns ?? 2),
    POWERTOOLS_SERVICE_NAME: 'eks-cert-audit',
    POWERTOOLS_LOG_LEVEL: input.logLevel ?? 'INFO',
  };
  if (input.regions !== undefined && input.regions.length > 0) {
    environment.AUDIT_REGIONS = input.regions.join(',');
  }
  loadConfig(environment);

  return Object.freeze({
    schedule,
    thresholds: Object.freeze(thresholds),
    namespace,
    perClusterMetrics,
    environment: Object.freeze(environment),
  });
}

/**
 * The schedule as an EventBridge rate expression in its largest whole
 * unit (`rate(6 hours)`, `rate(1 day)`).
 */
export function rateExpression(schedule: Duration): string {
  const minutes = schedule.toMinutes();
  const [amount, unit] =
    minutes % 1440 === 0
      ? [minutes / 1440, 'day']
      : minutes % 60 === 0
        ? [minutes / 60, 'hour']
        : [minutes, 'minute'];
  return `rate(${amount} ${unit}${amount === 1 ? '' : 's'})`;
}

function checkSchedule(schedule: Duration): void {
  const seconds = schedule.toSeconds();
  const { min, max } = SCHEDULE_LIMITS;
  if (
    seconds % 60 !== 0 ||
    seconds < min.toSeconds() ||
    seconds > max.toSeconds()
  ) {
    throw new AuditError(
      'CONFIG_INVALID',
      `schedule must be whole minutes from ${min.toHumanString()} to ${max.toHumanString()}, got ${schedule.toHumanString()}`,
    );
  }
}

function checkNamespace(namespace: string): void {
  // PutMetricData refuses namespaces that start with "AWS/"; the rest of
  // the rule is loadConfig's.
  if (namespace.startsWith('AWS/')) {
    throw new AuditError(
      'CONFIG_INVALID',
      `namespace must not start with "AWS/" (reserved for AWS services), got ${JSON.stringify(namespace)}`,
    );
  }
}
