import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  rateExpression,
  resolveAuditSettings,
} from '../../infra/audit-settings.js';
import { AuditError } from '../../lambda/engine/errors.js';

describe('resolveAuditSettings', () => {
  it('applies the documented defaults', () => {
    const settings = resolveAuditSettings({});

    expect(settings.schedule.toHours()).toBe(6);
    expect(settings.namespace).toBe('EKSCertificateAudit');
    expect(settings.perClusterMetrics).toBe(true);
    expect(settings.environment).toEqual({
      AUDIT_SERVER_CERT_WARNING_DAYS: '14',
      AUDIT_SERVER_CERT_CRITICAL_DAYS: '3',
      AUDIT_CA_WARNING_DAYS: '180',
      AUDIT_CA_CRITICAL_DAYS: '30',
      AUDIT_CA_ACTIVATION_WARNING_DAYS: '30',
      AUDIT_CA_ACTIVATION_CRITICAL_DAYS: '7',
      AUDIT_PROBE_TIMEOUT_SECONDS: '5',
      AUDIT_PROBE_CONCURRENCY: '16',
      AUDIT_DESCRIBE_CONCURRENCY: '5',
      AUDIT_NAMESPACE: 'EKSCertificateAudit',
      AUDIT_PER_CLUSTER_METRICS: 'true',
      AUDIT_REMINDER_HOURS: '24',
      AUDIT_UNREACHABLE_ALERT_RUNS: '2',
      POWERTOOLS_SERVICE_NAME: 'eks-cert-audit',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
  });

  it('sets AUDIT_REGIONS only when regions are given', () => {
    const settings = resolveAuditSettings({
      regions: ['us-east-1', 'eu-west-1'],
    });

    expect(settings.environment.AUDIT_REGIONS).toBe('us-east-1,eu-west-1');
  });

  it('merges partial thresholds over the defaults', () => {
    const settings = resolveAuditSettings({
      thresholds: { caCriticalDays: 60 },
    });

    expect(settings.thresholds.caCriticalDays).toBe(60);
    expect(settings.thresholds.caWarningDays).toBe(180);
    expect(settings.environment.AUDIT_CA_CRITICAL_DAYS).toBe('60');
  });

  it.each([
    [{ schedule: Duration.minutes(30) }, 'schedule must be whole minutes'],
    [{ schedule: Duration.days(4) }, 'schedule must be whole minutes'],
    [{ schedule: Duration.seconds(3630) }, 'schedule must be whole minutes'],
    [{ namespace: 'AWS/EKS' }, 'must not start with "AWS/"'],
    [{ namespace: 'has "quotes"' }, 'AUDIT_NAMESPACE must be'],
    [
      { thresholds: { caCriticalDays: 200 } },
      'AUDIT_CA_CRITICAL_DAYS must not exceed AUDIT_CA_WARNING_DAYS',
    ],
    [{ probeConcurrency: 0 }, 'AUDIT_PROBE_CONCURRENCY must be'],
    [{ regions: ['moon-1'] }, 'AUDIT_REGIONS'],
  ])('rejects %j at synth time', (input, message) => {
    const act = () => resolveAuditSettings(input);

    expect(act).toThrow(AuditError);
    expect(act).toThrow(message);
  });
});

describe('rateExpression', () => {
  it.each([
    [Duration.hours(6), 'rate(6 hours)'],
    [Duration.hours(1), 'rate(1 hour)'],
    [Duration.minutes(90), 'rate(90 minutes)'],
    [Duration.days(1), 'rate(1 day)'],
    [Duration.hours(48), 'rate(2 days)'],
  ])('writes %s as %s', (duration, expected) => {
    expect(rateExpression(duration)).toBe(expected);
  });
});
