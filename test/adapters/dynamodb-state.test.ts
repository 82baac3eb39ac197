import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  readAlertStates,
  writeAlertStates,
} from '../../lambda/adapters/dynamodb-state.js';
import type { ClusterAlertState } from '../../lambda/alerts/alert-state.js';
import {
  fromStateItem,
  toStateItem,
} from '../../lambda/alerts/alert-state-item.js';
import { fingerprint, recordingLogger } from '../alerts/report-fixtures.js';

const TABLE = 'eks-cert-audit-state';

const client = new DynamoDBClient({
  region: 'us-west-2',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' },
  maxAttempts: 1,
});
const dynamo = mockClient(client);

const instant = async (): Promise<void> => undefined;

function state(key: string): ClusterAlertState {
  return {
    clusterKey: key,
    severity: 'critical',
    verdict: 'untrusted',
    reasons: [
      { code: 'CERT_EXPIRED', level: 'critical' },
      { code: 'SUCCESSOR_CA_PRESENT', level: 'info' },
    ],
    serverCertificateFingerprint: fingerprint('AA'),
    caFingerprints: [fingerprint('CA'), fingerprint('CB')],
    signingCaFingerprint: fingerprint('CA'),
    consecutiveUnreachableRuns: 0,
    changedAt: '2026-03-01T06:00:00Z',
    notifiedAt: null,
    expiresAt: 1_775_000_000,
  };
}

const keys = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `111122223333/eu-west-1/c-${i}`);

type Key = Record<string, AttributeValue>;

function requestedKeys(): string[][] {
  return dynamo
    .commandCalls(BatchGetItemCommand)
    .map((call) =>
      (call.args[0].input.RequestItems?.[TABLE]?.Keys ?? []).map(
        (key: Key) => key.clusterKey?.S ?? '',
      ),
    );
}

describe('state items', () => {
  it('round-trips a record through the DynamoDB item form', () => {
    const record = state('111122223333/eu-west-1/prod');

    const item = toStateItem(record);

    expect(item.clusterKey).toEqual({ S: '111122223333/eu-west-1/prod' });
    expect(item.expiresAt).toEqual({ N: '1775000000' });
    expect(item.notifiedAt).toEqual({ NULL: true });
    expect(fromStateItem(item)).toEqual(record);
  });

  it.each([
    ['no key', { severity: { S: 'ok' } }],
    [
      'an unknown severity',
      { ...toStateItem(state('k')), severity: { S: 'bad' } },
    ],
    [
      'a negative streak',
      { ...toStateItem(state('k')), consecutiveUnreachableRuns: { N: '-1' } },
    ],
    ['no reasons', { ...toStateItem(state('k')), reasons: { S: 'x' } }],
  ])('treats an item with %s as unreadable', (_label, item) => {
    expect(fromStateItem(item as Record<string, AttributeValue>)).toBeNull();
  });

  it('skips a reason code this version does not know', () => {
    const item = toStateItem(state('k'));
    item.reasons = {
      L: [{ M: { code: { S: 'FUTURE_CODE' }, level: { S: 'warning' } } }],
    };

    expect(fromStateItem(item)?.reasons).toEqual([]);
  });
});

