import { KubeconfigInventory } from '../adapters/kubeconfig-inventory.js';
import {
  PublishError,
  type PublishOutcome,
} from '../alerts/publish-outcome.js';
import { type AuditConfig, loadConfig } from '../config.js';
import { type AuditRun, runAudit } from '../engine/audit.js';
import { parseConnectTo } from '../engine/connect-to.js';
import { AuditError } from '../engine/errors.js';
import { EXIT_CODES } from '../engine/severity.js';
import { targetProbe } from '../engine/target-probe.js';
import { type CommandIo, printReport, stderrLogger } from './command-io.js';
import { formatEmail, renderEmailPreview } from './email-preview.js';

/** Flags of `audit` and `check`. */
export interface AuditFlags {
  readonly regions?: string | undefined;
  readonly region?: string | undefined;
  readonly kubeconfig?: string | undefined;
  readonly publish?: boolean | undefined;
  readonly 'email-preview'?: boolean | undefined;
  readonly 'connect-to'?: readonly string[] | undefined;
  readonly timeout?: string | undefined;
  readonly concurrency?: string | undefined;
  readonly namespace?: string | undefined;
  readonly 'topic-arn'?: string | undefined;
  readonly 'state-table'?: string | undefined;
  readonly json?: boolean | undefined;
}

/**
 * `audit`: every cluster of every enabled (or `--regions`) region with the
 * user's AWS credentials, read-only unless `--publish`; or, with
 * `--kubeconfig`, every cluster entry of a kubeconfig without any AWS call.
 */
export async function auditCommand(
  io: CommandIo,
  flags: AuditFlags,
): Promise<number> {
  if (flags.kubeconfig !== undefined) {
    const awsOnly = [
      'regions',
      'publish',
      'namespace',
      'topic-arn',
      'state-table',
    ] as const;
    const given = awsOnly.filter((flag) => flags[flag] !== undefined);
    if (given.length > 0) {
      throw new AuditError(
        'USAGE',
        `--kubeconfig audits the entries of the file without AWS: it does not take --${given.join(', --')}`,
      );
    }
    return kubeconfigAudit(io, flags, flags.kubeconfig);
  }
  const publishOnly = (
    ['namespace', 'topic-arn', 'state-table'] as const
  ).filter((flag) => flags[flag] !== undefined);
  if (flags.publish !== true && publishOnly.length > 0) {
    throw new AuditError(
      'USAGE',
      `--${publishOnly.join(', --')} only matter with --publish`,
    );
  }
  const config = configFrom(io, flags, flags.regions);
  return accountAudit(io, flags, config, undefined);
}

/** `check CLUSTER --region R`: one EKS cluster, end to end. */
export async function checkCommand(
  io: CommandIo,
  clusterName: string,
  flags: AuditFlags,
): Promise<number> {
  if (flags.region === undefined) {
    throw new AuditError('USAGE', 'check needs --region REGION');
  }
  const config = configFrom(io, flags, flags.region);
  return accountAudit(io, flags, config, [clusterName]);
}

function configFrom(
  io: CommandIo,
  flags: AuditFlags,
  regions: string | undefined,
): AuditConfig {
  return loadConfig(io.env, {
    regions,
    timeout: flags.timeout,
    concurrency: flags.concurrency,
    connectTo: flags['connect-to'],
    namespace: flags.namespace,
    topicArn: flags['topic-arn'],
    stateTable: flags['state-table'],
  });
}

async function kubeconfigAudit(
  io: CommandIo,
  flags: AuditFlags,
  path: string,
): Promise<number> {
  const config = configFrom(io, flags, undefined);
  const inventory = new KubeconfigInventory(path);
  const connectTo = config.connectTo.map(parseConnectTo);
  const now = io.now();
  const run = await runAudit({
    inventory,
    probe: targetProbe({ timeoutMs: config.probeTimeoutMs, connectTo }),
    now,
    thresholds: config.thresholds,
    probeConcurrency: config.probeConcurrency,
    logger: stderrLogger(io),
    ...progress(io),
  });
  return finish(io, flags, config, run, null, now);
}

async function accountAudit(
  io: CommandIo,
  flags: AuditFlags,
  config: AuditConfig,
  clusterNames: readonly string[] | undefined,
): Promise<number> {
  const homeRegion = await resolveHomeRegion(io, config);
  const logger = stderrLogger(io);
  const accountId =
    flags.publish === true ? await callerAccount(homeRegion) : null;
  const now = io.now();
  // The AWS SDK is loaded only by the commands that call AWS.
  const { auditAccount } = await import('../account-audit.js');
  const run = await auditAccount({
    config,
    accountId,
    homeRegion,
    logger,
    now,
    deadline: null,
    ...(clusterNames === undefined ? {} : { clusterNames }),
    ...progress(io),
  });
  if (clusterNames !== undefined && run.report.clusters.length === 0) {
    const failed = run.report.regions.find((r) => r.status === 'failed');
    throw new AuditError(
      'INPUT_UNREADABLE',
      failed === undefined
        ? `no cluster named ${clusterNames.join(', ')} in ${config.regions?.join(', ')}`
        : `could not list the clusters of ${failed.region}, so ${clusterNames.join(', ')} was not checked: ${failed.error}`,
    );
  }
  return finish(io, flags, config, run, accountId, now, homeRegion);
}

