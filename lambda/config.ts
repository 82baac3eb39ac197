import { parseConnectTo, parseConnectToList } from './engine/connect-to.js';
import { AuditError } from './engine/errors.js';
import type { Thresholds } from './engine/types.js';

/**
 * Every setting of a run, read once at start from `AUDIT_*` variables
 * (the Lambda) or from the same variables overridden by flags (the CLI).
 */
export interface AuditConfig {
  /** Regions to audit; `null` means every enabled region of the account. */
  readonly regions: readonly string[] | null;
  readonly thresholds: Thresholds;
  /** Deadline for DNS, connect and handshake of one probe. */
  readonly probeTimeoutMs: number;
  /** Probes in flight at once, over the whole fleet. */
  readonly probeConcurrency: number;
  /** DescribeCluster and rotation calls in flight at once, per region. */
  readonly describeConcurrency: number;
  /** curl-style `HOST1:PORT1:HOST2:PORT2` rewrites, unparsed. */
  readonly connectTo: readonly string[];
  readonly namespace: string;
  readonly perClusterMetrics: boolean;
  readonly topicArn: string | null;
  readonly stateTable: string | null;
  readonly reminderHours: number;
  readonly unreachableAlertRuns: number;
  readonly dashboardUrl: string | null;
}

/** Values given on the command line; they win over the variables. */
export interface ConfigOverrides {
  readonly regions?: string | undefined;
  readonly timeout?: string | undefined;
  readonly concurrency?: string | undefined;
  readonly connectTo?: readonly string[] | undefined;
  readonly namespace?: string | undefined;
  readonly topicArn?: string | undefined;
  readonly stateTable?: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const NAMESPACE_PATTERN = /^[A-Za-z0-9._/#:-]{1,255}$/;
const TOPIC_ARN_PATTERN =
  /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const TABLE_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Reads and validates the configuration. An invalid value stops the run
 * with an `AuditError` (`CONFIG_INVALID`) that names the variable (or
 * flag), the rule and the value seen.
 */
export function loadConfig(
  env: Env = process.env,
  overrides: ConfigOverrides = {},
): AuditConfig {
  const thresholds: Thresholds = {
    serverCertWarningDays: days(env, 'AUDIT_SERVER_CERT_WARNING_DAYS', 14),
    serverCertCriticalDays: days(env, 'AUDIT_SERVER_CERT_CRITICAL_DAYS', 3),
    caWarningDays: days(env, 'AUDIT_CA_WARNING_DAYS', 180),
    caCriticalDays: days(env, 'AUDIT_CA_CRITICAL_DAYS', 30),
    caActivationWarningDays: days(env, 'AUDIT_CA_ACTIVATION_WARNING_DAYS', 30),
    caActivationCriticalDays: days(env, 'AUDIT_CA_ACTIVATION_CRITICAL_DAYS', 7),
  };
  requireOrder(
    thresholds.serverCertCriticalDays,
    thresholds.serverCertWarningDays,
    'AUDIT_SERVER_CERT_CRITICAL_DAYS',
    'AUDIT_SERVER_CERT_WARNING_DAYS',
  );
  requireOrder(
    thresholds.caCriticalDays,
    thresholds.caWarningDays,
    'AUDIT_CA_CRITICAL_DAYS',
    'AUDIT_CA_WARNING_DAYS',
  );
  requireOrder(
    thresholds.caActivationCriticalDays,
    thresholds.caActivationWarningDays,
    'AUDIT_CA_ACTIVATION_CRITICAL_DAYS',
    'AUDIT_CA_ACTIVATION_WARNING_DAYS',
  );

  const timeout = pick(
    overrides.timeout,
    '--timeout',
    env,
    'AUDIT_PROBE_TIMEOUT_SECONDS',
  );
  const concurrency = pick(
    overrides.concurrency,
    '--concurrency',
    env,
    'AUDIT_PROBE_CONCURRENCY',
  );
  const fromFlags =
    overrides.connectTo !== undefined && overrides.connectTo.length > 0;
  const connectTo = fromFlags
    ? [...(overrides.connectTo ?? [])]
    : splitWords(env.AUDIT_CONNECT_TO);
  // Checked here so that a bad rule names where it came from.
  if (fromFlags) for (const rule of connectTo) parseConnectTo(rule);
  else parseConnectToList(env.AUDIT_CONNECT_TO, 'AUDIT_CONNECT_TO');

  return {
    regions: regions(
      pick(overrides.regions, '--regions', env, 'AUDIT_REGIONS'),
    ),
    thresholds,
    probeTimeoutMs: Math.round(
      number(timeout, 5, { min: 0.1, max: 60, integer: false }) * 1000,
    ),
    probeConcurrency: number(concurrency, 16, {
      min: 1,
      max: 256,
      integer: true,
    }),
    describeConcurrency: number(
      {
        name: 'AUDIT_DESCRIBE_CONCURRENCY',
        value: env.AUDIT_DESCRIBE_CONCURRENCY,
      },
      5,
      { min: 1, max: 50, integer: true },
    ),
    connectTo,
    namespace: text(
      pick(overrides.namespace, '--namespace', env, 'AUDIT_NAMESPACE'),
      'EKSCertificateAudit',
      NAMESPACE_PATTERN,
      'must be 1 to 255 characters of letters, digits and . _ / # : -',
    ),
    perClusterMetrics: flag(env, 'AUDIT_PER_CLUSTER_METRICS', true),
    topicArn: optionalText(
      pick(overrides.topicArn, '--topic-arn', env, 'AUDIT_TOPIC_ARN'),
      TOPIC_ARN_PATTERN,
      'must be an SNS topic ARN such as arn:aws:sns:us-east-1:111122223333:alerts',
    ),
    stateTable: optionalText(
      pick(overrides.stateTable, '--state-table', env, 'AUDIT_STATE_TABLE'),
      TABLE_PATTERN,
      'must be a DynamoDB table name: 3 to 255 letters, digits, _ . -',
    ),
    reminderHours: number(
      { name: 'AUDIT_REMINDER_HOURS', value: env.AUDIT_REMINDER_HOURS },
      24,
      { min: 1, max: 24 * 90, integer: false },
    ),
    unreachableAlertRuns: number(
      {
        name: 'AUDIT_UNREACHABLE_ALERT_RUNS',
        value: env.AUDIT_UNREACHABLE_ALERT_RUNS,
      },
      2,
      { min: 1, max: 100, integer: true },
    ),
    dashboardUrl: optionalText(
      { name: 'AUDIT_DASHBOARD_URL', value: env.AUDIT_DASHBOARD_URL },
      /^https:\/\/\S+$/,
      'must be an https:// URL',
    ),
  };
}

/** The defaults of design section 5, for tests and the demo. */
export const DEFAULT_CONFIG: AuditConfig = Object.freeze(loadConfig({}));

interface Setting {
  readonly name: string;
  readonly value: string | undefined;
}

function pick(
  flagValue: string | undefined,
  flagName: string,
  env: Env,
  variable: string,
): Setting {
  if (flagValue !== undefined) return { name: flagName, value: flagValue };
  return { name: variable, value: env[variable] };
}

function invalid(setting: Setting, rule: string): AuditError {
  return new AuditError(
    'CONFIG_INVALID',
    `${setting.name} ${rule}, got ${JSON.stringify(setting.value)}`,
  );
}

function isUnset(value: string | undefined): value is undefined {
  return value === undefined || value.trim() === '';
}

function number(
  setting: Setting,
  fallback: number,
  rule: { min: number; max: number; integer: boolean },
): number {
  if (isUnset(setting.value)) return fallback;
  const raw = setting.value.trim();
  const parsed = Number(raw);
  const kind = rule.integer ? 'a whole number' : 'a number';
  if (
    !/^\d+(\.\d+)?$/.test(raw) ||
    !Number.isFinite(parsed) ||
    (rule.integer && !Number.isInteger(parsed)) ||
    parsed < rule.min ||
    parsed > rule.max
  ) {
    throw invalid(setting, `must be ${kind} from ${rule.min} to ${rule.max}`);
  }
  return parsed;
}

function days(env: Env, name: string, fallback: number): number {
  return number({ name, value: env[name] }, fallback, {
    min: 0,
    max: 3650,
    integer: false,
  });
}

function requireOrder(
  critical: number,
  warning: number,
  criticalName: string,
  warningName: string,
): void {
  if (critical > warning) {
    throw new AuditError(
      'CONFIG_INVALID',
      `${criticalName} must not exceed ${warningName}, got ${critical} and ${warning}`,
    );
  }
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = env[name];
  if (isUnset(value)) return fallback;
  const lower = value.trim().toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw invalid({ name, value }, 'must be true or false');
}

function text(
  setting: Setting,
  fallback: string,
  pattern: RegExp,
  rule: string,
): string {
  return optionalText(setting, pattern, rule) ?? fallback;
}

function optionalText(
  setting: Setting,
  pattern: RegExp,
  rule: string,
): string | null {
  if (isUnset(setting.value)) return null;
  const value = setting.value.trim();
  if (!pattern.test(value)) throw invalid(setting, rule);
  return value;
}

function regions(setting: Setting): string[] | null {
  if (isUnset(setting.value)) return null;
  const list = setting.value
    .split(',')
    .map((region) => region.trim())
    .filter((region) => region !== '');
  const bad = list.find((region) => !REGION_PATTERN.test(region));
  if (list.length === 0 || bad !== undefined) {
    throw invalid(
      setting,
      'must be a comma-separated list of region codes such as us-east-1,eu-west-1',
    );
  }
  return [...new Set(list)];
}

function splitWords(value: string | undefined): string[] {
  if (isUnset(value)) return [];
  return value.trim().split(/\s+/);
}
