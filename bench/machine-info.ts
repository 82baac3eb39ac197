import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';

/** The machine a benchmark ran on, for the results and the docs. */
export interface MachineInfo {
  readonly cpuModel: string;
  /** Online CPUs (`nproc`). */
  readonly cpus: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly openssl: string | null;
  readonly kernel: string;
}

/** Reads what the benchmark tables need to be read fairly. */
export function machineInfo(): MachineInfo {
  let cpuModel = 'unknown';
  try {
    const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpuModel;
  } catch {
    // Not Linux: the model stays unknown.
  }
  return {
    cpuModel,
    cpus: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    openssl: firstLine('openssl', ['version']),
    kernel: firstLine('uname', ['-sr']) ?? 'unknown',
  };
}

function firstLine(command: string, args: readonly string[]): string | null {
  const run = spawnSync(command, [...args], { encoding: 'utf8' });
  if (run.status !== 0) return null;
  return run.stdout.split('\n')[0]?.trim() ?? null;
}
