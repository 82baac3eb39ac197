import {
  CloudWatchClient,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { toStateItem } from '../../lambda/alerts/alert-state-item.js';
import {
  type PublishConfig,
  PublishError,
  publishRun,
} from '../../lambda/alerts/publish-run.js';
import type { AuditReport } from '../../lambda/engine/types.js';
import {
  ACCOUNT,
  cluster,
  fingerprint,
  NOW,
  recordingLogger,
  report,
  SHAPES,
} from './report-fixtures.js';

const local = {
  region: 'us-west-2',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' },
  maxAttempts: 1,
};
const clients = {
  cloudWatch: new CloudWatchClient(local),
  sns: new SNSClient(local),
  dynamoDb: new DynamoDBClient(local),
};
const cloudWatch = mockClient(clients.cloudWatch);
const sns = mockClient(clients.sns);
const dynamo = mockClient(clients.dynamoDb);

const CONFIG: PublishConfig = {
  namespace: 'EKSCertificateAudit',
  perClusterMetrics: true,
  topicArn: 'arn:aws:sns:us-west-2:111122223333:eks-cert-audit',
  stateTable: 'eks-cert-audit-state',
  reminderHours: 24,
  unreachableAlertRuns: 2,
  dashboardUrl: 'https://example.com/dashboard',
};

const instant = async (): Promise<void> => undefined;

function run(audit: AuditReport, config: PublishConfig = CONFIG) {
  const logger = recordingLogger();
  return {
    logger,
    result: publishRun({
      report: audit,
      accountId: ACCOUNT,
      startedAt: NOW,
      durationSeconds: 12,
      config,
      clients,
      logger,
      timing: { sleep: instant },
    }),
  };
}

function metricNames(): string[][] {
  return cloudWatch
    .commandCalls(PutMetricDataCommand)
    .map((call) =>
      (call.args[0].input.MetricData ?? []).map((d) => d.MetricName ?? ''),
    );
}

describe('publishRun', () => {
  beforeEach(() => {
    cloudWatch.reset();
    sns.reset();
    dynamo.reset();
    cloudWatch.on(PutMetricDataCommand).resolves({});
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    dynamo.on(BatchGetItemCommand).resolves({ Responses: {} });
    dynamo.on(BatchWriteItemCommand).resolves({});
  });

  it('publishes metrics, the digest, the state, and the heartbeat last', async () => {
    const audit = report([cluster('prod', SHAPES.expired), cluster('dev')]);

    const outcome = await run(audit).result;

    const names = metricNames();
    expect(names).toHaveLength(2);
    expect(names[0]).toContain('Severity');
    expect(names[0]).not.toContain('AuditSucceeded');
    expect(names[1]).toEqual(['AuditSucceeded']);
    expect(outcome.metrics).toEqual({
      sent: 8 + 10 + 1,
      failedBatches: 0,
      dropped: 0,
      heartbeatSent: true,
    });
    expect(outcome.emailSent).toBe(true);
    expect(outcome.email?.subject).toBe(
      '[CRITICAL] EKS certificates: prod needs action in 111122223333',
    );
    const published = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(published?.Message).toBe(outcome.email?.body);
    expect(published?.MessageAttributes?.severity?.StringValue).toBe(
      'critical',
    );
    expect(outcome.stateWritten).toBe(2);
    const written = dynamo.commandCalls(BatchWriteItemCommand)[0]?.args[0].input
      .RequestItems?.['eks-cert-audit-state'];
    expect(written?.map((w) => w.PutRequest?.Item?.notifiedAt)).toEqual([
      { S: '2026-03-01T06:00:00Z' },
      { NULL: true },
    ]);
    expect(outcome.errors).toEqual([]);
  });

  it('sends no email when nothing changed', async () => {
    const audit = report([cluster('dev')]);

    const outcome = await run(audit).result;

    expect(outcome.email).toBeNull();
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(outcome.metrics.heartbeatSent).toBe(true);
  });

  it('throws PUBLISH_FAILED after metrics and state were written when SNS fails', async () => {
    sns.on(PublishCommand).rejects(new Error('KMS key disabled'));
    const audit = report([cluster('prod', SHAPES.expired)]);

    const { result, logger } = run(audit);
    const error = await result.catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).code).toBe('PUBLISH_FAILED');
    expect((error as PublishError).message).toContain('KMS key disabled');
    const outcome = (error as PublishError).outcome;
    expect(outcome.emailSent).toBe(false);
    expect(outcome.stateWritten).toBe(1);
    expect(metricNames()).toHaveLength(1);
    expect(metricNames()[0]).toContain('Severity');
    expect(outcome.metrics.heartbeatSent).toBe(false);
    const written = dynamo.commandCalls(BatchWriteItemCommand)[0]?.args[0].input
      .RequestItems?.['eks-cert-audit-state']?.[0]?.PutRequest?.Item;
    expect(written?.severity).toEqual({ S: 'ok' });
    expect(written?.notifiedAt).toEqual({ NULL: true });
    expect(logger.lines.some((l) => l.level === 'error')).toBe(true);
  });

  it('withholds the heartbeat of a partial run without failing it', async () => {
    const audit = report([cluster('dev')], { partial: true });

    const outcome = await run(audit).result;

    expect(metricNames().flat()).not.toContain('AuditSucceeded');
    expect(outcome.metrics.heartbeatSent).toBe(false);
    expect(outcome.errors).toEqual([]);
  });

  it('withholds the heartbeat and fails when a metric batch fails', async () => {
    cloudWatch.on(PutMetricDataCommand).rejects(new Error('Throttling'));
    const audit = report([cluster('dev')]);

    const error = await run(audit).result.catch((e: unknown) => e);

    expect((error as PublishError).code).toBe('PUBLISH_FAILED');
    expect(metricNames().flat()).not.toContain('AuditSucceeded');
    expect((error as PublishError).outcome.stateWritten).toBe(1);
  });

  it('fails the run when state cannot be written, after sending the digest', async () => {
    dynamo.on(BatchWriteItemCommand).rejects(new Error('AccessDenied'));
    const audit = report([cluster('prod', SHAPES.expired)]);

    const error = await run(audit).result.catch((e: unknown) => e);

    expect((error as PublishError).outcome.emailSent).toBe(true);
    expect((error as PublishError).message).toContain(
      'writing alert state failed for 1 clusters',
    );
  });

  it('notifies about every cluster that needs action when state is unreadable', async () => {
    dynamo.on(BatchGetItemCommand).rejects(new Error('AccessDenied'));
    const audit = report([cluster('prod', SHAPES.caSoon)]);

    const error = await run(audit).result.catch((e: unknown) => e);

    const outcome = (error as PublishError).outcome;
    expect(outcome.emailSent).toBe(true);
    expect(outcome.email?.body).toContain(
      'The alert state could not be read for 1 cluster',
    );
    expect(outcome.errors[0]).toContain('reading alert state failed');
  });

  it('adds SIGNING_CA_CHANGED from the stored state before the metrics', async () => {
    const remembered = {
      clusterKey: '111122223333/eu-west-1/prod',
      severity: 'ok' as const,
      verdict: 'trusted' as const,
      reasons: [],
      serverCertificateFingerprint: fingerprint('AA'),
      caFingerprints: [fingerprint('C1')],
      signingCaFingerprint: fingerprint('C1'),
      consecutiveUnreachableRuns: 0,
      changedAt: '2026-02-01T00:00:00Z',
      notifiedAt: null,
      expiresAt: 1_775_000_000,
    };
    dynamo.on(BatchGetItemCommand).resolves({
      Responses: { 'eks-cert-audit-state': [toStateItem(remembered)] },
    });
    const audit = report([cluster('prod', { caByte: 'C2' })]);

    const outcome = await run(audit).result;

    expect(outcome.report.clusters[0]?.severity).toBe('warning');
    expect(outcome.report.summary.worstSeverity).toBe('warning');
    const severity = cloudWatch
      .commandCalls(PutMetricDataCommand)[0]
      ?.args[0].input.MetricData?.find((d) => d.MetricName === 'Severity');
    expect(severity?.Value).toBe(1);
    expect(outcome.email?.subject).toBe(
      '[WARNING] EKS certificates: prod needs action in 111122223333',
    );
  });

  it('publishes only metrics when no topic and no table are configured', async () => {
    const audit = report([cluster('prod', SHAPES.expired)]);

    const outcome = await run(audit, {
      ...CONFIG,
      topicArn: null,
      stateTable: null,
      perClusterMetrics: false,
    }).result;

    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(dynamo.calls()).toHaveLength(0);
    expect(outcome.email).not.toBeNull();
    expect(outcome.emailSent).toBe(false);
    expect(metricNames()[0]).not.toContain('Severity');
    expect(outcome.metrics.heartbeatSent).toBe(true);
  });
});
