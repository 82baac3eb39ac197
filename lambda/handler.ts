import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { auditAccount } from './account-audit.js';
import { accountIdFromArn } from './adapters/eks-cluster-target.js';
import { publishClients } from './adapters/publish-clients.js';
import { publishRun } from './alerts/publish-run.js';
import { loadConfig } from './config.js';
import type { AuditLogger } from './engine/logger.js';
import type { ReportSummary } from './engine/types.js';
import { logFindings } from './output/log-findings.js';

const logger = new Logger({ serviceName: 'eks-cert-audit' });

/**
 * Time kept back from the function's timeout for publishing: no probe
 * starts later than this before the end, so metrics, state and the email
 * still go out when a huge fleet does not fit in one run.
 */
const PUBLISH_RESERVE_MS = 60_000;

const log: AuditLogger = {
  debug: (message, fields) => logger.debug(message, { ...fields }),
  info: (message, fields) => logger.info(message, { ...fields }),
  warn: (message, fields) => logger.warn(message, { ...fields }),
  error: (message, fields) => logger.error(message, { ...fields }),
};

/** What one scheduled run returns (and the on-failure destination sees). */
export interface HandlerResult {
  readonly summary: ReportSummary;
  readonly partial: boolean;
  readonly vanished: number;
  readonly emailSent: boolean;
  readonly metricsSent: number;
}

/**
 * The scheduled entry point: audits the account's EKS fleet with the
 * `AUDIT_*` configuration, logs the findings, then publishes metrics,
 * alert state and the email digest.
 *
 * Fails (so that the Errors alarm fires) when the configuration is
 * invalid or anything could not be published; whatever could be published
 * is published first.
 */
export async function handler(
  _event: unknown,
  context: Context,
): Promise<HandlerResult> {
  const started = Date.now();
  // Report times are to the second; the duration is measured exactly.
  const startedAt = new Date(Math.floor(started / 1000) * 1000);
  const config = loadConfig(process.env);
  const accountId = accountIdFromArn(context.invokedFunctionArn);
  const homeRegion = process.env.AWS_REGION ?? 'us-east-1';
  const remaining = context.getRemainingTimeInMillis();

  const { report, vanished } = await auditAccount({
    config,
    accountId,
    homeRegion,
    logger: log,
    now: startedAt,
    deadline: Date.now() + Math.max(0, remaining - PUBLISH_RESERVE_MS),
  });
  logFindings(log, report, vanished);
  const outcome = await publishRun({
    report,
    accountId: accountId ?? 'unknown',
    startedAt,
    durationSeconds: (Date.now() - started) / 1000,
    config,
    clients: publishClients(homeRegion),
    logger: log,
  });

  return {
    summary: outcome.report.summary,
    partial: outcome.report.partial,
    vanished,
    emailSent: outcome.emailSent,
    metricsSent: outcome.metrics.sent,
  };
}
