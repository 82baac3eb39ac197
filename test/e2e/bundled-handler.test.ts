import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleHandler } from '../../infra/lambda-bundle.js';
import { STATE_TTL_DAYS } from '../../lambda/alerts/alert-state.js';
import {
  type LocalServer,
  startLocalTlsServer,
  startResettingServer,
  type TlsConnectionRecord,
} from '../../lambda/demo/local-tls-server.js';
import {
  type AwsStandIn,
  type RecordedCall,
  startAwsStandIn,
} from './aws-stand-in.js';
import {
  type CloudWatchEmulation,
  cloudWatchEmulation,
  type ReceivedDatum,
} from './cloudwatch-emulation.js';
import {
  type DynamoDbEmulation,
  dynamoDbEmulation,
  type WireItem,
} from './dynamodb-emulation.js';
import { buildE2eFleet, E2E_ACCOUNT, type E2eFleet } from './e2e-fleet.js';
import { eksEmulation } from './eks-emulation.js';
import { accountEmulation, stsEmulation } from './identity-emulations.js';
import {
  type ChildRun,
  logLines,
  runBundledHandler,
  stopRunningChildren,
} from './run-bundled-handler.js';
import { type SnsEmulation, snsEmulation } from './sns-emulation.js';

const REGIONS = ['us-west-2', 'eu-west-1'];
const TOPIC_ARN = `arn:aws:sns:us-west-2:${E2E_ACCOUNT}:eks-cert-audit-alerts`;
const STATE_TABLE = 'eks-cert-audit-state';
const FUNCTION_ARN = `arn:aws:lambda:us-west-2:${E2E_ACCOUNT}:function:eks-cert-audit`;
const ACCESS_KEY_ID = 'AKIAE2EFAKEACCESSKEY';
const DAY_MS = 86_400_000;

/**
 * A scheduled event in EventBridge's shape. The schedule of the stack sets
 * no input, so what Scheduler delivers may be less; the second run sends
 * an empty object, and the handler reads neither.
 */
const SCHEDULED_EVENT = {
  version: '0',
  id: '9b1f6c3a-2f0e-4d8a-b0c4-4c6a8d5e2e2e',
  'detail-type': 'Scheduled Event',
  source: 'aws.scheduler',
  account: E2E_ACCOUNT,
  time: '2026-01-01T00:00:00Z',
  region: 'us-west-2',
  resources: [
    `arn:aws:scheduler:us-west-2:${E2E_ACCOUNT}:schedule/default/eks-cert-audit`,
  ],
  detail: '{}',
};

interface RunRecord {
  readonly child: ChildRun;
  /** The stand-in's calls made during this run. */
  readonly calls: readonly RecordedCall[];
  readonly datums: readonly ReceivedDatum[];
  /** The state table after the run, by cluster key. */
  readonly state: ReadonlyMap<string, WireItem>;
  readonly published: number;
}

