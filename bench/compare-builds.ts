import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fixed, markdownTable } from './markdown-table.js';
import { type AuditorRun, runAuditor } from './run-auditor.js';
import { median } from './single-handshake.js';
import { startFleet } from './start-fleet.js';

/**
 * A/B of two or more builds of the CLI on one fleet, runs interleaved so
 * that a busy neighbour on the machine hurts every build alike:
 *
 * `tsx bench/compare-builds.ts --cli dist/lambda/cli.js --cli OTHER.js
 *  [--size 1000] [--delay-ms 50] [--concurrency 16] [--runs 5]`
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cli: { type: 'string', multiple: true },
      size: { type: 'string', default: '1000' },
      'delay-ms': { type: 'string', default: '50' },
      concurrency: { type: 'string', default: '16' },
      runs: { type: 'string', default: '5' },
    },
    strict: true,
  });
  const clis = (values.cli ?? []).map((cli) => resolve(cli));
  const size = Number(values.size);
  const concurrency = Number(values.concurrency);
  const runs = Number(values.runs);
  if (clis.length < 1 || !(size >= 1 && concurrency >= 1 && runs >= 1)) {
    throw new Error('usage: compare-builds --cli A.js [--cli B.js] …');
  }

  const dir = await mkdtemp(join(tmpdir(), 'bench-compare-'));
  const fleet = await startFleet(size, Number(values['delay-ms']), dir);
  const samples = clis.map(() => [] as AuditorRun[]);
  try {
    for (let run = 0; run < runs; run += 1) {
      for (const [index, cli] of clis.entries()) {
        const load = loadavg()[0] ?? 0;
        const result = await runAuditor({
          kubeconfig: fleet.kubeconfig,
          expected: size,
          concurrency,
          timeoutMs: 600_000,
          cli,
        });
        if (!result.allTrusted) {
          throw new Error(`${cli} was not correct: ${result.firstProblem}`);
        }
        process.stderr.write(
          `run ${run + 1} ${cli}: ${fixed(result.wallMs / 1000, 2)} s wall, ${fixed(result.cpuMs / 1000, 2)} s CPU, load before ${fixed(load, 2)}\n`,
        );
        samples[index]?.push(result);
      }
    }
  } finally {
    await fleet.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const rows = clis.map((cli, index) => {
    const runsOf = samples[index] ?? [];
    const walls = runsOf.map((r) => r.wallMs / 1000);
    return [
      cli,
      fixed(median(walls), 2),
      `${fixed(Math.min(...walls), 2)}–${fixed(Math.max(...walls), 2)}`,
      fixed(median(runsOf.map((r) => r.cpuMs / 1000)), 2),
      fixed(median(runsOf.map((r) => r.peakRssMb)), 0),
    ];
  });
  process.stdout.write(
    `${markdownTable(['build', 'wall s (median)', 'wall s (range)', 'CPU s', 'peak RSS MB'], rows)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`compare failed: ${String(error)}\n`);
  process.exitCode = 1;
});
