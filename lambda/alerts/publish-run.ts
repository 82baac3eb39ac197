import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import { putMetricDatums } from '../adapters/cloudwatch-metrics.js';
import {
  readAlertStates,
  writeAlertStates,
} from '../adapters/dynamodb-state.js';
import { publishDigest } from '../adapters/sns-digest.js';
import type { AuditLogger } from '../engine/logger.js';
import type { AuditReport } from '../engine/types.js';
import {
  clusterKey,
  EMPTY_SNAPSHOT,
  type StateSnapshot,
} from './alert-state.js';
import { buildMetricDatums, heartbeatDatums } from './metric-datums.js';
import { planRun, statesAfterRun } from './plan-run.js';
import type { PublishConfig } from './publish-config.js';
import { PublishError, type PublishOutcome } from './publish-outcome.js';

export type { PublishConfig } from './publish-config.js';
export { PublishError, type PublishOutcome } from './publish-outcome.js';

/** The AWS clients publishing uses; tests inject stubbed ones. */
export interface PublishClients {
  readonly cloudWatch: CloudWatchClient;
  readonly sns: SNSClient;
  readonly dynamoDb: DynamoDBClient;
}

/** Waits and retries of the publishing calls; tests make them instant. */
export interface PublishTiming {
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Everything {@link publishRun} needs. */
export interface PublishRunInput {
  readonly report: AuditReport;
  /** The account the run audited. */
  readonly accountId: string;
  readonly startedAt: Date;
  readonly durationSeconds: number;
  readonly config: PublishConfig;
  readonly clients: PublishClients;
  readonly logger: AuditLogger;
  readonly timing?: PublishTiming;
}

/**
 * Publishes one run (design sections 6 and 7): reads the alert state,
 * adds `SIGNING_CA_CHANGED`, sends the metrics, sends at most one digest,
 * saves the state, and last, only when the run was complete and every
 * part succeeded, sends the `AuditSucceeded` heartbeat in its own call.
 *
 * A part that fails does not stop the others. When any failed, the
 * function throws a {@link PublishError} (`PUBLISH_FAILED`) at the end.
 * Unreadable state is reported as unknown: the digest names every cluster
 * that needs action rather than staying silent, and the run fails. The
 * clients' own timeouts and retries bound each call.
 */
export async function publishRun(
  input: PublishRunInput,
): Promise<PublishOutcome> {
  const { accountId, config, clients, logger, startedAt } = input;
  const sleep = input.timing?.sleep;
  const calls = { logger, ...(sleep && { sleep }) };
  const errors: string[] = [];

  let snapshot: StateSnapshot = EMPTY_SNAPSHOT;
  if (config.stateTable !== null) {
    const keys = input.report.clusters.map((c) => clusterKey(c, accountId));
    const read = await readAlertStates(
      clients.dynamoDb,
      config.stateTable,
      keys,
      calls,
    );
    snapshot = read.snapshot;
    if (read.errors.length > 0) {
      errors.push(
        `reading alert state failed for ${snapshot.unreadable.size} ` +
          `clusters: ${messages(read.errors)}`,
      );
    }
  }
  const plan = planRun(input.report, accountId, config, snapshot, startedAt);

  const built = buildMetricDatums({
    report: plan.report,
    accountId,
    startedAt,
    durationSeconds: input.durationSeconds,
    perClusterMetrics: config.perClusterMetrics,
  });
  if (built.dropped.length > 0) {
    logger.warn('metric datums dropped for invalid dimension values', {
      dropped: built.dropped.length,
      examples: built.dropped.slice(0, 5),
    });
  }
  const put = await putMetricDatums(
    clients.cloudWatch,
    config.namespace,
    built.datums,
    calls,
  );
  if (put.failedBatches > 0) {
    errors.push(
      `PutMetricData failed for ${put.failedBatches} batches ` +
        `(${put.failedDatums} datums): ${messages(put.errors)}`,
    );
  }

  let emailSent = false;
  if (plan.email !== null && config.topicArn !== null) {
    try {
      await publishDigest(clients.sns, config.topicArn, plan.email, accountId);
      emailSent = true;
    } catch (cause) {
      logger.error('SNS Publish of the digest failed', { error: cause });
      errors.push(`SNS Publish of the digest failed: ${messages([cause])}`);
    }
  } else if (plan.email !== null) {
    logger.info('digest composed but no topic is configured', {
      subject: plan.email.subject,
    });
  }

  let stateWritten = 0;
  if (config.stateTable !== null) {
    const states = statesAfterRun(
      plan,
      { emailSent, topicConfigured: config.topicArn !== null },
      startedAt,
    );
    const write = await writeAlertStates(
      clients.dynamoDb,
      config.stateTable,
      states,
      calls,
    );
    stateWritten = write.written;
    if (write.failed > 0) {
      errors.push(
        `writing alert state failed for ${write.failed} clusters: ` +
          messages(write.errors),
      );
    }
  }

  let heartbeatSent = false;
  let heartbeatFailedBatches = 0;
  if (errors.length === 0 && !plan.report.partial) {
    const beat = await putMetricDatums(
      clients.cloudWatch,
      config.namespace,
      heartbeatDatums(accountId, startedAt).datums,
      calls,
    );
    heartbeatSent = beat.sent > 0;
    heartbeatFailedBatches = beat.failedBatches;
    if (!heartbeatSent) {
      errors.push(
        `the AuditSucceeded heartbeat failed: ${messages(beat.errors)}`,
      );
    }
  } else {
    logger.warn('AuditSucceeded heartbeat withheld', {
      partial: plan.report.partial,
      failedParts: errors.length,
    });
  }

  const outcome: PublishOutcome = {
    report: plan.report,
    metrics: {
      sent: put.sent + (heartbeatSent ? 1 : 0),
      failedBatches: put.failedBatches + heartbeatFailedBatches,
      dropped: built.dropped.length,
      heartbeatSent,
    },
    email:
      plan.email === null
        ? null
        : { subject: plan.email.subject, body: plan.email.body },
    emailSent,
    stateWritten,
    errors,
  };
  logger.info('audit published', {
    metricsSent: outcome.metrics.sent,
    metricBatchesFailed: outcome.metrics.failedBatches,
    metricsDropped: outcome.metrics.dropped,
    heartbeatSent,
    emailComposed: plan.email !== null,
    emailSent,
    stateWritten,
    errors,
  });
  if (errors.length > 0) throw new PublishError(outcome);
  return outcome;
}

function messages(errors: readonly unknown[]): string {
  return errors
    .map((error) =>
      error instanceof Error
        ? `${error.name}: ${error.message}`
        : String(error),
    )
    .join('; ');
}
