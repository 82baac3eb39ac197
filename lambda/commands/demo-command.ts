import { DEFAULT_CONFIG } from '../config.js';
import { DEMO_ACCOUNT_ID, startDemoFleet } from '../demo/demo-fleet.js';
import { runAudit } from '../engine/audit.js';
import { parseConnectTo } from '../engine/connect-to.js';
import { targetProbe } from '../engine/target-probe.js';
import { type CommandIo, printReport, stderrLogger } from './command-io.js';
import { renderEmailPreview } from './email-preview.js';

/** Flags of `demo`. */
export interface DemoFlags {
  readonly json?: boolean | undefined;
  readonly 'email-preview'?: boolean | undefined;
}

/** Exit status of a demo whose verdicts are not the expected ones. */
const DEMO_BROKEN_EXIT = 3;

/**
 * `demo`: starts the local demo fleet on 127.0.0.1, audits it through the
 * same engine as `audit` with the default thresholds, prints the report
 * (or the email it would send), and exits 0 when every verdict is the
 * expected one. It demonstrates the tool; it checks none of your clusters.
 */
export async function demoCommand(
  io: CommandIo,
  flags: DemoFlags,
): Promise<number> {
  const now = io.now();
  const fleet = await startDemoFleet(now);
  try {
    const connectTo = fleet.connectTo.map(parseConnectTo);
    const { report } = await runAudit({
      inventory: fleet.inventory,
      probe: targetProbe({
        timeoutMs: DEFAULT_CONFIG.probeTimeoutMs,
        connectTo,
      }),
      now,
      thresholds: DEFAULT_CONFIG.thresholds,
      probeConcurrency: DEFAULT_CONFIG.probeConcurrency,
      logger: stderrLogger(io),
    });

    if (flags['email-preview'] === true) {
      io.stdout(
        renderEmailPreview(report, DEMO_ACCOUNT_ID, DEFAULT_CONFIG, now),
      );
    } else {
      printReport(io, report, flags.json === true);
    }

    const wrong = fleet.expectations.filter((expected) => {
      const cluster = report.clusters.find((c) => c.name === expected.name);
      return (
        cluster?.verdict !== expected.verdict ||
        cluster.severity !== expected.severity
      );
    });
    for (const expected of wrong) {
      const cluster = report.clusters.find((c) => c.name === expected.name);
      io.stderr(
        `demo: ${expected.name} (${expected.shows}) should be ${expected.verdict}/${expected.severity}, got ${cluster?.verdict ?? 'nothing'}/${cluster?.severity ?? '-'}\n`,
      );
    }
    if (!flags.json && flags['email-preview'] !== true) {
      io.stderr(
        wrong.length === 0
          ? `demo: all ${fleet.expectations.length} demo clusters got their expected verdicts (exit 0; your own clusters were not checked).\n`
          : `demo: ${wrong.length} demo clusters got an unexpected verdict.\n`,
      );
    }
    return wrong.length === 0 ? 0 : DEMO_BROKEN_EXIT;
  } finally {
    await fleet.close();
  }
}
