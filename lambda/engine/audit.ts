import { assessCluster } from './assess-cluster.js';
import type { ClusterTarget, Inventory } from './inventory.js';
import { createLimiter } from './limit-concurrency.js';
import type { AuditLogger } from './logger.js';
import type { ProbeResult } from './probe.js';
import { buildReport } from './report.js';
import { severityRank } from './severity.js';
import type {
  AuditReport,
  ClusterReport,
  RegionReport,
  Thresholds,
} from './types.js';

/** What one audit run needs; every outside system comes in through here. */
export interface AuditRunOptions {
  readonly inventory: Inventory;
  /** Probes one cluster (the TLS probe with its options bound). */
  readonly probe: (target: ClusterTarget) => Promise<ProbeResult>;
  /** The run's start: every figure of the report is relative to it. */
  readonly now: Date;
  readonly thresholds: Thresholds;
  /** Clusters assessed at once over the whole fleet. */
  readonly probeConcurrency: number;
  /**
   * Epoch milliseconds after which no new probe starts; the clusters not
   * reached by then are `skipped` with `TIME_BUDGET_EXHAUSTED`.
   */
  readonly deadline?: number | null;
  /** Current time in epoch milliseconds. @default Date.now */
  readonly clock?: () => number;
  readonly logger: AuditLogger;
  /** Called after each cluster, for progress lines. */
  readonly onProgress?: (done: number, known: number) => void;
}

/** A finished run: the report and what was left out of it. */
export interface AuditRun {
  readonly report: AuditReport;
  /** Clusters listed but deleted before they could be described. */
  readonly vanished: number;
}

/**
 * Runs one audit: walks the inventory region by region, assesses every
 * cluster with a global concurrency cap, and builds the report.
 *
 * One broken cluster or region never stops the others: a failed region is
 * recorded in `regions[]`, an unexpected error on one cluster becomes that
 * cluster's `AUDIT_FAILED` reason.
 */
export async function runAudit(options: AuditRunOptions): Promise<AuditRun> {
  const clock = options.clock ?? Date.now;
  const limit = createLimiter(options.probeConcurrency);
  const regions: RegionReport[] = [];
  const pending: Promise<ClusterReport>[] = [];
  let vanished = 0;
  let done = 0;

  const context = {
    now: options.now,
    thresholds: options.thresholds,
    probe: async (target: ClusterTarget) => {
      const deadline = options.deadline ?? null;
      if (deadline !== null && clock() >= deadline) return null;
      return options.probe(target);
    },
  };
  const assess = async (target: ClusterTarget): Promise<ClusterReport> => {
    const report = await limit(() =>
      assessSafely(target, context, options.logger),
    );
    done += 1;
    options.onProgress?.(done, pending.length);
    return report;
  };

  for await (const region of options.inventory.regions()) {
    // The inventory logs its own failures and vanished clusters, with the
    // AWS error's details; the run only records and counts them.
    if (region.status === 'failed') {
      regions.push({
        region: region.region,
        status: 'failed',
        error: region.error,
        rotationStateAvailable: null,
      });
      continue;
    }
    vanished += region.vanished.length;
    if (options.inventory.reportsRegions) {
      regions.push({
        region: region.region,
        status: 'ok',
        error: null,
        rotationStateAvailable: region.rotationStateAvailable,
      });
    }
    for (const target of region.clusters) pending.push(assess(target));
  }

  const clusters = (await Promise.all(pending)).sort(worstFirst);
  const partial =
    regions.some((region) => region.status === 'failed') ||
    clusters.some((cluster) =>
      cluster.reasons.some((r) => r.code === 'TIME_BUDGET_EXHAUSTED'),
    );
  return {
    report: buildReport({ checkedAt: options.now, partial, regions, clusters }),
    vanished,
  };
}

async function assessSafely(
  target: ClusterTarget,
  context: Parameters<typeof assessCluster>[1],
  logger: AuditLogger,
): Promise<ClusterReport> {
  try {
    return await assessCluster(target, context);
  } catch (error) {
    logger.error('cluster assessment failed', {
      clusterName: target.name,
      region: target.region,
      error,
    });
    return {
      name: target.name,
      region: target.region,
      accountId: target.accountId,
      endpoint: target.endpoint,
      verdict: 'error',
      severity: 'unknown',
      reasons: [
        {
          code: 'AUDIT_FAILED',
          level: 'unknown',
          message: `The audit failed on this cluster: ${String(error)}. Please report this as a bug in eks-cert-audit.`,
          certificate: null,
        },
      ],
      tls: null,
      serverCertificate: null,
      intermediates: [],
      certificateAuthorities: [],
    };
  }
}

/** Orders clusters worst severity first, then by region and name. */
export function worstFirst(a: ClusterReport, b: ClusterReport): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    (a.region ?? '').localeCompare(b.region ?? '') ||
    (a.name ?? '').localeCompare(b.name ?? '')
  );
}
