import {
  CloudWatchClient,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeCertificateAuthorityCommand,
  DescribeClusterCommand,
  EKSClient,
  ListCertificateAuthoritiesCommand,
  ListClustersCommand,
} from '@aws-sdk/client-eks';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildClusterChain,
  type ClusterChain,
  toCaData,
} from '../lambda/demo/certificate-factory.js';
import {
  type LocalServer,
  startLocalTlsServer,
} from '../lambda/demo/local-tls-server.js';
import { handler } from '../lambda/handler.js';

const ACCOUNT = '111122223333';
const HEALTHY =
  'A1B2C3D4E5F60718293A4B5C6D7E8F90.gr7.us-west-2.eks.amazonaws.com';
const EXPIRED =
  'B1B2C3D4E5F60718293A4B5C6D7E8F90.gr7.us-west-2.eks.amazonaws.com';

const eks = mockClient(EKSClient);
const cloudWatch = mockClient(CloudWatchClient);
const sns = mockClient(SNSClient);
const dynamo = mockClient(DynamoDBClient);

const scheduledEvent: ScheduledEvent = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.scheduler',
  account: ACCOUNT,
  time: '2026-12-04T12:00:00Z',
  region: 'us-west-2',
  resources: [`arn:aws:scheduler:us-west-2:${ACCOUNT}:schedule/default/audit`],
  detail: {},
};

function lambdaContext(remainingMs: number): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'eks-cert-audit',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-west-2:${ACCOUNT}:function:eks-cert-audit`,
    memoryLimitInMB: '512',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    logGroupName: '/aws/lambda/eks-cert-audit',
    logStreamName: '2026/12/04/[$LATEST]abc',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function cluster(name: string, host: string, chain: ClusterChain) {
  return {
    name,
    arn: `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/${name}`,
    status: 'ACTIVE' as const,
    endpoint: `https://${host}`,
    certificateAuthority: { data: toCaData(chain.ca) },
    resourcesVpcConfig: {
      endpointPublicAccess: true,
      publicAccessCidrs: ['0.0.0.0/0'],
    },
  };
}

describe('handler', () => {
  let server: LocalServer;
  const saved = { ...process.env };

  beforeAll(async () => {
    const now = new Date();
    const healthy = await buildClusterChain({ now, host: HEALTHY });
    const expired = await buildClusterChain({
      now,
      host: EXPIRED,
      leafDaysLeft: -1,
    });
    server = await startLocalTlsServer({
      chains: new Map([
        [
          HEALTHY.toLowerCase(),
          { keyPem: healthy.leaf.keyPem, certPems: [healthy.leaf.pem] },
        ],
        [
          EXPIRED.toLowerCase(),
          { keyPem: expired.leaf.keyPem, certPems: [expired.leaf.pem] },
        ],
      ]),
    });
    Object.assign(process.env, {
      AUDIT_REGIONS: 'us-west-2',
      AUDIT_CONNECT_TO: `:443:127.0.0.1:${server.port}`,
      AUDIT_TOPIC_ARN: `arn:aws:sns:us-west-2:${ACCOUNT}:eks-cert-audit`,
      AUDIT_STATE_TABLE: 'eks-cert-audit-state',
      AUDIT_PROBE_TIMEOUT_SECONDS: '5',
      AWS_REGION: 'us-west-2',
      POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    });
    eks.on(ListClustersCommand).resolves({ clusters: ['healthy', 'expired'] });
    eks
      .on(DescribeClusterCommand, { name: 'healthy' })
      .resolves({ cluster: cluster('healthy', HEALTHY, healthy) })
      .on(DescribeClusterCommand, { name: 'expired' })
      .resolves({ cluster: cluster('expired', EXPIRED, expired) });
    eks.on(ListCertificateAuthoritiesCommand).rejects(
      Object.assign(new Error('not authorized'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    eks.on(DescribeCertificateAuthorityCommand).rejects(new Error('unused'));
    cloudWatch.on(PutMetricDataCommand).resolves({});
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    dynamo.on(BatchGetItemCommand).resolves({ Responses: {} });
    dynamo.on(BatchWriteItemCommand).resolves({ UnprocessedItems: {} });
  });

  afterEach(() => {
    cloudWatch.resetHistory();
    sns.resetHistory();
  });

  afterAll(async () => {
    process.env = saved;
    eks.restore();
    cloudWatch.restore();
    sns.restore();
    dynamo.restore();
    await server?.close();
  });

  it('audits the account on a scheduled event, publishes, and returns the summary', async () => {
    const result = await handler(scheduledEvent, lambdaContext(600_000));

    expect(result.summary.clusters).toBe(2);
    expect(result.summary.byVerdict.trusted).toBe(1);
    expect(result.summary.byVerdict.untrusted).toBe(1);
    expect(result.summary.worstSeverity).toBe('critical');
    expect(result.partial).toBe(false);
    expect(result.emailSent).toBe(true);
    expect(result.metricsSent).toBeGreaterThan(0);

    const datums = cloudWatch
      .commandCalls(PutMetricDataCommand)
      .flatMap((call) => call.args[0].input.MetricData ?? []);
    const trusted = datums.filter((d) => d.MetricName === 'ChainTrusted');
    expect(trusted.map((d) => d.Value).sort()).toEqual([0, 1]);
    expect(
      datums.find((d) => d.MetricName === 'AuditSucceeded')?.Dimensions,
    ).toEqual([{ Name: 'AccountId', Value: ACCOUNT }]);

    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish?.Subject).toContain(ACCOUNT);
    expect(publish?.Message).toContain('expired');
    expect(publish?.MessageAttributes?.severity?.StringValue).toBe('critical');
  });

  it('stops probing when the time left is spent and reports a partial run', async () => {
    const result = await handler(scheduledEvent, lambdaContext(1_000));

    expect(result.partial).toBe(true);
    expect(result.summary.byVerdict.skipped).toBe(2);
    const names = cloudWatch
      .commandCalls(PutMetricDataCommand)
      .flatMap((call) => call.args[0].input.MetricData ?? [])
      .map((d) => d.MetricName);
    expect(names).not.toContain('AuditSucceeded');
  });

  it('fails at start naming a bad variable', async () => {
    process.env.AUDIT_PROBE_CONCURRENCY = 'many';

    await expect(
      handler(scheduledEvent, lambdaContext(600_000)),
    ).rejects.toThrow(
      'AUDIT_PROBE_CONCURRENCY must be a whole number from 1 to 256, got "many"',
    );

    delete process.env.AUDIT_PROBE_CONCURRENCY;
  });
});
