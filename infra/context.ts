import { Duration } from 'aws-cdk-lib';
import { AuditError } from '../lambda/engine/errors.js';
import type { Thresholds } from '../lambda/engine/types.js';
import type { EksCertAuditStackProps } from './eks-cert-audit-stack.js';

/** Reads one `-c key=value` (or `cdk.json` context) value. */
export type ContextReader = (key: string) => unknown;

/** Every context key the app reads, with its meaning (for errors and docs). */
export const CONTEXT_KEYS = Object.freeze({
  stackName: 'stack name',
  alertEmails: 'comma-separated email addresses',
  schedule: 'a rate expression such as rate(6 hours)',
  regions: 'comma-separated region codes',
  serverCertWarningDays: 'days',
  serverCertCriticalDays: 'days',
  caWarningDays: 'days',
  caCriticalDays: 'days',
  caActivationWarningDays: 'days',
  caActivationCriticalDays: 'days',
  namespace: 'CloudWatch namespace',
  perClusterMetrics: 'true or false',
  reservedConcurrency: 'true or false',
  probeTimeoutSeconds: 'seconds',
  probeConcurrency: 'count',
  describeConcurrency: 'count',
  reminderHours: 'hours',
  unreachableAlertRuns: 'count',
  logLevel: 'DEBUG, INFO, WARN or ERROR',
  retainData: 'true or false',
} as const);

/** One context key of {@link CONTEXT_KEYS}. */
export type ContextKey = keyof typeof CONTEXT_KEYS;

const THRESHOLD_KEYS = Object.freeze([
  'serverCertWarningDays',
  'serverCertCriticalDays',
  'caWarningDays',
  'caCriticalDays',
  'caActivationWarningDays',
  'caActivationCriticalDays',
] as const satisfies readonly (keyof Thresholds & ContextKey)[]);

/** Log levels Powertools Logger accepts through `POWERTOOLS_LOG_LEVEL`. */
export const LOG_LEVELS = Object.freeze([
  'DEBUG',
  'INFO',
  'WARN',
  'ERROR',
] as const);

/** One log level of {@link LOG_LEVELS}. */
export type AuditLogLevel = (typeof LOG_LEVELS)[number];

const EMAIL_PATTERN = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const STACK_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const RATE_PATTERN = /^rate\(\s*(\d+)\s+(minutes?|hours?|days?)\s*\)$/;

/**
 * Turns `-c` context into stack props. Keys that are absent stay
 * `undefined`, so the stack's documented defaults apply. Values may be
 * strings (the command line) or JSON values (`cdk.json`). An unknown key
 * is ignored, as CDK itself keeps many; a bad value throws an
 * `AuditError` (`CONFIG_INVALID`) that names the key, the rule and the
 * value seen.
 */
export function stackPropsFromContext(
  read: ContextReader,
): EksCertAuditStackProps {
  const thresholds: Partial<Record<keyof Thresholds, number>> = {};
  for (const key of THRESHOLD_KEYS) {
    const value = numberValue(read, key, { min: 0, max: 3650, integer: false });
    if (value !== undefined) thresholds[key] = value;
  }

  return {
    stackName: pattern(read, 'stackName', STACK_NAME_PATTERN),
    alertEmails: list(read, 'alertEmails', EMAIL_PATTERN),
    schedule: schedule(read),
    regions: list(read, 'regions', REGION_PATTERN),
    thresholds: Object.keys(thresholds).length > 0 ? thresholds : undefined,
    namespace: stringValue(read, 'namespace'),
    perClusterMetrics: booleanValue(read, 'perClusterMetrics'),
    reservedConcurrency: booleanValue(read, 'reservedConcurrency'),
    probeTimeoutSeconds: numberValue(read, 'probeTimeoutSeconds', {
      min: 0.1,
      max: 60,
      integer: false,
    }),
    probeConcurrency: numberValue(read, 'probeConcurrency', {
      min: 1,
      max: 256,
      integer: true,
    }),
    describeConcurrency: numberValue(read, 'describeConcurrency', {
      min: 1,
      max: 50,
      integer: true,
    }),
    reminderHours: numberValue(read, 'reminderHours', {
      min: 1,
      max: 2160,
      integer: false,
    }),
    unreachableAlertRuns: numberValue(read, 'unreachableAlertRuns', {
      min: 1,
      max: 100,
      integer: true,
    }),
    logLevel: logLevel(read),
    retainData: booleanValue(read, 'retainData'),
  };
}

/**
 * Parses an EventBridge rate expression (`rate(6 hours)`) into a
 * Duration. Only rates are accepted: the heartbeat alarm and the
 * dashboard need a fixed interval, which a cron expression does not give.
 */