describe('bundled handler against the local AWS stand-in', () => {
  let workDir: string;
  let bundle: string;
  let fleet: E2eFleet;
  let standIn: AwsStandIn;
  let cloudWatch: CloudWatchEmulation;
  let sns: SnsEmulation;
  let dynamoDb: DynamoDbEmulation;
  let tlsServer: LocalServer;
  let sentinel: LocalServer;
  const handshakes: TlsConnectionRecord[] = [];
  let first: RunRecord;

  async function runOnce(event: unknown): Promise<RunRecord> {
    const callsBefore = standIn.calls.length;
    const datumsBefore = cloudWatch.datums.length;
    const publishedBefore = sns.published.length;
    const child = await runBundledHandler({
      bundle,
      event,
      functionArn: FUNCTION_ARN,
      functionTimeoutMs: 600_000,
      env: childEnv(),
      killAfterMs: 25_000,
    });
    await tlsServer.whenIdle();
    return {
      child,
      calls: standIn.calls.slice(callsBefore),
      datums: cloudWatch.datums.slice(datumsBefore),
      state: new Map(dynamoDb.table(STATE_TABLE)),
      published: sns.published.length - publishedBefore,
    };
  }

  function childEnv(): Record<string, string> {
    const rules = [...fleet.chains.keys()].map(
      (host) => `${host}:443:127.0.0.1:${tlsServer.port}`,
    );
    // Last, a catch-all: any other endpoint the handler might probe lands
    // on the sentinel, which counts it, instead of leaving the machine.
    rules.push(`::127.0.0.1:${sentinel.port}`);
    return {
      PATH: process.env.PATH ?? '',
      HOME: workDir,
      TZ: 'UTC',
      AWS_ENDPOINT_URL: standIn.endpoint,
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: 'e2e-fake-secret-access-key-never-valid',
      AWS_REGION: 'us-west-2',
      AWS_DEFAULT_REGION: 'us-west-2',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(workDir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-aws-credentials'),
      AWS_LAMBDA_FUNCTION_NAME: 'eks-cert-audit',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AUDIT_REGIONS: REGIONS.join(','),
      AUDIT_CONNECT_TO: rules.join(' '),
      AUDIT_TOPIC_ARN: TOPIC_ARN,
      AUDIT_STATE_TABLE: STATE_TABLE,
      AUDIT_PROBE_TIMEOUT_SECONDS: '5',
    };
  }

  beforeAll(async () => {
    const now = new Date();
    workDir = await mkdtemp(join(tmpdir(), 'eks-cert-audit-e2e-'));
    const [bundled, built] = await Promise.all([
      bundleHandler(join(workDir, 'bundle')),
      buildE2eFleet(now),
    ]);
    bundle = bundled.file;
    fleet = built;
    cloudWatch = cloudWatchEmulation();
    sns = snsEmulation([TOPIC_ARN]);
    dynamoDb = dynamoDbEmulation({
      [STATE_TABLE]: { partitionKey: 'clusterKey' },
    });
    standIn = await startAwsStandIn({
      eks: eksEmulation(fleet.eks),
      monitoring: cloudWatch,
      sns,
      dynamodb: dynamoDb,
      sts: stsEmulation(E2E_ACCOUNT),
      account: accountEmulation(REGIONS),
    });
    tlsServer = await startLocalTlsServer({
      chains: fleet.chains,
      onConnectionClosed: (record) => handshakes.push(record),
    });
    sentinel = await startResettingServer();

    first = await runOnce(SCHEDULED_EVENT);
  });

  afterAll(async () => {
    stopRunningChildren();
    await Promise.all([
      standIn?.close(),
      tlsServer?.close(),
      sentinel?.close(),
    ]);
    if (workDir !== undefined) {
      await rm(workDir, { recursive: true, force: true });
    }
  });

  describe('first run', () => {
    it('exits 0 and returns the summary of the fleet', () => {
      const { child } = first;

      expect(child.error, child.stderr).toBeNull();
      expect(child.exitCode, child.stderr).toBe(0);
      expect(child.result).toEqual({
        summary: {
          clusters: 5,
          worstSeverity: 'critical',
          byVerdict: {
            trusted: 2,
            untrusted: 2,
            unreachable: 0,
            skipped: 1,
            error: 0,
          },
          bySeverity: { ok: 2, warning: 1, unknown: 0, critical: 2 },
        },
        partial: false,
        vanished: 1,
        emailSent: true,
        metricsSent: first.datums.length,
      });
    });

    it('logs the findings, and errors only for the critical ones', () => {
      const lines = logLines(first.child);
      const findings = lines.filter((l) => l.message === 'cluster finding');
      const errors = lines.filter((l) => l.level === 'ERROR');

      expect(findings.map((l) => [l.clusterName, l.level, l.reasons])).toEqual([
        ['expired', 'ERROR', ['CERT_EXPIRED']],
        ['foreign', 'ERROR', ['BAD_SIGNATURE']],
        ['rotating', 'WARN', ['CA_AUTO_ACTIVATION_SOON']],
      ]);
      expect(errors.every((l) => l.message === 'cluster finding')).toBe(true);
      expect(lines.map((l) => l.message)).toContain(
        'connect-to rewrites are active',
      );
    });

    it('makes exactly the expected AWS calls, all known to the stand-in', () => {
      const counts = countCalls(first.calls);

      expect(standIn.unknownCalls()).toEqual([]);
      expect(counts).toEqual({
        'eks us-west-2 ListClusters': 2,
        'eks us-west-2 DescribeCluster': 5,
        'eks us-west-2 ListCertificateAuthorities': 4,
        'eks us-west-2 DescribeCertificateAuthority': 5,
        'eks eu-west-1 ListClusters': 1,
        'eks eu-west-1 DescribeCluster': 1,
        'eks eu-west-1 ListCertificateAuthorities': 1,
        'dynamodb us-west-2 BatchGetItem': 1,
        'dynamodb us-west-2 BatchWriteItem': 1,
        'monitoring us-west-2 PutMetricData': 2,
        'sns us-west-2 Publish': 1,
      });
    });

    it('signs every call with the fake credentials of the environment', () => {
      const keys = new Set(first.calls.map((call) => call.accessKeyId));

      expect([...keys]).toEqual([ACCESS_KEY_ID]);
    });

    it('sends nothing anywhere but 127.0.0.1 and resolves no name', () => {
      const network = first.child.network;
      const standInPort = Number(new URL(standIn.endpoint).port);

      expect(network).not.toBeNull();
      expect(network?.lookups).toEqual([]);
      expect(network?.httpRequests).toHaveLength(first.calls.length);
      for (const request of network?.httpRequests ?? []) {
        expect(request.host).toBe('127.0.0.1');
      }
      for (const connection of network?.connections ?? []) {
        expect(connection.host).toBe('127.0.0.1');
        expect([standInPort, tlsServer.port]).toContain(connection.port);
      }
      expect(sentinel.stats().accepted).toBe(0);
    });

    it('probes each public endpoint once, by its name, without sending data', () => {
      const names = handshakes.map((record) => record.servername).sort();

      expect(names).toEqual([...fleet.chains.keys()].sort());
      for (const record of handshakes) {
        expect(record.handshakeCompleted).toBe(true);
        expect(record.applicationBytes).toBe(0);
      }
    });

    it('sends every datum to the namespace and the heartbeat last, alone', () => {
      const calls = new Set(first.datums.map((d) => d.call));
      const last = first.datums.filter((d) => d.call === Math.max(...calls));

      expect(new Set(first.datums.map((d) => d.namespace))).toEqual(
        new Set(['EKSCertificateAudit']),
      );
      expect(last).toHaveLength(1);
      expect(last[0]).toMatchObject({
        metricName: 'AuditSucceeded',
        dimensions: { AccountId: E2E_ACCOUNT },
        value: 1,
        unit: 'Count',
      });
    });

    it('stamps every datum with the run start', () => {
      const stamps = new Set(first.datums.map((d) => d.timestamp?.getTime()));

      expect(stamps.size).toBe(1);
      const [stamp] = [...stamps];
      expect(stamp).toBeGreaterThanOrEqual(
        first.child.startedAt.getTime() - 1000,
      );
      expect(stamp).toBeLessThanOrEqual(first.child.endedAt.getTime());
    });

    it.each([
      ['healthy', 'us-west-2', 1, 0],
      ['rotating', 'us-west-2', 1, 1],
      ['expired', 'us-west-2', 0, 3],
      ['foreign', 'us-west-2', 0, 3],
      ['private', 'eu-west-1', null, 0],
    ])(
      'sends the figures of %s (%s): trusted %s, severity rank %s',
      (name, region, trusted, rank) => {
        const mine = first.datums.filter(
          (d) => d.dimensions.ClusterName === name,
        );
        const value = (metric: string) =>
          mine.find((d) => d.metricName === metric)?.value;
        const cluster = fleet.clusters.get(name);

        for (const datum of mine) {
          expect(datum.dimensionNames).toEqual([
            'AccountId',
            'Region',
            'ClusterName',
          ]);
          expect(datum.dimensions).toEqual({
            AccountId: E2E_ACCOUNT,
            Region: region,
            ClusterName: name,
          });
          expect(datum.unit).toBe('None');
        }
        expect(value('ChainTrusted')).toBe(trusted ?? undefined);
        expect(value('Severity')).toBe(rank);
        expectDays(
          value('ClusterCADaysToExpiry'),
          cluster?.signingCaNotAfter ?? null,
          first.child,
        );
        expectDays(
          value('ServerCertificateDaysToExpiry'),
          cluster?.leafNotAfter ?? null,
          first.child,
        );
      },
    );

    it('sends the account figures', () => {
      const account = first.datums.filter(
        (d) => d.dimensionNames.join() === 'AccountId',
      );
      const byName = new Map(account.map((d) => [d.metricName, d]));
      const leafEnds = [...fleet.clusters.values()].flatMap((c) =>
        c.leafNotAfter === null ? [] : [c.leafNotAfter],
      );
      const caEnds = [...fleet.clusters.values()].map(
        (c) => c.signingCaNotAfter,
      );

      expect(
        Object.fromEntries(
          [...byName].flatMap(([name, d]) =>
            d.unit === 'Count' ? [[name, d.value]] : [],
          ),
        ),
      ).toEqual({
        ClustersAudited: 5,
        ClustersCritical: 2,
        ClustersWarning: 1,
        ClustersUnreachable: 0,
        ClustersSkipped: 1,
        ClustersErrored: 0,
        RegionsFailed: 0,
        AuditSucceeded: 1,
      });
      expectDays(
        byName.get('MinServerCertificateDaysToExpiry')?.value,
        new Date(Math.min(...leafEnds.map((d) => d.getTime()))),
        first.child,
      );
      expectDays(
        byName.get('MinClusterCADaysToExpiry')?.value,
        new Date(Math.min(...caEnds.map((d) => d.getTime()))),
        first.child,
      );
      const duration = byName.get('AuditDurationSeconds');
      expect(duration?.unit).toBe('Seconds');
      expect(duration?.value).toBeGreaterThan(0);
      expect(duration?.value).toBeLessThan(
        (first.child.endedAt.getTime() - first.child.startedAt.getTime()) /
          1000,
      );
    });

    it('publishes one digest naming the clusters that need action', () => {
      const [message] = sns.published;

      expect(first.published).toBe(1);
      expect(message?.topicArn).toBe(TOPIC_ARN);
      expect(message?.subject).toMatch(/^\[CRITICAL\] [\x20-\x7e]{1,88}$/);
      expect(message?.subject).toContain(E2E_ACCOUNT);
      expect(message?.subject).toContain('3 clusters need action');
      for (const name of ['expired', 'foreign', 'rotating']) {
        expect(message?.message).toContain(
          `eks-cert-audit check ${name} --region us-west-2`,
        );
      }
      for (const name of ['healthy', 'private', 'gone']) {
        expect(message?.message).not.toContain(`eks-cert-audit check ${name}`);
      }
      expect(message?.attributes).toEqual({
        severity: { dataType: 'String', value: 'critical' },
        accountId: { dataType: 'String', value: E2E_ACCOUNT },
      });
    });

    it.each([
      ['healthy', 'us-west-2', 'ok', false],
      ['rotating', 'us-west-2', 'warning', true],
      ['expired', 'us-west-2', 'critical', true],
      ['foreign', 'us-west-2', 'critical', true],
      ['private', 'eu-west-1', 'ok', false],
    ])(
      'saves the alert state of %s (%s): %s, notified %s',
      (name, region, severity, notified) => {
        const item = first.state.get(`${E2E_ACCOUNT}/${region}/${name}`);
        const { startedAt, endedAt } = first.child;
        const ttl = STATE_TTL_DAYS * DAY_MS;

        expect(item?.clusterKey).toEqual({
          S: `${E2E_ACCOUNT}/${region}/${name}`,
        });
        expect(item?.severity).toEqual({ S: severity });
        const expiresAt = Number(item?.expiresAt?.N) * 1000;
        expect(expiresAt).toBeGreaterThanOrEqual(
          startedAt.getTime() + ttl - 1000,
        );
        expect(expiresAt).toBeLessThanOrEqual(endedAt.getTime() + ttl);
        expect(item?.notifiedAt?.S !== undefined).toBe(notified);
      },
    );

    it('saves no state for the cluster that vanished', () => {
      expect([...first.state.keys()].sort()).toEqual([
        `${E2E_ACCOUNT}/eu-west-1/private`,
        `${E2E_ACCOUNT}/us-west-2/expired`,
        `${E2E_ACCOUNT}/us-west-2/foreign`,
        `${E2E_ACCOUNT}/us-west-2/healthy`,
        `${E2E_ACCOUNT}/us-west-2/rotating`,
      ]);
    });
  });

  describe('second run, with the state of the first and an empty event', () => {
    let second: RunRecord;

    beforeAll(async () => {
      handshakes.length = 0;
      second = await runOnce({});
    });

    it('exits 0 with the same summary and sends no email', () => {
      const { child } = second;

      expect(child.error, child.stderr).toBeNull();
      expect(child.exitCode, child.stderr).toBe(0);
      expect(child.result?.summary).toEqual(first.child.result?.summary);
      expect(child.result?.emailSent).toBe(false);
      expect(second.published).toBe(0);
    });

    it('sends the metrics again, heartbeat last', () => {
      const names = (datums: readonly ReceivedDatum[]) =>
        datums.map((d) => `${d.metricName} ${d.dimensions.ClusterName ?? ''}`);

      expect(second.child.result?.metricsSent).toBe(second.datums.length);
      expect(names(second.datums)).toEqual(names(first.datums));
      expect(second.datums.at(-1)?.metricName).toBe('AuditSucceeded');
    });

    it('reads and writes the state once, and makes no other new calls', () => {
      expect(standIn.unknownCalls()).toEqual([]);
      expect(countCalls(second.calls)).toEqual({
        ...countCalls(first.calls),
        'sns us-west-2 Publish': undefined,
      });
      expect(second.child.network?.lookups).toEqual([]);
      expect(sentinel.stats().accepted).toBe(0);
    });

    it('keeps when each cluster was notified and changed', () => {
      for (const [key, item] of second.state) {
        const before = first.state.get(key);
        expect(item.notifiedAt, key).toEqual(before?.notifiedAt);
        expect(item.changedAt, key).toEqual(before?.changedAt);
      }
    });
  });
});

function countCalls(
  calls: readonly RecordedCall[],
): Record<string, number | undefined> {
  const counts: Record<string, number | undefined> = {};
  for (const call of calls) {
    const key = `${call.service} ${call.region} ${call.operation}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * Checks a days figure against a certificate's end: the run's clock lay
 * between the child's start and end, and days are never rounded.
 */
function expectDays(
  value: unknown,
  notAfter: Date | null,
  run: ChildRun,
): void {
  if (notAfter === null) {
    expect(value).toBeUndefined();
    return;
  }
  expect(typeof value === 'number' && Number.isFinite(value)).toBe(true);
  const days = (at: Date) => (notAfter.getTime() - at.getTime()) / DAY_MS;
  const slack = 2000 / DAY_MS;
  expect(value).toBeGreaterThanOrEqual(days(run.endedAt) - slack);
  expect(value).toBeLessThanOrEqual(days(run.startedAt) + slack);
}
