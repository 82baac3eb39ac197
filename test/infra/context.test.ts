import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { parseRate, stackPropsFromContext } from '../../infra/context.js';
import { AuditError } from '../../lambda/engine/errors.js';

const reader =
  (context: Record<string, unknown>) =>
  (key: string): unknown =>
    context[key];

describe('stackPropsFromContext', () => {
  it('leaves every prop undefined when no context is given', () => {
    const props = stackPropsFromContext(reader({}));

    expect(Object.values(props).every((value) => value === undefined)).toBe(
      true,
    );
  });

  it('reads command-line strings into typed props', () => {
    const context = {
      alertEmails: 'a@example.org, b@example.org',
      schedule: 'rate(12 hours)',
      regions: 'us-east-1,eu-west-1',
      caCriticalDays: '45',
      serverCertWarningDays: '21.5',
      namespace: 'Platform/EksCerts',
      perClusterMetrics: 'false',
      reservedConcurrency: 'FALSE',
      probeConcurrency: '32',
      logLevel: 'debug',
      retainData: 'true',
      stackName: 'EksCertAuditProd',
    };

    const props = stackPropsFromContext(reader(context));

    expect(props).toMatchObject({
      alertEmails: ['a@example.org', 'b@example.org'],
      regions: ['us-east-1', 'eu-west-1'],
      thresholds: { caCriticalDays: 45, serverCertWarningDays: 21.5 },
      namespace: 'Platform/EksCerts',
      perClusterMetrics: false,
      reservedConcurrency: false,
      probeConcurrency: 32,
      logLevel: 'DEBUG',
      retainData: true,
      stackName: 'EksCertAuditProd',
    });
    expect(props.schedule?.toHours()).toBe(12);
  });

  it('reads JSON values from cdk.json', () => {
    const context = {
      alertEmails: ['ops@example.org'],
      caWarningDays: 90,
      perClusterMetrics: true,
    };

    const props = stackPropsFromContext(reader(context));

    expect(props.alertEmails).toEqual(['ops@example.org']);
    expect(props.thresholds).toEqual({ caWarningDays: 90 });
    expect(props.perClusterMetrics).toBe(true);
  });

  it('drops repeated email addresses', () => {
    const props = stackPropsFromContext(
      reader({ alertEmails: 'a@example.org,a@example.org' }),
    );

    expect(props.alertEmails).toEqual(['a@example.org']);
  });

  it.each([
    ['alertEmails', 'not-an-address', 'comma-separated email addresses'],
    ['alertEmails', 'a@example.org,,b@example.org', 'email addresses'],
    ['regions', 'us-east-1,mars-1', 'region codes'],
    ['schedule', 'cron(0 */6 * * ? *)', 'rate(6 hours)'],
    ['schedule', 'every 6 hours', 'rate(6 hours)'],
    ['caCriticalDays', '-1', 'a number from 0 to 3650'],
    ['caCriticalDays', 'thirty', 'a number from 0 to 3650'],
    ['probeConcurrency', '2.5', 'a whole number from 1 to 256'],
    ['perClusterMetrics', 'yes', 'true or false'],
    ['logLevel', 'TRACE', 'DEBUG, INFO, WARN or ERROR'],
    ['stackName', '1-bad', 'stack name'],
    ['namespace', 42, 'a string'],
  ])('rejects %s = %j, naming the rule', (key, value, rule) => {
    const read = reader({ [key]: value });

    const act = () => stackPropsFromContext(read);

    expect(act).toThrow(AuditError);
    expect(act).toThrow(`context "${key}" must be`);
    expect(act).toThrow(rule);
    expect(act).toThrow(JSON.stringify(value));
  });
});

describe('parseRate', () => {
  it.each([
    ['rate(6 hours)', Duration.hours(6)],
    ['rate(1 hour)', Duration.hours(1)],
    ['rate(90 minutes)', Duration.minutes(90)],
    ['rate(1 day)', Duration.days(1)],
    [' rate( 2 days ) ', Duration.days(2)],
  ])('reads %j', (expression, expected) => {
    expect(parseRate(expression)?.toSeconds()).toBe(expected.toSeconds());
  });

  it.each(['rate(6)', 'rate(six hours)', 'cron(0 * * * ? *)', ''])(
    'returns undefined for %j',
    (expression) => {
      expect(parseRate(expression)).toBeUndefined();
    },
  );
});