describe('readAlertStates', () => {
  beforeEach(() => dynamo.reset());

  it('asks for at most 100 keys per call', async () => {
    dynamo.on(BatchGetItemCommand).callsFake((input) => ({
      Responses: {
        [TABLE]: input.RequestItems[TABLE].Keys.map((key: Key) =>
          toStateItem(state(key.clusterKey?.S ?? '')),
        ),
      },
    }));

    const read = await readAlertStates(client, TABLE, keys(250));

    expect(requestedKeys().map((k) => k.length)).toEqual([100, 100, 50]);
    expect(read.snapshot.states.size).toBe(250);
    expect(read.snapshot.unreadable.size).toBe(0);
    expect(read.errors).toEqual([]);
  });

  it('asks once per key even when a key is given twice', async () => {
    dynamo.on(BatchGetItemCommand).resolves({ Responses: { [TABLE]: [] } });

    await readAlertStates(client, TABLE, ['a', 'a', 'b']);

    expect(requestedKeys()).toEqual([['a', 'b']]);
  });

  it('asks again for unprocessed keys', async () => {
    const [first, second] = keys(2);
    dynamo
      .on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [toStateItem(state(first ?? ''))] },
        UnprocessedKeys: {
          [TABLE]: { Keys: [{ clusterKey: { S: second ?? '' } }] },
        },
      })
      .resolves({ Responses: { [TABLE]: [toStateItem(state(second ?? ''))] } });
    const waits: number[] = [];

    const read = await readAlertStates(client, TABLE, keys(2), {
      sleep: async (ms) => {
        waits.push(ms);
      },
    });

    expect(requestedKeys()).toEqual([keys(2), [second]]);
    expect(read.snapshot.states.size).toBe(2);
    expect(waits).toEqual([100]);
  });

  it('marks keys still unprocessed after the last attempt unreadable', async () => {
    dynamo.on(BatchGetItemCommand).callsFake((input) => ({
      Responses: { [TABLE]: [] },
      UnprocessedKeys: { [TABLE]: { Keys: input.RequestItems[TABLE].Keys } },
    }));

    const read = await readAlertStates(client, TABLE, keys(3), {
      sleep: instant,
      maxAttempts: 3,
    });

    expect(dynamo.commandCalls(BatchGetItemCommand)).toHaveLength(3);
    expect([...read.snapshot.unreadable]).toEqual(keys(3));
    expect(read.errors).toHaveLength(1);
  });

  it('marks every key of a failed call unreadable and logs it', async () => {
    dynamo
      .on(BatchGetItemCommand)
      .rejects(new Error('ResourceNotFoundException: no table'));
    const logger = recordingLogger();

    const read = await readAlertStates(client, TABLE, keys(120), { logger });

    expect(read.snapshot.unreadable.size).toBe(120);
    expect(read.snapshot.states.size).toBe(0);
    expect(read.errors).toHaveLength(2);
    expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(2);
  });

  it('marks a malformed record unreadable', async () => {
    dynamo.on(BatchGetItemCommand).resolves({
      Responses: {
        [TABLE]: [{ clusterKey: { S: 'k' }, severity: { S: 'x' } }],
      },
    });

    const read = await readAlertStates(client, TABLE, ['k']);

    expect([...read.snapshot.unreadable]).toEqual(['k']);
    expect(read.malformed).toBe(1);
  });

  it('keeps at most the given number of calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    dynamo.on(BatchGetItemCommand).callsFake(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { Responses: { [TABLE]: [] } };
    });

    await readAlertStates(client, TABLE, keys(1000), { concurrency: 3 });

    expect(dynamo.commandCalls(BatchGetItemCommand)).toHaveLength(10);
    expect(most).toBe(3);
  });
});

describe('writeAlertStates', () => {
  beforeEach(() => dynamo.reset());

  function writtenSizes(): number[] {
    return dynamo
      .commandCalls(BatchWriteItemCommand)
      .map((call) => call.args[0].input.RequestItems?.[TABLE]?.length ?? 0);
  }

  it('writes at most 25 records per call', async () => {
    dynamo.on(BatchWriteItemCommand).resolves({});

    const result = await writeAlertStates(client, TABLE, keys(60).map(state));

    expect(writtenSizes()).toEqual([25, 25, 10]);
    expect(result).toEqual({ written: 60, failed: 0, errors: [] });
  });

  it('writes again the items DynamoDB left unprocessed', async () => {
    const records = keys(3).map(state);
    dynamo
      .on(BatchWriteItemCommand)
      .resolvesOnce({
        UnprocessedItems: {
          [TABLE]: [
            {
              PutRequest: {
                Item: toStateItem(records[2] as ClusterAlertState),
              },
            },
          ],
        },
      })
      .resolves({});

    const result = await writeAlertStates(client, TABLE, records, {
      sleep: instant,
    });

    expect(writtenSizes()).toEqual([3, 1]);
    expect(result).toEqual({ written: 3, failed: 0, errors: [] });
  });

  it('counts records left unprocessed after the last attempt as failed', async () => {
    dynamo.on(BatchWriteItemCommand).callsFake((input) => ({
      UnprocessedItems: { [TABLE]: input.RequestItems[TABLE].slice(0, 2) },
    }));

    const result = await writeAlertStates(client, TABLE, keys(5).map(state), {
      sleep: instant,
      maxAttempts: 2,
    });

    expect(writtenSizes()).toEqual([5, 2]);
    expect(result.written).toBe(3);
    expect(result.failed).toBe(2);
    expect(result.errors).toHaveLength(1);
  });

  it('counts every record of a failed call and writes the other calls', async () => {
    dynamo
      .on(BatchWriteItemCommand)
      .rejectsOnce(new Error('ProvisionedThroughputExceededException'))
      .resolves({});

    const result = await writeAlertStates(client, TABLE, keys(30).map(state), {
      concurrency: 1,
    });

    expect(result.written).toBe(5);
    expect(result.failed).toBe(25);
    expect(result.errors.map((e) => e.message)).toEqual([
      'ProvisionedThroughputExceededException',
    ]);
  });

  it('writes a key given twice once, the later record winning', async () => {
    dynamo.on(BatchWriteItemCommand).resolves({});
    const later = { ...state('k'), severity: 'ok' as const };

    await writeAlertStates(client, TABLE, [state('k'), later]);

    const items = dynamo.commandCalls(BatchWriteItemCommand)[0]?.args[0].input
      .RequestItems?.[TABLE];
    expect(items).toHaveLength(1);
    expect(items?.[0]?.PutRequest?.Item?.severity).toEqual({ S: 'ok' });
  });
});
