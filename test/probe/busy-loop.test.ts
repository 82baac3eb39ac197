import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { stat } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClusterChain } from '../../lambda/demo/certificate-factory.js';
import { parseConnectTo } from '../../lambda/engine/connect-to.js';
import { probeEndpoint } from '../../lambda/engine/probe.js';

const HOST = 'C0FFEE0123456789ABCDEF0123456789.gr7.us-west-2.eks.amazonaws.com';

// A TLS server in its own process, so that blocking this process's event
// loop does not stop the server from answering; it holds each ClientHello
// for 60 ms, so that its answer lands while the loop is blocked.
const SERVER = `
const net = require('node:net');
const tls = require('node:tls');
const tlsServer = tls.createServer({ key: process.env.KEY, cert: process.env.CERT });
const server = net.createServer((socket) => {
  setTimeout(() => tlsServer.emit('connection', socket), 60);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

function busyWait(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Stands for a long synchronous evaluation of another cluster.
  }
}

describe('probeEndpoint while the event loop is busy', () => {
  let child: ChildProcess;
  let port: number;

  beforeAll(async () => {
    const chain = await buildClusterChain({ now: new Date(), host: HOST });
    child = spawn(process.execPath, ['-e', SERVER], {
      env: { KEY: chain.leaf.keyPem, CERT: chain.leaf.pem },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const [data] = (await once(
      child.stdout as NodeJS.ReadableStream,
      'data',
    )) as [Buffer];
    port = Number(data.toString().trim());
  });

  afterAll(() => {
    child?.stdin?.end();
  });

  it('takes an answer that arrived while the loop was blocked past the deadline', async () => {
    const connectTo = [parseConnectTo(`${HOST}:443:127.0.0.1:${port}`)];
    const probing = probeEndpoint(
      { url: `https://${HOST}` },
      { timeoutMs: 150, connectTo },
    );
    // Let the ClientHello leave, then hold the loop well past the deadline
    // from an I/O callback, as the evaluation after another probe does:
    // the next loop turn then meets the expired deadline before the
    // server's answer is read.
    await new Promise((resolve) => setTimeout(resolve, 15));
    await new Promise<void>((resolve) =>
      stat('.', () => {
        busyWait(600);
        resolve();
      }),
    );

    const result = await probing;

    expect(result.kind).toBe('handshake');
  });
});
