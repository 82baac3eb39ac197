import type { PassFigures } from './bench-results.js';
import type { RunningBlackbox } from './blackbox-baseline.js';
import { runOpensslLoop } from './openssl-loop.js';
import { runAuditor } from './run-auditor.js';
import type { RunningFleet } from './start-fleet.js';

/** A pass's figures before the harness adds the load average. */
export type PassBody = Omit<PassFigures, 'loadBefore'>;

/** What every pass needs to know. */
export interface PassOptions {
  readonly concurrency: number;
  /** Kill limit of the pass. */
  readonly timeoutMs: number;
  /** The built CLI to audit with. */
  readonly cli: string;
}

/**
 * One pass of eks-cert-audit over the fleet; correct when all `size`
 * clusters are in the report and every one is `trusted`.
 */
export async function oursPass(
  fleet: RunningFleet,
  size: number,
  options: PassOptions,
): Promise<PassBody> {
  const serverBefore = fleet.cpuMs();
  const run = await runAuditor({
    kubeconfig: fleet.kubeconfig,
    expected: size,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    cli: options.cli,
  });
  return {
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    peakRssMb: run.peakRssMb,
    serverCpuMs: fleet.cpuMs() - serverBefore,
    correct: run.allTrusted,
    note: run.allTrusted
      ? null
      : `${run.clusters}/${size} in the report, by verdict ${JSON.stringify(run.byVerdict)}; ${run.firstProblem}`,
  };
}

/** One pass of the OpenSSL loop; correct when all `size` chains verify. */
export async function opensslPass(
  fleet: RunningFleet,
  size: number,
  options: PassOptions,
): Promise<PassBody> {
  const serverBefore = fleet.cpuMs();
  const run = await runOpensslLoop(fleet, fleet.port, options.timeoutMs);
  const correct = run.verified === size;
  return {
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    peakRssMb: run.peakRssMb,
    serverCpuMs: fleet.cpuMs() - serverBefore,
    correct,
    note: correct
      ? null
      : `${run.verified}/${size} verified; ${run.stderr.slice(0, 300)}`,
  };
}

/**
 * One pass of C parallel blackbox_exporter probes; correct when all
 * `size` answer `probe_success 1`.
 */
export async function blackboxPass(
  blackbox: RunningBlackbox,
  fleet: RunningFleet,
  size: number,
  options: PassOptions,
): Promise<PassBody> {
  const serverBefore = fleet.cpuMs();
  const run = await blackbox.probeAll(options.concurrency);
  const correct = run.succeeded === size;
  return {
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    peakRssMb: run.peakRssMb,
    serverCpuMs: fleet.cpuMs() - serverBefore,
    correct,
    note: correct ? null : `${run.succeeded}/${size} probe_success 1`,
  };
}
