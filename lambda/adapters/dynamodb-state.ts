import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type {
  ClusterAlertState,
  StateSnapshot,
} from '../alerts/alert-state.js';
import {
  fromStateItem,
  type StateItem,
  toStateItem,
} from '../alerts/alert-state-item.js';
import { mapWithConcurrency } from '../engine/limit-concurrency.js';
import { type AuditLogger, silentLogger } from '../engine/logger.js';
import { sleep } from './cloudwatch-metrics.js';

/** BatchGetItem takes at most 100 keys per call. */
export const MAX_KEYS_PER_GET = 100;

/** BatchWriteItem takes at most 25 requests per call. */
export const MAX_ITEMS_PER_WRITE = 25;

/** How the state store pages, retries and overlaps its calls. */
export interface StateStoreOptions {
  /** Calls for unprocessed keys or items, the first one included. @default 4 */
  readonly maxAttempts?: number;
  /** Wait before the second call, doubled for each next one. @default 100 */
  readonly baseDelayMs?: number;
  /** Batch calls in flight at once. @default 4 */
  readonly concurrency?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default silentLogger */
  readonly logger?: AuditLogger;
}

/** The state read for a run, with what went wrong. */
export interface StateRead {
  /** Keys that could not be read are in `snapshot.unreadable`. */
  readonly snapshot: StateSnapshot;
  /** Failed calls and keys left unprocessed; the run fails at its end. */
  readonly errors: readonly Error[];
  /** Records found but not in the expected shape (also unreadable). */
  readonly malformed: number;
}

/** What a state write did. */
export interface StateWrite {
  readonly written: number;
  readonly failed: number;
  readonly errors: readonly Error[];
}

/**
 * Reads the records of `keys` with BatchGetItem, 100 keys per call and
 * `concurrency` calls at once. Keys DynamoDB leaves unprocessed are asked
 * again, up to `maxAttempts` calls, with a doubling wait. A key whose call
 * failed or stayed unprocessed is marked unreadable, never absent, so that
 * the run reports its cluster instead of staying silent.
 */
export async function readAlertStates(
  client: DynamoDBClient,
  tableName: string,
  keys: readonly string[],
  options: StateStoreOptions = {},
): Promise<StateRead> {
  const settings = resolve(options);
  const states = new Map<string, ClusterAlertState>();
  const unreadable = new Set<string>();
  const errors: Error[] = [];
  let malformed = 0;
  const chunks = chunk([...new Set(keys)], MAX_KEYS_PER_GET);
  await mapWithConcurrency(chunks, settings.concurrency, async (part) => {
    let pending: StateItem[] = part.map((key) => ({ clusterKey: { S: key } }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      let response: Awaited<ReturnType<typeof getBatch>>;
      try {
        response = await getBatch(client, tableName, pending);
      } catch (cause) {
        fail(errors, cause, 'BatchGetItem failed', pending, settings.logger);
        for (const key of keysOf(pending)) unreadable.add(key);
        return;
      }
      for (const item of response.Responses?.[tableName] ?? []) {
        const state = fromStateItem(item);
        const key = item.clusterKey?.S;
        if (state !== null) {
          states.set(state.clusterKey, state);
        } else if (key !== undefined) {
          malformed += 1;
          unreadable.add(key);
          settings.logger.warn('alert state record has an unexpected shape', {
            clusterKey: key,
          });
        }
      }
      pending = response.UnprocessedKeys?.[tableName]?.Keys ?? [];
      if (pending.length === 0) return;
      if (attempt >= settings.maxAttempts) {
        const error = new Error(
          `BatchGetItem left ${pending.length} keys of ${tableName} ` +
            `unprocessed after ${attempt} calls`,
        );
        fail(
          errors,
          error,
          'alert state keys unread',
          pending,
          settings.logger,
        );
        for (const key of keysOf(pending)) unreadable.add(key);
        return;
      }
      await settings.sleep(settings.baseDelayMs * 2 ** (attempt - 1));
    }
  });
  return { snapshot: { states, unreadable }, errors, malformed };
}

/**
 * Saves records with BatchWriteItem, 25 per call and `concurrency` calls
 * at once, asking again for unprocessed items up to `maxAttempts` calls.
 * Records that could not be written are counted in `failed`, logged, and
 * reported in `errors`. When two records share a key the later one wins.
 */
export async function writeAlertStates(
  client: DynamoDBClient,
  tableName: string,
  states: readonly ClusterAlertState[],
  options: StateStoreOptions = {},
): Promise<StateWrite> {
  const settings = resolve(options);
  const byKey = new Map(states.map((state) => [state.clusterKey, state]));
  const errors: Error[] = [];
  let written = 0;
  let failed = 0;
  const chunks = chunk([...byKey.values()], MAX_ITEMS_PER_WRITE);
  await mapWithConcurrency(chunks, settings.concurrency, async (part) => {
    let pending = part.map((state) => ({
      PutRequest: { Item: toStateItem(state) },
    }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      let left: typeof pending;
      try {
        const response = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }),
        );
        left = (response.UnprocessedItems?.[tableName] ?? []).flatMap(
          (request) =>
            request.PutRequest?.Item === undefined
              ? []
              : [{ PutRequest: { Item: request.PutRequest.Item } }],
        );
      } catch (cause) {
        const items = pending.map((request) => request.PutRequest.Item);
        fail(errors, cause, 'BatchWriteItem failed', items, settings.logger);
        failed += pending.length;
        return;
      }
      written += pending.length - left.length;
      pending = left;
      if (pending.length === 0) return;
      if (attempt >= settings.maxAttempts) {
        const items = pending.map((request) => request.PutRequest.Item);
        const error = new Error(
          `BatchWriteItem left ${pending.length} records of ${tableName} ` +
            `unprocessed after ${attempt} calls`,
        );
        fail(
          errors,
          error,
          'alert state records unwritten',
          items,
          settings.logger,
        );
        failed += pending.length;
        return;
      }
      await settings.sleep(settings.baseDelayMs * 2 ** (attempt - 1));
    }
  });
  return { written, failed, errors };
}

function getBatch(
  client: DynamoDBClient,
  tableName: string,
  keys: StateItem[],
) {
  return client.send(
    new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys } } }),
  );
}

function resolve(options: StateStoreOptions) {
  return {
    maxAttempts: options.maxAttempts ?? 4,
    baseDelayMs: options.baseDelayMs ?? 100,
    concurrency: options.concurrency ?? 4,
    sleep: options.sleep ?? sleep,
    logger: options.logger ?? silentLogger,
  };
}

function fail(
  errors: Error[],
  cause: unknown,
  message: string,
  items: readonly StateItem[],
  logger: AuditLogger,
): void {
  const error = cause instanceof Error ? cause : new Error(String(cause));
  errors.push(error);
  logger.error(message, { clusterKeys: keysOf(items), error });
}

function keysOf(items: readonly StateItem[]): string[] {
  return items.flatMap((item) =>
    item.clusterKey?.S === undefined ? [] : [item.clusterKey.S],
  );
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let at = 0; at < items.length; at += size) {
    chunks.push(items.slice(at, at + size));
  }
  return chunks;
}
