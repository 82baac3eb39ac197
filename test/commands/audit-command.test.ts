import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import {
  CloudWatchClient,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeCertificateAuthorityCommand,
  DescribeClusterCommand,
  EKSClient,
  ListCertificateAuthoritiesCommand,
  ListClustersCommand,
} from '@aws-sdk/client-eks';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buildClusterChain,
  type ClusterChain,
  toCaData,
} from '../../lambda/demo/certificate-factory.js';
import {
  type LocalServer,
  startLocalTlsServer,
} from '../../lambda/demo/local-tls-server.js';
import type { AuditReport } from '../../lambda/engine/types.js';
import { runCli } from '../support/run-cli.js';

const NOW = new Date('2026-09-01T00:00:00Z');
const ACCOUNT = '111122223333';
const HOSTS = {
  prod: '0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com',
  stale: '1123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com',
  eu: '2123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
};

const eks = mockClient(EKSClient);
const account = mockClient(AccountClient);
const sts = mockClient(STSClient);
const cloudWatch = mockClient(CloudWatchClient);
const sns = mockClient(SNSClient);

let server: LocalServer;
let chains: Record<keyof typeof HOSTS, ClusterChain>;

function described(
  name: string,
  region: string,
  host: string,
  chain: ClusterChain,
) {
  return {
    cluster: {
      name,
      arn: `arn:aws:eks:${region}:${ACCOUNT}:cluster/${name}`,
      status: 'ACTIVE' as const,
      endpoint: `https://${host}`,
      certificateAuthority: { data: toCaData(chain.ca) },
      resourcesVpcConfig: { endpointPublicAccess: true },
    },
  };
}

function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
    $retryable: { throttling: true },
  });
}

const ENV = {
  AWS_REGION: 'us-east-1',
  AUDIT_CONNECT_TO: '',
};

beforeAll(async () => {
  chains = {
    prod: await buildClusterChain({ now: NOW, host: HOSTS.prod }),
    stale: await buildClusterChain({
      now: NOW,
      host: HOSTS.stale,
      leafDaysLeft: -4,
    }),
    eu: await buildClusterChain({ now: NOW, host: HOSTS.eu }),
  };
  server = await startLocalTlsServer({
    chains: new Map(
      (Object.keys(HOSTS) as Array<keyof typeof HOSTS>).map((key) => [
        HOSTS[key].toLowerCase(),
        { keyPem: chains[key].leaf.keyPem, certPems: [chains[key].leaf.pem] },
      ]),
    ),
  });
  ENV.AUDIT_CONNECT_TO = `:443:127.0.0.1:${server.port}`;
});

