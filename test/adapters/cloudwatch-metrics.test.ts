import {
  CloudWatchClient,
  type MetricDatum,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { putMetricDatums } from '../../lambda/adapters/cloudwatch-metrics.js';
import { batchMetricDatums } from '../../lambda/alerts/batch-metric-datums.js';

const TIMESTAMP = new Date('2026-03-01T06:00:00Z');

// The client points at a closed local port: should the stub ever miss,
// nothing leaves the machine.
const client = new CloudWatchClient({
  region: 'us-west-2',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' },
  maxAttempts: 1,
});
const cloudWatch = mockClient(client);

function datums(count: number, clusterName = 'prod'): MetricDatum[] {
  return Array.from({ length: count }, (_, i) => ({
    MetricName: 'Severity',
    Dimensions: [
      { Name: 'AccountId', Value: '111122223333' },
      { Name: 'Region', Value: 'eu-west-1' },
      { Name: 'ClusterName', Value: `${clusterName}-${i}` },
    ],
    Timestamp: TIMESTAMP,
    Value: i % 4,
    Unit: 'None',
  }));
}

function batchSizes(): number[] {
  return cloudWatch
    .commandCalls(PutMetricDataCommand)
    .map((call) => call.args[0].input.MetricData?.length ?? 0);
}

const instant = async (): Promise<void> => undefined;

describe('putMetricDatums', () => {
  beforeEach(() => {
    cloudWatch.reset();
    cloudWatch.on(PutMetricDataCommand).resolves({});
  });

  it.each([
    [0, []],
    [1, [1]],
    [1000, [1000]],
    [1001, [1000, 1]],
    [2500, [1000, 1000, 500]],
  ])('sends %i datums in calls of %j', async (count, expected) => {
    const result = await putMetricDatums(
      client,
      'EKSCertificateAudit',
      datums(count),
    );

    expect(batchSizes()).toEqual(expected);
    expect(result).toMatchObject({ sent: count, failedBatches: 0 });
  });

  it('keeps every call under 1 MB when dimension values are long', async () => {
    const long = datums(1000, 'x'.repeat(1000));

    await putMetricDatums(client, 'EKSCertificateAudit', long);

    const calls = cloudWatch.commandCalls(PutMetricDataCommand);
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) {
      const size = Buffer.byteLength(JSON.stringify(call.args[0].input));
      expect(size).toBeLessThan(1_000_000);
    }
    expect(batchSizes().reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('sends the namespace with every call', async () => {
    await putMetricDatums(client, 'Custom/Namespace', datums(3));

    expect(
      cloudWatch.commandCalls(PutMetricDataCommand)[0]?.args[0].input.Namespace,
    ).toBe('Custom/Namespace');
  });

  it('retries a failed call with a doubling wait', async () => {
    cloudWatch
      .on(PutMetricDataCommand)
      .rejectsOnce(new Error('Throttling'))
      .rejectsOnce(new Error('Throttling'))
      .resolves({});
    const waits: number[] = [];

    const result = await putMetricDatums(
      client,
      'EKSCertificateAudit',
      datums(5),
      {
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    );

    expect(result).toMatchObject({ sent: 5, failedBatches: 0 });
    expect(waits).toEqual([200, 400]);
    expect(batchSizes()).toEqual([5, 5, 5]);
  });

  it('reports a batch that keeps failing and still sends the others', async () => {
    cloudWatch
      .on(PutMetricDataCommand)
      .callsFake((input: { MetricData: MetricDatum[] }) => {
        if (input.MetricData[0]?.Dimensions?.[2]?.Value === 'prod-1000') {
          throw new Error('InternalFailure');
        }
        return {};
      });

    const result = await putMetricDatums(
      client,
      'EKSCertificateAudit',
      datums(2500),
      { sleep: instant },
    );

    expect(result.sent).toBe(1500);
    expect(result.failedBatches).toBe(1);
    expect(result.failedDatums).toBe(1000);
    expect(result.errors.map((e) => e.message)).toEqual(['InternalFailure']);
    expect(batchSizes()).toEqual([1000, 1000, 1000, 1000, 500]);
  });
});

describe('batchMetricDatums', () => {
  it('gives no batch for no datums', () => {
    expect(batchMetricDatums([])).toEqual([]);
  });

  it('starts a new batch when the next datum would pass the byte limit', () => {
    const batches = batchMetricDatums(datums(10), { maxBytes: 600 });

    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flat()).toHaveLength(10);
  });
});
