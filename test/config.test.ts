import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig } from '../lambda/config.js';
import { AuditError } from '../lambda/engine/errors.js';
import { DEFAULT_THRESHOLDS } from '../lambda/engine/types.js';

describe('loadConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    const config = loadConfig({});

    expect(config).toEqual({
      regions: null,
      thresholds: DEFAULT_THRESHOLDS,
      probeTimeoutMs: 5000,
      probeConcurrency: 16,
      describeConcurrency: 5,
      connectTo: [],
      namespace: 'EKSCertificateAudit',
      perClusterMetrics: true,
      topicArn: null,
      stateTable: null,
      reminderHours: 24,
      unreachableAlertRuns: 2,
      dashboardUrl: null,
    });
    expect(DEFAULT_CONFIG).toEqual(config);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      AUDIT_REGIONS: 'us-east-1, eu-west-1,us-east-1',
      AUDIT_SERVER_CERT_WARNING_DAYS: '20',
      AUDIT_SERVER_CERT_CRITICAL_DAYS: '5',
      AUDIT_CA_WARNING_DAYS: '365',
      AUDIT_CA_CRITICAL_DAYS: '60',
      AUDIT_CA_ACTIVATION_WARNING_DAYS: '45',
      AUDIT_CA_ACTIVATION_CRITICAL_DAYS: '10',
      AUDIT_PROBE_TIMEOUT_SECONDS: '2.5',
      AUDIT_PROBE_CONCURRENCY: '32',
      AUDIT_DESCRIBE_CONCURRENCY: '3',
      AUDIT_CONNECT_TO:
        'a.example:443:127.0.0.1:8443  b.example:443:127.0.0.1:9443',
      AUDIT_NAMESPACE: 'Team/EKS',
      AUDIT_PER_CLUSTER_METRICS: 'false',
      AUDIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:alerts',
      AUDIT_STATE_TABLE: 'audit-state',
      AUDIT_REMINDER_HOURS: '12',
      AUDIT_UNREACHABLE_ALERT_RUNS: '3',
      AUDIT_DASHBOARD_URL: 'https://console.example/dash',
    });

    expect(config.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(config.thresholds).toEqual({
      serverCertWarningDays: 20,
      serverCertCriticalDays: 5,
      caWarningDays: 365,
      caCriticalDays: 60,
      caActivationWarningDays: 45,
      caActivationCriticalDays: 10,
    });
    expect(config.probeTimeoutMs).toBe(2500);
    expect(config.probeConcurrency).toBe(32);
    expect(config.describeConcurrency).toBe(3);
    expect(config.connectTo).toEqual([
      'a.example:443:127.0.0.1:8443',
      'b.example:443:127.0.0.1:9443',
    ]);
    expect(config.namespace).toBe('Team/EKS');
    expect(config.perClusterMetrics).toBe(false);
    expect(config.topicArn).toBe('arn:aws:sns:us-east-1:111122223333:alerts');
    expect(config.stateTable).toBe('audit-state');
    expect(config.reminderHours).toBe(12);
    expect(config.unreachableAlertRuns).toBe(3);
    expect(config.dashboardUrl).toBe('https://console.example/dash');
  });

  it('lets flags override the variables', () => {
    const config = loadConfig(
      { AUDIT_REGIONS: 'us-east-1', AUDIT_PROBE_TIMEOUT_SECONDS: '9' },
      { regions: 'eu-central-1', timeout: '1', concurrency: '4' },
    );

    expect(config.regions).toEqual(['eu-central-1']);
    expect(config.probeTimeoutMs).toBe(1000);
    expect(config.probeConcurrency).toBe(4);
  });

  it.each([
    ['AUDIT_PROBE_TIMEOUT_SECONDS', 'soon', 'must be a number from 0.1 to 60'],
    ['AUDIT_PROBE_TIMEOUT_SECONDS', '0', 'must be a number from 0.1 to 60'],
    ['AUDIT_PROBE_CONCURRENCY', '2.5', 'must be a whole number from 1 to 256'],
    ['AUDIT_PROBE_CONCURRENCY', '-1', 'must be a whole number from 1 to 256'],
    ['AUDIT_REGIONS', 'us-east-1,Mars', 'must be a comma-separated list'],
    ['AUDIT_REGIONS', ' , ', 'must be a comma-separated list'],
    ['AUDIT_PER_CLUSTER_METRICS', 'yes', 'must be true or false'],
    ['AUDIT_TOPIC_ARN', 'my-topic', 'must be an SNS topic ARN'],
    ['AUDIT_STATE_TABLE', 'a b', 'must be a DynamoDB table name'],
    ['AUDIT_CA_WARNING_DAYS', 'NaN', 'must be a number from 0 to 3650'],
    ['AUDIT_DASHBOARD_URL', 'http://x', 'must be an https:// URL'],
  ])(
    'rejects %s=%j naming the variable, the rule and the value',
    (name, value, rule) => {
      const act = () => loadConfig({ [name]: value });

      expect(act).toThrow(AuditError);
      expect(act).toThrow(rule);
      expect(act).toThrow(name);
      expect(act).toThrow(JSON.stringify(value));
    },
  );

  it('rejects a critical threshold above its warning threshold', () => {
    const act = () =>
      loadConfig({
        AUDIT_CA_WARNING_DAYS: '20',
        AUDIT_CA_CRITICAL_DAYS: '30',
      });

    expect(act).toThrow(
      'AUDIT_CA_CRITICAL_DAYS must not exceed AUDIT_CA_WARNING_DAYS, got 30 and 20',
    );
  });

  it('names the flag when a flag value is wrong', () => {
    expect(() => loadConfig({}, { timeout: 'x' })).toThrow(
      '--timeout must be a number from 0.1 to 60, got "x"',
    );
  });
});

describe('loadConfig connect-to rules', () => {
  it('names AUDIT_CONNECT_TO when one of its rules is wrong', () => {
    expect(() =>
      loadConfig({ AUDIT_CONNECT_TO: 'a.example:443:127.0.0.1:1 garbage' }),
    ).toThrow('AUDIT_CONNECT_TO entry "garbage"');
  });

  it('checks rules given as flags', () => {
    expect(() => loadConfig({}, { connectTo: ['nonsense'] })).toThrow(
      'connect-to rule "nonsense"',
    );
  });
});
