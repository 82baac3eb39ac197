import {
  type CloudWatchClient,
  type MetricDatum,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  type BatchLimits,
  batchMetricDatums,
} from '../alerts/batch-metric-datums.js';
import { type AuditLogger, silentLogger } from '../engine/logger.js';

/** How a failed call is tried again. */
export interface RetryOptions {
  /** Further attempts after the first. @default 2 */
  readonly retries?: number;
  /** Wait before the first retry, doubled for each next one. @default 200 */
  readonly baseDelayMs?: number;
  /** Waits; tests pass one that returns at once. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default silentLogger */
  readonly logger?: AuditLogger;
}

/** What a PutMetricData round did. */
export interface PutMetricsResult {
  /** Datums CloudWatch accepted. */
  readonly sent: number;
  readonly failedBatches: number;
  /** Datums in the failed batches. */
  readonly failedDatums: number;
  /** The last error of each failed batch. */
  readonly errors: readonly Error[];
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends datums to CloudWatch in calls of at most 1000 datums and under
 * 1 MB, one call after another. A failed call is retried with a doubling
 * wait on top of the SDK's own retries; a call that still fails is logged,
 * counted and reported, and the other calls go out regardless.
 */
export async function putMetricDatums(
  client: CloudWatchClient,
  namespace: string,
  datums: readonly MetricDatum[],
  options: RetryOptions & BatchLimits = {},
): Promise<PutMetricsResult> {
  const retries = options.retries ?? 2;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const wait = options.sleep ?? sleep;
  const logger = options.logger ?? silentLogger;
  let sent = 0;
  let failedDatums = 0;
  const errors: Error[] = [];
  const batches = batchMetricDatums(datums, options);
  for (const [index, batch] of batches.entries()) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await client.send(
          new PutMetricDataCommand({ Namespace: namespace, MetricData: batch }),
        );
        sent += batch.length;
        break;
      } catch (cause) {
        const error = asError(cause);
        if (attempt < retries) {
          logger.warn('PutMetricData failed; retrying', {
            batch: index,
            datums: batch.length,
            attempt: attempt + 1,
            error,
          });
          await wait(baseDelayMs * 2 ** attempt);
          continue;
        }
        logger.error('PutMetricData failed; batch not sent', {
          batch: index,
          datums: batch.length,
          attempts: attempt + 1,
          error,
        });
        failedDatums += batch.length;
        errors.push(error);
        break;
      }
    }
  }
  return { sent, failedBatches: errors.length, failedDatums, errors };
}

function asError(cause: unknown): Error {
  return cause instanceof Error ? cause : new Error(String(cause));
}
