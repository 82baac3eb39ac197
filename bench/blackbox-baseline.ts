import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { mapWithConcurrency } from '../lambda/engine/limit-concurrency.js';
import type { FleetFiles } from './fleet.js';
import { processCpuMs, processPeakRssMb } from './proc-stats.js';

/** The names the exporter's executable goes by (Debian, upstream). */
const EXECUTABLES = Object.freeze([
  'prometheus-blackbox-exporter',
  'blackbox_exporter',
]);
const LISTEN_HOST = '127.0.0.1';
/** Per-probe deadline of every module, like ours. */
const PROBE_TIMEOUT = '5s';
const READY_ATTEMPTS = 1000;
const READY_INTERVAL_MS = 10;
const STOP_TIMEOUT_MS = 5_000;

/** One pass of C parallel `/probe` requests over the whole fleet. */
export interface BlackboxRun {
  readonly wallMs: number;
  /** CPU the exporter used during the pass, user plus system. */
  readonly cpuMs: number;
  /** The exporter's peak RSS since it started, in MiB. */
  readonly peakRssMb: number;
  /** Probes that answered `probe_success 1`. */
  readonly succeeded: number;
}

/** A running blackbox_exporter with one module per cluster. */
export interface RunningBlackbox {
  readonly pid: number;
  readonly version: string;
  /**
   * Milliseconds from spawn until it answered `/-/healthy`, its
   * configuration loaded: the start that a pass of ours includes (process
   * start, kubeconfig parse) and a pass of this warm daemon does not.
   */
  readonly startMs: number;
  /** Probes the fleet once with `concurrency` requests in flight. */
  probeAll(concurrency: number): Promise<BlackboxRun>;
  /** Stops the exporter by its PID. */
  stop(): Promise<void>;
}

/** Path of the exporter's executable on `PATH`, or `null` without one. */
export function findBlackboxExporter(): string | null {
  const folders = (process.env.PATH ?? '').split(delimiter);
  for (const folder of folders) {
    for (const name of EXECUTABLES) {
      const candidate = join(folder, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not in this folder.
      }
    }
  }
  return null;
}

/**
 * Writes a configuration with one `tcp` module per cluster (TLS on, the
 * cluster's CA file and host name, as blackbox_exporter has no per-target
 * CA), starts the exporter on 127.0.0.1 and waits until it answers.
 */
export async function startBlackbox(
  executable: string,
  fleet: FleetFiles,
  fleetPort: number,
): Promise<RunningBlackbox> {
  const clusters = (await readFile(fleet.clusterList, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(' ') as [string, string]);
  const config = join(fleet.dir, 'blackbox.yml');
  await writeFile(config, stringify(configOf(clusters)));
  const port = await freePort();
  const version = await versionOf(executable);
  const spawnedAt = performance.now();
  const child = spawn(
    executable,
    [
      `--config.file=${config}`,
      `--web.listen-address=${LISTEN_HOST}:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const pid = child.pid as number;
  try {
    await waitReady(port, child);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  const startMs = performance.now() - spawnedAt;
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  return {
    pid,
    version,
    startMs,
    probeAll: async (concurrency) => {
      const cpuBefore = processCpuMs(pid);
      const started = performance.now();
      const answers = await mapWithConcurrency(
        clusters.keys(),
        concurrency,
        (index) =>
          fetchText(
            agent,
            port,
            `/probe?target=${encodeURIComponent(`${LISTEN_HOST}:${fleetPort}`)}&module=c${index}`,
          ),
      );
      const wallMs = performance.now() - started;
      return {
        wallMs,
        cpuMs: processCpuMs(pid) - cpuBefore,
        peakRssMb: processPeakRssMb(pid),
        succeeded: answers.filter((body) => /^probe_success 1$/m.test(body))
          .length,
      };
    },
    stop: async () => {
      agent.destroy();
      await stopChild(child);
    },
  };
}

function configOf(clusters: readonly (readonly [string, string])[]) {
  return {
    modules: Object.fromEntries(
      clusters.map(([host, caFile], index) => [
        `c${index}`,
        {
          prober: 'tcp',
          timeout: PROBE_TIMEOUT,
          tcp: {
            tls: true,
            preferred_ip_protocol: 'ip4',
            ip_protocol_fallback: false,
            tls_config: { ca_file: caFile, server_name: host },
          },
        },
      ]),
    ),
  };
}

async function versionOf(executable: string): Promise<string> {
  const child = spawn(executable, ['--version'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  await new Promise((resolve) => child.once('close', resolve));
  return /version (\S+)/.exec(text)?.[1] ?? 'unknown';
}

async function waitReady(port: number, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < READY_ATTEMPTS; attempt += 1) {
    if (child.exitCode !== null) {
      throw new Error(`blackbox_exporter exited with ${child.exitCode}`);
    }
    try {
      await fetchText(undefined, port, '/-/healthy');
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, READY_INTERVAL_MS));
    }
  }
  throw new Error(
    `blackbox_exporter did not answer on ${LISTEN_HOST}:${port} within ${
      (READY_ATTEMPTS * READY_INTERVAL_MS) / 1000
    } s`,
  );
}

function fetchText(
  agent: Agent | undefined,
  port: number,
  path: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get(
      { host: LISTEN_HOST, port, path, agent, timeout: 30_000 },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          response.statusCode === 200
            ? resolve(body)
            : reject(new Error(`HTTP ${response.statusCode} for ${path}`)),
        );
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LISTEN_HOST, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
  });
}
