import type { LookupFunction } from 'node:net';
import type { AccountClient } from '@aws-sdk/client-account';
import type { EKSClient } from '@aws-sdk/client-eks';
import { resolveRegions } from './adapters/account-regions.js';
import {
  type AwsClientOptions,
  createAccountClient,
  eksClientFactory,
} from './adapters/aws-clients.js';
import { EksInventory } from './adapters/eks-inventory.js';
import type { AuditConfig } from './config.js';
import { type AuditRun, runAudit } from './engine/audit.js';
import { parseConnectTo } from './engine/connect-to.js';
import type { AuditLogger } from './engine/logger.js';
import { targetProbe } from './engine/target-probe.js';

/** What an audit of one AWS account needs besides its configuration. */
export interface AccountAuditOptions {
  readonly config: AuditConfig;
  /** Account of the run; clusters take theirs from their ARN. */
  readonly accountId: string | null;
  /** Region for the Account API client (a global service). */
  readonly homeRegion: string;
  readonly logger: AuditLogger;
  /** The run's start. */
  readonly now: Date;
  /** Epoch milliseconds after which no new probe starts. */
  readonly deadline: number | null;
  readonly onProgress?: (done: number, known: number) => void;
  /** Only these clusters (the `check` command); all when absent. */
  readonly clusterNames?: readonly string[];
  /** Resolver for endpoint names; the system resolver when absent. */
  readonly lookup?: LookupFunction;
  /** AWS client settings (tests shorten the retry backoff). */
  readonly clientOptions?: AwsClientOptions;
  /** Injected clients for tests; real ones are built when absent. */
  readonly eksClientFor?: (region: string) => EKSClient;
  readonly accountClient?: () => AccountClient;
}

/**
 * Audits every EKS cluster of the configured (or every enabled) region of
 * one account: the Lambda's job, also run by `audit` and `check`.
 *
 * @throws AuditError `CONFIG_INVALID` when no region list is configured and
 *   the enabled regions cannot be listed.
 */
export async function auditAccount(
  options: AccountAuditOptions,
): Promise<AuditRun> {
  const { config } = options;
  const regions = await resolveRegions(
    config.regions,
    options.accountClient ??
      (() => createAccountClient(options.homeRegion, options.clientOptions)),
  );
  const connectTo = config.connectTo.map(parseConnectTo);
  if (connectTo.length > 0) {
    options.logger.warn('connect-to rewrites are active', {
      connectTo: config.connectTo,
    });
  }
  const inventory = new EksInventory({
    regions,
    accountId: options.accountId,
    describeConcurrency: config.describeConcurrency,
    clientFor: options.eksClientFor ?? eksClientFactory(options.clientOptions),
    logger: options.logger,
    ...(options.clusterNames === undefined
      ? {}
      : { clusterNames: options.clusterNames }),
  });

  return runAudit({
    inventory,
    probe: targetProbe({
      timeoutMs: config.probeTimeoutMs,
      connectTo,
      ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
    }),
    now: options.now,
    thresholds: config.thresholds,
    probeConcurrency: config.probeConcurrency,
    deadline: options.deadline,
    logger: options.logger,
    ...(options.onProgress === undefined
      ? {}
      : { onProgress: options.onProgress }),
  });
}
