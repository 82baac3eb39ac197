import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FleetFiles } from './fleet.js';
import { processCpuMs } from './proc-stats.js';

/** A running fleet server process and the files it wrote. */
export interface RunningFleet extends FleetFiles {
  readonly port: number;
  readonly pid: number;
  /** Milliseconds the server spent building certificates. */
  readonly buildMs: number;
  /** CPU the server process has used so far, user plus system. */
  cpuMs(): number;
  /** Ends the server: closes its stdin, then SIGTERM by PID if needed. */
  stop(): Promise<void>;
}

const SERVER_SCRIPT = fileURLToPath(
  new URL('./fleet-server.ts', import.meta.url),
);
/** Key generation for 10,000 clusters stays well inside this. */
const START_TIMEOUT_MS = 300_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Starts `bench/fleet-server.ts` under tsx in a child process and waits
 * for the line that gives its port.
 */
export function startFleet(
  size: number,
  delayMs: number,
  dir: string,
): Promise<RunningFleet> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      SERVER_SCRIPT,
      '--size',
      String(size),
      '--delay-ms',
      String(delayMs),
      '--dir',
      dir,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      stopChild(child);
      reject(new Error(`fleet server gave no port in ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fleet server exited with ${code} before its port`));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout?.removeAllListeners('data');
      const info = JSON.parse(text.slice(0, end)) as FleetFiles & {
        port: number;
        buildMs: number;
      };
      const pid = child.pid as number;
      resolve({
        ...info,
        pid,
        cpuMs: () => processCpuMs(pid),
        stop: () => stopChild(child),
      });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    }, STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin?.end();
  });
}
