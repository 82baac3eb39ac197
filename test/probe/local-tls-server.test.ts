import { connect as connectTcp } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  EKU,
  type Issued,
  issueCertificate,
} from '../../lambda/demo/certificate-factory.js';
import {
  type LocalServer,
  type ServedChain,
  startLocalTlsServer,
  startSilentServer,
} from '../../lambda/demo/local-tls-server.js';
import { AuditError } from '../../lambda/engine/errors.js';
import { probeEndpoint } from '../../lambda/engine/probe.js';
import {
  buildThreeTierChain,
  type ThreeTierChain,
} from './build-three-tier-chain.js';
import { connectionRecords } from './connection-records.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const DAY_MS = 86_400_000;
const TIMEOUT_MS = 10_000;
const NAME_COUNT = 1_000;
const CONCURRENT_HANDSHAKES = 300;

let base: ThreeTierChain;
let leaves: Issued[];
let chains: ServedChain[];
const servers: LocalServer[] = [];

beforeAll(async () => {
  base = await buildThreeTierChain(NOW, 'default.test', {
    kind: 'EC',
    curve: 'P-256',
  });
  leaves = [];
  for (const index of [0, 1, 2, 3]) {
    leaves.push(
      await issueCertificate({
        subject: `CN=leaf ${index}`,
        issuer: base.intermediate,
        notBefore: new Date(NOW.getTime() - DAY_MS),
        notAfter: new Date(NOW.getTime() + 90 * DAY_MS),
        key: { kind: 'EC', curve: 'P-256' },
        extendedKeyUsage: [EKU.serverAuth],
        subjectAltNames: [`DNS:leaf-${index}.test`],
      }),
    );
  }
  chains = leaves.map((leaf) => ({
    keyPem: leaf.keyPem,
    certPems: [leaf.pem, base.intermediate.pem],
  }));
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function started(server: Promise<LocalServer>): Promise<LocalServer> {
  const running = await server;
  servers.push(running);
  return running;
}

function probeAs(
  server: LocalServer,
  servername: string,
  timeoutMs = TIMEOUT_MS,
) {
  return probeEndpoint(
    { url: `https://127.0.0.1:${server.port}` },
    { timeoutMs, servername },
  );
}

function leafOf(result: Awaited<ReturnType<typeof probeEndpoint>>) {
  return result.kind === 'handshake' ? result.chain[0] : result.message;
}

describe('startLocalTlsServer', () => {
  it('serves the chain chosen by SNI among a thousand names', async () => {
    const byName = new Map<string, ServedChain>();
    for (let index = 0; index < NAME_COUNT; index += 1) {
      byName.set(`cluster-${index}.test`, chains[index % 4] as ServedChain);
    }
    const server = await started(
      startLocalTlsServer({ chains: byName, defaultChain: base.served }),
    );

    const results = await Promise.all([
      probeAs(server, 'cluster-0.test'),
      probeAs(server, 'cluster-1.test'),
      probeAs(server, 'CLUSTER-998.TEST'),
      probeAs(server, 'cluster-999.test'),
      probeAs(server, 'unknown.test'),
    ]);

    expect(results.map(leafOf)).toEqual([
      leaves[0]?.der,
      leaves[1]?.der,
      leaves[2]?.der,
      leaves[3]?.der,
      base.leaf.der,
    ]);
  });

  it('takes the first chain as the default when none is given', async () => {
    const server = await started(
      startLocalTlsServer({
        chains: { 'leaf-2.test': chains[2] as ServedChain },
      }),
    );

    const result = await probeAs(server, 'other.test');

    expect(leafOf(result)).toEqual(leaves[2]?.der);
  });

  it(`completes ${CONCURRENT_HANDSHAKES} concurrent handshakes`, async () => {
    const server = await started(
      startLocalTlsServer({
        chains: { 'leaf-0.test': chains[0] as ServedChain },
        defaultChain: base.served,
        handshakeDelayMs: 20,
      }),
    );
    const names = Array.from({ length: CONCURRENT_HANDSHAKES }, (_, index) =>
      index % 2 === 0 ? 'leaf-0.test' : 'any.test',
    );

    const results = await Promise.all(
      names.map((name) => probeAs(server, name)),
    );

    expect(results.filter((r) => r.kind === 'handshake')).toHaveLength(
      CONCURRENT_HANDSHAKES,
    );
    await server.whenIdle();
    expect(server.stats()).toMatchObject({
      accepted: CONCURRENT_HANDSHAKES,
      open: 0,
      handshakes: CONCURRENT_HANDSHAKES,
      handshakeFailures: 0,
    });
  });

  it('waits handshakeDelayMs before it answers the ClientHello', async () => {
    const server = await started(
      startLocalTlsServer({ defaultChain: base.served, handshakeDelayMs: 600 }),
    );

    const hurried = await probeAs(server, 'default.test', 100);
    const patient = await probeAs(server, 'default.test');

    expect(hurried).toMatchObject({ kind: 'failure', code: 'TIMEOUT' });
    expect(hurried.kind === 'failure' && hurried.message).toMatch(
      /stopped during the TLS handshake$/,
    );
    expect(patient.kind).toBe('handshake');
  });

  it('records a failed handshake with its cause', async () => {
    const records = connectionRecords();
    const server = await started(
      startLocalTlsServer({
        defaultChain: base.served,
        onConnectionClosed: records.onConnectionClosed,
      }),
    );

    await sendAndClose(server.port, 'GET / HTTP/1.1\r\n\r\n');

    const [seen] = await records.waitFor(1);
    expect(seen).toMatchObject({
      servername: null,
      handshakeCompleted: false,
      applicationBytes: 0,
      error: expect.any(String),
    });
    expect(server.stats().handshakeFailures).toBe(1);
  });

  it('ends every connection on close, also those still waiting', async () => {
    const delayed = await started(
      startLocalTlsServer({
        defaultChain: base.served,
        handshakeDelayMs: 60_000,
      }),
    );
    const plain = await started(
      startLocalTlsServer({ defaultChain: base.served }),
    );
    const clients = [
      await openIdleClient(delayed.port),
      await openIdleClient(plain.port),
    ];

    await Promise.all([delayed.close(), plain.close(), plain.close()]);

    await Promise.all(clients.map((client) => client.closed));
    expect(delayed.stats().open).toBe(0);
    expect(plain.stats().open).toBe(0);
  });

  it('needs a chain to serve', async () => {
    await expect(startLocalTlsServer({})).rejects.toThrow(
      'local TLS server needs a chain to serve',
    );
  });
});

describe('local servers', () => {
  it.each([['0.0.0.0'], ['192.0.2.10'], ['localhost'], ['::']])(
    'refuse to listen on %s',
    async (host) => {
      const starting = startSilentServer({ host });

      await expect(starting).rejects.toBeInstanceOf(AuditError);
      await expect(starting).rejects.toThrow(
        `local server address must be a loopback address (127.0.0.0/8 or ::1), got ${host}`,
      );
    },
  );
});

/** Sends bytes that are not TLS and closes, as a confused client would. */
function sendAndClose(port: number, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: '127.0.0.1', port }, () => {
      socket.end(text);
    });
    socket.resume();
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
}

/** A TCP client that connects and sends nothing. */
async function openIdleClient(
  port: number,
): Promise<{ closed: Promise<void> }> {
  const socket = connectTcp({ host: '127.0.0.1', port });
  socket.resume();
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', resolve));
  await new Promise((resolve) => socket.once('connect', resolve));
  return { closed };
}
