import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks per second (`getconf CLK_TCK`), usually 100. */
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const ticks = Number(out.stdout?.trim());
    ticksPerSecond = Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  }
  return ticksPerSecond;
}

/** CPU ticks of a live process from `/proc/PID/stat`. */
export interface CpuTicks {
  readonly user: number;
  readonly system: number;
  /** Of the children it has waited for. */
  readonly childUser: number;
  readonly childSystem: number;
}

/** Reads the CPU ticks of a live process; throws once it is gone. */
export function readCpuTicks(pid: number): CpuTicks {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces: count fields after its ')'. utime
  // is field 14 of proc(5), stime 15, cutime 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    user: Number(fields[11]),
    system: Number(fields[12]),
    childUser: Number(fields[13]),
    childSystem: Number(fields[14]),
  };
}

/** User plus system CPU of a live process so far, in milliseconds. */
export function processCpuMs(pid: number): number {
  const ticks = readCpuTicks(pid);
  return ((ticks.user + ticks.system) / clockTicks()) * 1000;
}

/** Peak resident set of a live process in MiB (`VmHWM`). */
export function processPeakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? Number.NaN : Number(kb) / 1024;
}