async function finish(
  io: CommandIo,
  flags: AuditFlags,
  config: AuditConfig,
  run: AuditRun,
  accountId: string | null,
  startedAt: Date,
  homeRegion?: string,
): Promise<number> {
  let report = run.report;
  let sent: { subject: string; body: string } | null | undefined;
  let publishFailure: PublishError | null = null;
  if (flags.publish === true && accountId !== null && homeRegion) {
    const { publishRun } = await import('../alerts/publish-run.js');
    const { publishClients } = await import('../adapters/publish-clients.js');
    let outcome: PublishOutcome;
    try {
      outcome = await publishRun({
        report,
        accountId,
        startedAt,
        durationSeconds: (io.now().getTime() - startedAt.getTime()) / 1000,
        config,
        clients: publishClients(homeRegion),
        logger: stderrLogger(io),
      });
    } catch (error) {
      if (!(error instanceof PublishError)) throw error;
      // Print the report anyway, then fail: the findings must not be lost
      // because a metric or the email could not go out.
      publishFailure = error;
      outcome = error.outcome;
    }
    report = outcome.report;
    sent = outcome.email;
    io.stderr(`${publishSummary(outcome, config)}\n`);
  }
  const code = printResult(
    io,
    flags,
    config,
    report,
    sent,
    accountId,
    startedAt,
  );
  if (publishFailure !== null) {
    io.stderr(`eks-cert-audit: ${publishFailure.message}\n`);
    return EXIT_CODES.unknown;
  }
  return code;
}

function printResult(
  io: CommandIo,
  flags: AuditFlags,
  config: AuditConfig,
  report: AuditRun['report'],
  sent: { subject: string; body: string } | null | undefined,
  accountId: string | null,
  startedAt: Date,
): number {
  if (flags['email-preview'] === true) {
    // After publishing, show what was composed with the stored state; a
    // preview alone has no state and shows a first run's email.
    const account = accountId ?? report.clusters[0]?.accountId ?? 'unknown';
    io.stdout(
      sent === undefined
        ? renderEmailPreview(report, account, config, startedAt)
        : formatEmail(sent, 'nothing changed since the last digest'),
    );
    return EXIT_CODES[report.summary.worstSeverity];
  }
  return printReport(io, report, flags.json === true);
}

function progress(io: CommandIo) {
  if (!io.interactive) return {};
  return {
    onProgress: (done: number, known: number) => {
      io.stderr(`\raudited ${done} of ${known} clusters`);
      if (done === known) io.stderr('\n');
    },
  };
}

async function callerAccount(region: string): Promise<string> {
  const { GetCallerIdentityCommand, STSClient } = await import(
    '@aws-sdk/client-sts'
  );
  const { awsClientConfig } = await import('../adapters/aws-clients.js');
  const sts = new STSClient(awsClientConfig(region));
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    if (identity.Account === undefined) throw new Error('no Account field');
    return identity.Account;
  } catch (cause) {
    throw new AuditError(
      'CONFIG_INVALID',
      `--publish needs the account of your credentials, but STS GetCallerIdentity failed: ${(cause as Error).message}`,
      { cause },
    );
  } finally {
    sts.destroy();
  }
}

/**
 * The region the run starts from: AWS_REGION, AWS_DEFAULT_REGION, the
 * region of the shared config profile (as the SDK resolves it), or the
 * first configured region.
 */
async function resolveHomeRegion(
  io: CommandIo,
  config: AuditConfig,
): Promise<string> {
  const fromEnv = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const { STSClient } = await import('@aws-sdk/client-sts');
  const probe = new STSClient({});
  try {
    return await probe.config.region();
  } catch {
    const first = config.regions?.[0];
    if (first !== undefined) return first;
    throw new AuditError(
      'USAGE',
      'set AWS_REGION, a region in your AWS profile, or --regions, so that the AWS clients know where to start',
    );
  } finally {
    probe.destroy();
  }
}

function publishSummary(outcome: PublishOutcome, config: AuditConfig): string {
  const metrics = `published ${outcome.metrics.sent} metric values`;
  if (outcome.emailSent) return `${metrics}; sent the email digest`;
  if (outcome.email === null) {
    return `${metrics}; no email: nothing changed since the last digest`;
  }
  if (config.topicArn === null) {
    return `${metrics}; composed an email digest but sent it nowhere: no topic is set (--topic-arn or AUDIT_TOPIC_ARN)`;
  }
  return `${metrics}; the email digest was not sent`;
}
