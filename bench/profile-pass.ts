import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { summarizeCpuProfile } from './cpu-profile-summary.js';
import { runAuditor } from './run-auditor.js';
import type { RunningFleet } from './start-fleet.js';
import type { PassOptions } from './tool-passes.js';

/**
 * Runs one more pass of ours under `node --cpu-prof`, writes the profile
 * and its summary into a new folder under `resultsDir`, and returns the
 * summary as text: time per phase, per module and per function.
 */
export async function profilePass(
  fleet: RunningFleet,
  size: number,
  options: PassOptions,
  resultsDir: string,
): Promise<string> {
  const dir = join(resultsDir, `profile-n${size}-${Date.now()}`);
  await mkdir(dir, { recursive: true });
  const run = await runAuditor({
    kubeconfig: fleet.kubeconfig,
    expected: size,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    nodeFlags: ['--cpu-prof', '--cpu-prof-dir', dir],
    cli: options.cli,
  });
  const [file] = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) return `N=${size}: the profiled run wrote no profile`;
  const summary = await summarizeCpuProfile(join(dir, file), 15);
  const lines = [
    `N=${size}: profiled run ${(run.wallMs / 1000).toFixed(2)} s wall, ${(run.cpuMs / 1000).toFixed(2)} s CPU; profile ${join(dir, file)}`,
    'time inside the phase functions (callees included):',
    ...summary.phases.map(
      (t) => `  ${t.ms.toFixed(0).padStart(6)} ms  ${t.name}`,
    ),
    'self time by module:',
    ...summary.byModule.map(
      (t) => `  ${t.ms.toFixed(0).padStart(6)} ms  ${t.name}`,
    ),
    'self time by function:',
    ...summary.byFunction.map(
      (t) => `  ${t.ms.toFixed(0).padStart(6)} ms  ${t.name}`,
    ),
  ];
  await writeFile(join(dir, 'summary.json'), JSON.stringify(summary, null, 2));
  return lines.join('\n');
}
