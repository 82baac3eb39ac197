import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HandlerResult } from '../../lambda/handler.js';

/** Where the runner sent its traffic, as it recorded it. */
export interface ChildNetwork {
  readonly connections: readonly {
    readonly host: string | null;
    readonly port: number | null;
    readonly path: string | null;
  }[];
  /** Name resolutions the process's sockets made. */
  readonly lookups: readonly { readonly host: string }[];
  readonly httpRequests: readonly {
    readonly method: string;
    readonly host: string;
    readonly path: string;
  }[];
}

/** One run of the bundled handler in a child process. */
export interface ChildRun {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The handler's result, or `null` when it threw or printed none. */
  readonly result: HandlerResult | null;
  /** What the handler threw, or `null`. */
  readonly error: { readonly name: string; readonly message: string } | null;
  readonly network: ChildNetwork | null;
  /** Wall-clock bounds of the child: the run's clock lies between. */
  readonly startedAt: Date;
  readonly endedAt: Date;
}

/** How to run the bundle once. */
export interface ChildRunOptions {
  /** Absolute path of the bundled `index.mjs`. */
  readonly bundle: string;
  readonly event: unknown;
  readonly functionArn: string;
  /** What `getRemainingTimeInMillis` counts down from. */
  readonly functionTimeoutMs: number;
  /** The child's whole environment: nothing is inherited. */
  readonly env: Readonly<Record<string, string>>;
  /** The child is killed after this long. */
  readonly killAfterMs: number;
}

const RUNNER = fileURLToPath(new URL('./invoke-handler.mjs', import.meta.url));
const NETWORK_MARKER = 'E2E-NETWORK ';

const running = new Set<ChildProcess>();

/**
 * Runs the bundle's `handler` once in a child `node` process through
 * `invoke-handler.mjs` and collects what it printed. The child gets only
 * `options.env` (no inherited AWS_PROFILE or credentials) and is killed,
 * by its own process id, after `killAfterMs`.
 */
export function runBundledHandler(options: ChildRunOptions): Promise<ChildRun> {
  const startedAt = new Date();
  const argument = JSON.stringify({
    bundle: options.bundle,
    event: options.event,
    functionArn: options.functionArn,
    timeoutMs: options.functionTimeoutMs,
  });
  const child = spawn(process.execPath, [RUNNER, argument], {
    env: { ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);

  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(killer);
      running.delete(child);
      reject(error);
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(killer);
      running.delete(child);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const outcome = lastJsonLine(stdout) as {
        result?: HandlerResult;
        error?: { name: string; message: string };
      } | null;
      resolve({
        exitCode,
        signal,
        stdout,
        stderr,
        result: outcome?.result ?? null,
        error: outcome?.error ?? null,
        network: networkOf(stderr),
        startedAt,
        endedAt: new Date(),
      });
    });
  });
}

/** Kills every child still running, each by its own process id. */
export function stopRunningChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** The JSON lines a run printed: the handler's structured logs. */
export function logLines(run: ChildRun): Record<string, unknown>[] {
  return `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

function lastJsonLine(text: string): unknown {
  const last = text.trimEnd().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last);
  } catch {
    return null;
  }
}

function networkOf(stderr: string): ChildNetwork | null {
  const line = stderr
    .split('\n')
    .find((candidate) => candidate.startsWith(NETWORK_MARKER));
  return line === undefined
    ? null
    : (JSON.parse(line.slice(NETWORK_MARKER.length)) as ChildNetwork);
}
