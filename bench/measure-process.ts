import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clockTicks, processPeakRssMb, readCpuTicks } from './proc-stats.js';

/** What one child process cost, from spawn to exit. */
export interface ProcessMeasurement {
  /** Wall time from spawn until the process and its pipes closed. */
  readonly wallMs: number;
  /** User plus system CPU of the process and the children it waited for. */
  readonly cpuMs: number;
  readonly userMs: number;
  readonly systemMs: number;
  /** Peak resident set of the largest process of the tree, in MiB. */
  readonly peakRssMb: number;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** How the figures were taken. */
  readonly method: 'gnu-time' | 'proc-poll';
}

/** Options of {@link measureProcess}. */
export interface MeasureOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Hard limit; the process is killed (by its PID) when it passes. */
  readonly timeoutMs: number;
}

const GNU_TIME = '/usr/bin/time';
/** How often the fallback samples /proc. */
const POLL_MS = 20;

let gnuTimeAvailable: boolean | undefined;

/** `true` when `/usr/bin/time -v` is GNU time and reports peak RSS. */
export function hasGnuTime(): boolean {
  if (gnuTimeAvailable === undefined) {
    gnuTimeAvailable =
      existsSync(GNU_TIME) &&
      spawnSync(GNU_TIME, ['-v', 'true'], {
        encoding: 'utf8',
      }).stderr?.includes('Maximum resident set size') === true;
  }
  return gnuTimeAvailable;
}

/**
 * Runs a command to completion and measures its wall time, CPU time and
 * peak RSS: with GNU `time -v` when present, else by polling
 * `/proc/PID/status` (VmHWM) and `/proc/PID/stat`, which misses the last
 * few milliseconds of CPU before exit.
 */
export async function measureProcess(
  command: string,
  args: readonly string[],
  options: MeasureOptions,
): Promise<ProcessMeasurement> {
  if (hasGnuTime()) return measureWithGnuTime(command, args, options);
  return measureByPolling(command, args, options);
}

async function measureWithGnuTime(
  command: string,
  args: readonly string[],
  options: MeasureOptions,
): Promise<ProcessMeasurement> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-time-'));
  const report = join(dir, 'time.txt');
  try {
    const run = await runChild(
      GNU_TIME,
      ['-v', '-o', report, command, ...args],
      options,
      () => undefined,
    );
    const text = await readFile(report, 'utf8');
    const field = (label: string): number => {
      const match = new RegExp(`${label}: ([0-9.]+)`).exec(text);
      if (match?.[1] === undefined) {
        throw new Error(`GNU time printed no "${label}" line:\n${text}`);
      }
      return Number(match[1]);
    };
    const userMs = field('User time \\(seconds\\)') * 1000;
    const systemMs = field('System time \\(seconds\\)') * 1000;
    return {
      ...run,
      userMs,
      systemMs,
      cpuMs: userMs + systemMs,
      peakRssMb: field('Maximum resident set size \\(kbytes\\)') / 1024,
      method: 'gnu-time',
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function measureByPolling(
  command: string,
  args: readonly string[],
  options: MeasureOptions,
): Promise<ProcessMeasurement> {
  const ticks = clockTicks();
  const seen = { hwmKb: 0, user: 0, system: 0 };
  const run = await runChild(command, args, options, (pid) => {
    const timer = setInterval(() => sample(pid, seen), POLL_MS);
    return () => clearInterval(timer);
  });
  const userMs = (seen.user / ticks) * 1000;
  const systemMs = (seen.system / ticks) * 1000;
  return {
    ...run,
    userMs,
    systemMs,
    cpuMs: userMs + systemMs,
    peakRssMb: seen.hwmKb / 1024,
    method: 'proc-poll',
  };
}

function sample(
  pid: number,
  seen: { hwmKb: number; user: number; system: number },
): void {
  try {
    seen.hwmKb = Math.max(seen.hwmKb, processPeakRssMb(pid) * 1024);
    const ticks = readCpuTicks(pid);
    seen.user = ticks.user + ticks.childUser;
    seen.system = ticks.system + ticks.childSystem;
  } catch {
    // The process has just exited; the last sample stands.
  }
}

interface ChildRun {
  readonly wallMs: number;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runChild(
  command: string,
  args: readonly string[],
  options: MeasureOptions,
  watch: (pid: number) => (() => void) | undefined,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, [...args], {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const unwatch = child.pid === undefined ? undefined : watch(child.pid);
    const killer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(killer);
      unwatch?.();
      reject(error);
    });
    child.once('close', (code) => {
      const wallMs = performance.now() - started;
      clearTimeout(killer);
      unwatch?.();
      resolve({
        wallMs,
        exitCode: code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}
