import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { startLocalTlsServer } from '../lambda/demo/local-tls-server.js';
import { buildFleet, writeFleetFiles } from './fleet.js';

/**
 * The benchmark's fleet as a process of its own, so that the server's CPU
 * is not counted as the auditor's:
 *
 * `tsx bench/fleet-server.ts --size N --delay-ms D --dir DIR`
 *
 * builds N clusters, serves them all from one TLS server on 127.0.0.1,
 * writes the kubeconfig and CA files into DIR, and prints one JSON line
 * with the port and the file paths. It serves until its standard input
 * closes or it receives SIGTERM, then prints its counters on stderr.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string' },
      'delay-ms': { type: 'string', default: '0' },
      dir: { type: 'string' },
    },
    strict: true,
  });
  const size = Number(values.size);
  const delayMs = Number(values['delay-ms']);
  if (!Number.isInteger(size) || size < 1 || values.dir === undefined) {
    throw new Error('usage: fleet-server --size N [--delay-ms D] --dir DIR');
  }
  if (!(Number.isFinite(delayMs) && delayMs >= 0)) {
    throw new Error(`--delay-ms must be a number >= 0, got ${delayMs}`);
  }

  const started = performance.now();
  const clusters = await buildFleet(size, new Date());
  const buildMs = performance.now() - started;
  const server = await startLocalTlsServer({
    chains: new Map(clusters.map((c) => [c.host, c.served])),
    handshakeDelayMs: delayMs,
    host: '127.0.0.1',
  });
  const files = await writeFleetFiles(values.dir, clusters, server.port);
  process.stdout.write(
    `${JSON.stringify({ port: server.port, buildMs, ...files })}\n`,
  );

  const stop = async (): Promise<void> => {
    await server.close();
    process.stderr.write(`fleet server: ${JSON.stringify(server.stats())}\n`);
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.resume();
  process.stdin.once('end', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`fleet server failed: ${String(error)}\n`);
  process.exit(1);
});