beforeEach(() => {
  for (const mock of [eks, account, sts, cloudWatch, sns]) mock.reset();
  eks
    .on(ListClustersCommand)
    .callsFake(async (_input, getClient) => {
      const region = await getClient().config.region();
      if (region === 'ap-east-1') throw throttled();
      return { clusters: region === 'us-east-1' ? ['prod', 'stale'] : ['eu'] };
    })
    .on(DescribeClusterCommand, { name: 'prod' })
    .resolves(described('prod', 'us-east-1', HOSTS.prod, chains.prod))
    .on(DescribeClusterCommand, { name: 'stale' })
    .resolves(described('stale', 'us-east-1', HOSTS.stale, chains.stale))
    .on(DescribeClusterCommand, { name: 'eu' })
    .resolves(described('eu', 'eu-west-1', HOSTS.eu, chains.eu))
    .on(ListCertificateAuthoritiesCommand)
    .resolves({ certificateAuthorities: [] })
    .on(DescribeCertificateAuthorityCommand)
    .rejects(new Error('not called'));
  account.on(ListRegionsCommand).resolves({
    Regions: [
      { RegionName: 'us-east-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
      { RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
    ],
  });
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
  cloudWatch.on(PutMetricDataCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

afterAll(async () => {
  for (const mock of [eks, account, sts, cloudWatch, sns]) mock.restore();
  await server?.close();
});

describe('eks-cert-audit audit', () => {
  it('audits every cluster of every enabled region, read-only', async () => {
    const result = await runCli(['audit', '--json'], { now: NOW, env: ENV });

    const report = JSON.parse(result.stdout) as AuditReport;
    expect(result.code).toBe(2);
    expect(report.regions.map((r) => [r.region, r.status])).toEqual([
      ['eu-west-1', 'ok'],
      ['us-east-1', 'ok'],
    ]);
    expect(report.clusters.map((c) => [c.name, c.region, c.verdict])).toEqual([
      ['stale', 'us-east-1', 'untrusted'],
      ['eu', 'eu-west-1', 'trusted'],
      ['prod', 'us-east-1', 'trusted'],
    ]);
    expect(report.clusters[0]?.accountId).toBe(ACCOUNT);
    expect(cloudWatch.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
    expect(sts.calls()).toHaveLength(0);
  });

  it('takes --regions instead of listing them, and counts a throttled region', async () => {
    const result = await runCli(
      ['audit', '--regions', 'us-east-1,ap-east-1', '--json'],
      { now: NOW, env: ENV },
    );

    const report = JSON.parse(result.stdout) as AuditReport;
    expect(account.calls()).toHaveLength(0);
    expect(result.code).toBe(2);
    expect(report.partial).toBe(true);
    expect(report.regions.find((r) => r.region === 'ap-east-1')).toMatchObject({
      status: 'failed',
    });
    expect(
      report.regions.find((r) => r.region === 'ap-east-1')?.error,
    ).toContain('ThrottlingException');
    expect(report.clusters.map((c) => c.name).sort()).toEqual([
      'prod',
      'stale',
    ]);
  });

  it('publishes metrics and the digest with --publish', async () => {
    const result = await runCli(
      [
        'audit',
        '--regions',
        'us-east-1',
        '--publish',
        '--topic-arn',
        `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`,
      ],
      { now: NOW, env: ENV },
    );

    expect(result.code).toBe(2);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
    expect(
      cloudWatch.commandCalls(PutMetricDataCommand).length,
    ).toBeGreaterThan(0);
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish?.TopicArn).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:alerts`);
    expect(publish?.Message).toContain(
      'eks-cert-audit check stale --region us-east-1',
    );
    expect(result.stderr).toContain('sent the email digest');
    expect(result.stdout).toMatch(/^CLUSTER\s+REGION/);
  });

  it('says when a digest had nowhere to go', async () => {
    const result = await runCli(
      ['audit', '--regions', 'us-east-1', '--publish'],
      {
        now: NOW,
        env: ENV,
      },
    );

    expect(sns.calls()).toHaveLength(0);
    expect(result.stderr).toContain(
      'composed an email digest but sent it nowhere: no topic is set',
    );
  });

  it('prints the report and exits 3 when publishing fails', async () => {
    cloudWatch
      .on(PutMetricDataCommand)
      .rejects(new Error('service unavailable'));

    const result = await runCli(
      ['audit', '--regions', 'us-east-1', '--publish', '--json'],
      { now: NOW, env: ENV },
    );

    expect(result.code).toBe(3);
    expect((JSON.parse(result.stdout) as AuditReport).clusters).toHaveLength(2);
    expect(result.stderr).toContain('eks-cert-audit: ');
  });

  it('previews the email of a first run without publishing', async () => {
    const result = await runCli(
      ['audit', '--regions', 'us-east-1', '--email-preview'],
      { now: NOW, env: ENV },
    );

    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^Subject: \[CRITICAL\]/);
    expect(result.stdout).toContain('stale');
    expect(sns.calls()).toHaveLength(0);
  });
});

describe('eks-cert-audit check', () => {
  it('checks one cluster end to end', async () => {
    const result = await runCli(
      ['check', 'stale', '--region', 'us-east-1', '--json'],
      {
        now: NOW,
        env: ENV,
      },
    );

    const report = JSON.parse(result.stdout) as AuditReport;
    expect(result.code).toBe(2);
    expect(report.clusters.map((c) => c.name)).toEqual(['stale']);
    expect(report.clusters[0]?.reasons.map((r) => r.code)).toContain(
      'CERT_EXPIRED',
    );
  });

  it('says when the cluster does not exist', async () => {
    const result = await runCli(['check', 'nope', '--region', 'us-east-1'], {
      now: NOW,
      env: ENV,
    });

    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no cluster named nope in us-east-1');
  });

  it('blames the region, not the name, when listing fails', async () => {
    const result = await runCli(['check', 'prod', '--region', 'ap-east-1'], {
      now: NOW,
      env: ENV,
    });

    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      'could not list the clusters of ap-east-1, so prod was not checked',
    );
  });
});