export function parseRate(expression: string): Duration | undefined {
  const match = RATE_PATTERN.exec(expression.trim());
  if (match === null) return undefined;
  const amount = Number(match[1]);
  const unit = match[2] ?? '';
  if (unit.startsWith('minute')) return Duration.minutes(amount);
  if (unit.startsWith('hour')) return Duration.hours(amount);
  return Duration.days(amount);
}

function invalid(key: ContextKey, rule: string, value: unknown): AuditError {
  return new AuditError(
    'CONFIG_INVALID',
    `context "${key}" must be ${rule}, got ${JSON.stringify(value)}`,
  );
}

function raw(read: ContextReader, key: ContextKey): unknown {
  const value = read(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  return value;
}

function stringValue(read: ContextReader, key: ContextKey): string | undefined {
  const value = raw(read, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(key, 'a string', value);
  return value.trim();
}

function pattern(
  read: ContextReader,
  key: ContextKey,
  rule: RegExp,
): string | undefined {
  const value = stringValue(read, key);
  if (value !== undefined && !rule.test(value)) {
    throw invalid(key, `a ${CONTEXT_KEYS[key]} matching ${rule}`, value);
  }
  return value;
}

function list(
  read: ContextReader,
  key: ContextKey,
  rule: RegExp,
): string[] | undefined {
  const value = raw(read, key);
  if (value === undefined) return undefined;
  const items = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(',')
      : undefined;
  if (items === undefined) throw invalid(key, CONTEXT_KEYS[key], value);
  const trimmed = items.map((item) =>
    typeof item === 'string' ? item.trim() : item,
  );
  const bad = trimmed.find(
    (item) => typeof item !== 'string' || !rule.test(item),
  );
  if (bad !== undefined || trimmed.length === 0) {
    throw invalid(key, CONTEXT_KEYS[key], value);
  }
  return [...new Set(trimmed as string[])];
}

function booleanValue(
  read: ContextReader,
  key: ContextKey,
): boolean | undefined {
  const value = raw(read, key);
  if (value === undefined || typeof value === 'boolean') return value;
  const lower = String(value).trim().toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw invalid(key, 'true or false', value);
}

function numberValue(
  read: ContextReader,
  key: ContextKey,
  rule: { min: number; max: number; integer: boolean },
): number | undefined {
  const value = raw(read, key);
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const parsed = Number(text);
  if (
    (typeof value !== 'number' && typeof value !== 'string') ||
    !/^\d+(\.\d+)?$/.test(text) ||
    (rule.integer && !Number.isInteger(parsed)) ||
    parsed < rule.min ||
    parsed > rule.max
  ) {
    const kind = rule.integer ? 'a whole number' : 'a number';
    throw invalid(key, `${kind} from ${rule.min} to ${rule.max}`, value);
  }
  return parsed;
}

function schedule(read: ContextReader): Duration | undefined {
  const value = stringValue(read, 'schedule');
  if (value === undefined) return undefined;
  const duration = parseRate(value);
  if (duration === undefined) {
    throw invalid('schedule', CONTEXT_KEYS.schedule, value);
  }
  return duration;
}

function logLevel(read: ContextReader): AuditLogLevel | undefined {
  const value = stringValue(read, 'logLevel');
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  const level = LOG_LEVELS.find((candidate) => candidate === upper);
  if (level === undefined)
    throw invalid('logLevel', CONTEXT_KEYS.logLevel, value);
  return level;
}

/**
 * Finds context keys that look like a misspelt key of {@link CONTEXT_KEYS}
 * (`-c alertEmail=…` for `alertEmails`): such a typo would deploy a stack
 * that silently ignores the setting. Keys far from every known one are
 * left alone, since CDK and its CLI keep context of their own.
 */
export function misspeltContextKeys(
  keys: readonly string[],
): Array<{ readonly key: string; readonly suggestion: ContextKey }> {
  const known = Object.keys(CONTEXT_KEYS) as ContextKey[];
  const found: Array<{ key: string; suggestion: ContextKey }> = [];
  for (const key of keys) {
    if ((known as string[]).includes(key)) continue;
    const suggestion = known.find(
      (candidate) =>
        editDistance(key.toLowerCase(), candidate.toLowerCase()) <= 2,
    );
    if (suggestion !== undefined) found.push({ key, suggestion });
  }
  return found;
}

/** Levenshtein distance of two short strings. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution =
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(
        Math.min(
          (previous[j] as number) + 1,
          (current[j - 1] as number) + 1,
          substitution,
        ),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
