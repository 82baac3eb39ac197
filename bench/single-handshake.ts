import { connect } from 'node:tls';

const HANDSHAKE_TIMEOUT_MS = 10_000;
/** Handshakes made and thrown away first, to warm both ends. */
const WARM_UP = 2;

/**
 * Times one TLS handshake at a time against 127.0.0.1:`port` with SNI
 * `host`, from the start of the TCP connect until the handshake completes,
 * and returns the median of `samples` in milliseconds. No verification:
 * this is the floor any auditor pays per cluster.
 */
export async function medianHandshakeMs(
  port: number,
  host: string,
  samples: number,
): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < WARM_UP + samples; index += 1) {
    const ms = await oneHandshake(port, host);
    if (index >= WARM_UP) times.push(ms);
  }
  return median(times);
}

/** The middle value of a non-empty list (the mean of the two middle). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function oneHandshake(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: host,
      rejectUnauthorized: false,
    });
    socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () =>
      socket.destroy(new Error('handshake timed out')),
    );
    let ms: number | undefined;
    socket.once('secureConnect', () => {
      ms = performance.now() - started;
      socket.end();
    });
    // A reset while closing after the handshake changes nothing.
    socket.on('error', (error) => {
      if (ms === undefined) reject(error);
    });
    socket.once('close', () => {
      if (ms !== undefined) resolve(ms);
    });
  });
}
