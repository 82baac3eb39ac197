import type { LookupFunction } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import {
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from 'vitest';
import {
  closedPort,
  type LocalServer,
  startGarbageServer,
  startLocalTlsServer,
  startResettingServer,
  startSilentServer,
} from '../../lambda/demo/local-tls-server.js';
import { parseConnectTo } from '../../lambda/engine/connect-to.js';
import { AuditError } from '../../lambda/engine/errors.js';
import { parseEndpointUrl, probeEndpoint } from '../../lambda/engine/probe.js';
import {
  buildThreeTierChain,
  type ThreeTierChain,
} from './build-three-tier-chain.js';
import { connectionRecords } from './connection-records.js';

// Every name in these tests is answered by connect-to, an injected lookup
// or this stand-in for the system resolver, never by real DNS.
const systemLookup = vi.hoisted(() => vi.fn());
vi.mock('node:dns', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:dns')>()),
  lookup: systemLookup,
}));

const NOW = new Date('2026-03-01T12:00:00Z');
const EKS_HOST =
  'ABCDEF0123456789ABCDEF0123456789.gr7.us-west-2.eks.amazonaws.com';
const EKS_URL = `https://${EKS_HOST}`;
/** The URL parser gives host names in lower case. */
const EKS_NAME = EKS_HOST.toLowerCase();
const TIMEOUT_MS = 10_000;

let ec: ThreeTierChain;
let rsa: ThreeTierChain;
let other: ThreeTierChain;
const servers: LocalServer[] = [];

beforeAll(async () => {
  ec = await buildThreeTierChain(NOW, EKS_HOST, { kind: 'EC', curve: 'P-256' });
  rsa = await buildThreeTierChain(NOW, EKS_HOST, { kind: 'RSA', bits: 2048 });
  other = await buildThreeTierChain(NOW, 'kubernetes', {
    kind: 'EC',
    curve: 'P-256',
  });
});

beforeEach(() => {
  systemLookup.mockReset();
  systemLookup.mockImplementation(() => {
    throw new Error('the system resolver must not be used in these tests');
  });
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function tlsServer(chain: ThreeTierChain, delay = 0) {
  const records = connectionRecords();
  const server = await startLocalTlsServer({
    chains: { [EKS_HOST]: chain.served, kubernetes: other.served },
    defaultChain: chain.served,
    handshakeDelayMs: delay,
    onConnectionClosed: records.onConnectionClosed,
  });
  servers.push(server);
  return { server, records };
}

function toLoopback(address = '127.0.0.1'): LookupFunction {
  const family = address.includes(':') ? 6 : 4;
  return vi.fn((_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  });
}

function failingLookup(error: Error): LookupFunction {
  return (_hostname, _options, callback) =>
    setImmediate(() => callback(error, '', 0));
}

function rewrite(port: number) {
  return [parseConnectTo(`${EKS_HOST}:443:127.0.0.1:${port}`)];
}

describe('probeEndpoint', () => {
  it.each([
    ['EC', () => ec],
    ['RSA', () => rsa],
  ])('captures the %s chain the server presents', async (_key, chainOf) => {
    const chain = chainOf();
    const { server, records } = await tlsServer(chain);

    const result = await probeEndpoint(
      { url: `${EKS_URL}/version` },
      { timeoutMs: TIMEOUT_MS, connectTo: rewrite(server.port) },
    );

    expect(result).toEqual({
      kind: 'handshake',
      host: EKS_NAME,
      chain: [chain.leaf.der, chain.intermediate.der],
      protocol: 'TLSv1.3',
      cipher: expect.stringMatching(/^TLS_AES_|^TLS_CHACHA20_/),
      remoteAddress: '127.0.0.1',
      remotePort: server.port,
    });
    const [seen] = await records.waitFor(1);
    expect(seen).toEqual({
      servername: EKS_NAME,
      handshakeCompleted: true,
      sessionReused: false,
      protocol: 'TLSv1.3',
      applicationBytes: 0,
      error: null,
    });
  });

  it('keeps a self-signed root the server sends once, at the end', async () => {
    const withRoot = {
      ...ec,
      served: {
        keyPem: ec.leaf.keyPem,
        certPems: [ec.leaf.pem, ec.intermediate.pem, ec.root.pem],
      },
    };
    const { server } = await tlsServer(withRoot);

    const result = await probeEndpoint(
      { url: EKS_URL },
      { timeoutMs: TIMEOUT_MS, connectTo: rewrite(server.port) },
    );

    expect(result.kind === 'handshake' && result.chain).toEqual([
      ec.leaf.der,
      ec.intermediate.der,
      ec.root.der,
    ]);
  });

  it('resolves the host with an injected lookup', async () => {
    const { server, records } = await tlsServer(ec);
    const lookup = toLoopback();

    const result = await probeEndpoint(
      { url: `https://${EKS_HOST}:${server.port}` },
      { timeoutMs: TIMEOUT_MS, lookup },
    );

    expect(result.kind).toBe('handshake');
    expect(lookup).toHaveBeenCalledWith(
      EKS_NAME,
      expect.anything(),
      expect.any(Function),
    );
    expect((await records.waitFor(1))[0]?.servername).toBe(EKS_NAME);
  });

  it('resolves a connect-to host name but sends the URL host as SNI', async () => {
    const { server, records } = await tlsServer(ec);
    const lookup = toLoopback();

    const result = await probeEndpoint(
      { url: EKS_URL },
      {
        timeoutMs: TIMEOUT_MS,
        lookup,
        connectTo: [parseConnectTo(`::apiserver.test:${server.port}`)],
      },
    );

    expect(result.kind === 'handshake' && result.chain[0]).toEqual(ec.leaf.der);
    expect(lookup).toHaveBeenCalledWith(
      'apiserver.test',
      expect.anything(),
      expect.any(Function),
    );
    expect((await records.waitFor(1))[0]?.servername).toBe(EKS_NAME);
  });

  it('asks the system resolver when no lookup is injected', async () => {
    const { server } = await tlsServer(ec);
    systemLookup.mockImplementation(toLoopback());

    const result = await probeEndpoint(
      { url: `https://${EKS_HOST}:${server.port}` },
      { timeoutMs: TIMEOUT_MS },
    );

    expect(result.kind).toBe('handshake');
    expect(systemLookup).toHaveBeenCalledWith(
      EKS_NAME,
      expect.anything(),
      expect.any(Function),
    );
  });

  it('sends and reports the servername option instead of the URL host', async () => {
    const { server, records } = await tlsServer(ec);

    const result = await probeEndpoint(
      { url: `https://127.0.0.1:${server.port}` },
      { timeoutMs: TIMEOUT_MS, servername: 'kubernetes' },
    );

    expect(result.host).toBe('kubernetes');
    expect(result.kind === 'handshake' && result.chain).toEqual([
      other.leaf.der,
      other.intermediate.der,
    ]);
    expect((await records.waitFor(1))[0]?.servername).toBe('kubernetes');
  });

  it('uses the URL host when the servername option is empty', async () => {
    const { server, records } = await tlsServer(ec);

    const result = await probeEndpoint(
      { url: EKS_URL },
      {
        timeoutMs: TIMEOUT_MS,
        servername: '',
        connectTo: rewrite(server.port),
      },
    );

    expect(result.host).toBe(EKS_NAME);
    expect((await records.waitFor(1))[0]?.servername).toBe(EKS_NAME);
  });

  it.each([
    ['an IPv4 URL', '127.0.0.1', 'https://127.0.0.1:PORT', null],
    ['an IPv6 URL', '::1', 'https://[::1]:PORT', null],
    ['an IP servername', '127.0.0.1', 'https://127.0.0.1:PORT', '127.0.0.1'],
  ])('sends no SNI for %s', async (_case, address, url, servername) => {
    const records = connectionRecords();
    const server = await startLocalTlsServer({
      host: address,
      chains: { [EKS_HOST]: other.served },
      defaultChain: ec.served,
      onConnectionClosed: records.onConnectionClosed,
    });
    servers.push(server);

    const result = await probeEndpoint(
      { url: url.replace('PORT', String(server.port)) },
      { timeoutMs: TIMEOUT_MS, servername },
    );

    expect(result).toMatchObject({
      kind: 'handshake',
      host: address,
      chain: [ec.leaf.der, ec.intermediate.der],
      remoteAddress: address,
    });
    expect((await records.waitFor(1))[0]?.servername).toBeNull();
  });

  it('never resumes an earlier session', async () => {
    const { server, records } = await tlsServer(ec);
    const options = { timeoutMs: TIMEOUT_MS, connectTo: rewrite(server.port) };

    await probeEndpoint({ url: EKS_URL }, options);
    await probeEndpoint({ url: EKS_URL }, options);
    const resumedByPlainClient = await resumeWithPlainClient(server.port);

    const seen = await records.waitFor(4);
    expect(seen.map((record) => record.sessionReused)).toEqual([
      false,
      false,
      false,
      true,
    ]);
    expect(resumedByPlainClient).toBe(true);
  });

  it('sends no application data', async () => {
    const { server, records } = await tlsServer(rsa);

    await probeEndpoint(
      { url: EKS_URL },
      { timeoutMs: TIMEOUT_MS, connectTo: rewrite(server.port) },
    );

    const [seen] = await records.waitFor(1);
    expect(seen?.handshakeCompleted).toBe(true);
    expect(seen?.applicationBytes).toBe(0);
  });

  it('leaves no socket or timer behind once it resolves', async () => {
    const { server } = await tlsServer(ec);
    const options = { timeoutMs: TIMEOUT_MS, connectTo: rewrite(server.port) };
    await probeEndpoint({ url: EKS_URL }, options);
    await server.whenIdle();
    const before = handleCounts();

    await probeEndpoint({ url: EKS_URL }, options);
    await server.whenIdle();

    expect(handleCounts()).toEqual(before);
  });

  it('times out on a server that never answers and closes the socket', async () => {
    const silent = await startSilentServer();
    servers.push(silent);
    const started = Date.now();

    const result = await probeEndpoint(
      { url: EKS_URL },
      { timeoutMs: 300, connectTo: rewrite(silent.port) },
    );

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toEqual({
      kind: 'failure',
      host: EKS_NAME,
      code: 'TIMEOUT',
      message: `no TLS handshake with 127.0.0.1:${silent.port} (connect-to for ${EKS_NAME}:443) within 300 ms; stopped during the TLS handshake`,
    });
    await silent.whenIdle();
    expect(silent.stats()).toMatchObject({ accepted: 1, open: 0 });
  });

  it('times out while a lookup hangs', async () => {
    const hanging: LookupFunction = () => undefined;

    const result = await probeEndpoint(
      { url: EKS_URL },
      { timeoutMs: 300, lookup: hanging },
    );

    expect(result).toMatchObject({ kind: 'failure', code: 'TIMEOUT' });
    expect(result.kind === 'failure' && result.message).toMatch(
      /within 300 ms; stopped during name resolution$/,
    );
  });

  it('reports a refused connection with the address', async () => {
    const port = await closedPort();

    const result = await probeEndpoint(
      { url: EKS_URL },
      { timeoutMs: TIMEOUT_MS, connectTo: rewrite(port) },
    );

    expect(result).toMatchObject({
      kind: 'failure',
      host: EKS_NAME,
      code: 'CONNECTION_REFUSED',
    });
    expect(result.kind === 'failure' && result.message).toMatch(
      new RegExp(
        `^could not connect to 127\\.0\\.0\\.1:${port} .*ECONNREFUSED`,
      ),
    );
  });

  it.each([
    [
      'ENOTFOUND',
      failingLookup(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${EKS_HOST}`), {
          code: 'ENOTFOUND',
        }),
      ),
    ],
    [
      'EAI_AGAIN',
      failingLookup(
        Object.assign(new Error(`getaddrinfo EAI_AGAIN ${EKS_HOST}`), {
          code: 'EAI_AGAIN',
        }),
      ),
    ],
    ['an error without a code', failingLookup(new Error('resolver is down'))],
    [
      'a lookup that throws',
      (() => {
        throw new Error('resolver crashed');
      }) as LookupFunction,
    ],
  ])('reports a DNS failure for %s', async (_case, lookup) => {
    const result = await probeEndpoint(
      { url: EKS_URL },
      { timeoutMs: TIMEOUT_MS, lookup },
    );

    expect(result).toMatchObject({
      kind: 'failure',
      host: EKS_NAME,
      code: 'DNS_FAILURE',
    });
    expect(result.kind === 'failure' && result.message).toMatch(
      new RegExp(`^could not resolve ${EKS_NAME}:443: `),
    );
  });

  it('fails the handshake with a server that does not speak TLS', async () => {
    const garbage = await startGarbageServer();
    servers.push(garbage);

    const result = await probeEndpoint(
      { url: EKS_URL },
      { timeoutMs: TIMEOUT_MS, connectTo: rewrite(garbage.port) },
    );

    expect(result).toMatchObject({
      kind: 'failure',
      code: 'TLS_HANDSHAKE_FAILED',
    });
    expect(result.kind === 'failure' && result.message).toMatch(
      new RegExp(`^TLS handshake failed with 127\\.0\\.0\\.1:${garbage.port} `),
    );
  });

  it('reports a reset connection', async () => {
    const resetting = await startResettingServer();
    servers.push(resetting);

    const result = await probeEndpoint(
      { url: EKS_URL },
      { timeoutMs: TIMEOUT_MS, connectTo: rewrite(resetting.port) },
    );

    expect(result).toMatchObject({ kind: 'failure', code: 'CONNECTION_RESET' });
    expect(result.kind === 'failure' && result.message).toMatch(
      /^connection reset by 127\.0\.0\.1:\d+ .*ECONNRESET/,
    );
  });

  it.each([
    ['a bad URL', 'not a url', 1000, /endpoint URL must be https/],
    ['plain http', 'http://127.0.0.1', 1000, /must use https, got "http"/],
    ['a zero timeout', EKS_URL, 0, /must be a positive number .* got 0/],
    ['a NaN timeout', EKS_URL, Number.NaN, /got NaN/],
  ])('rejects %s with a usage error', async (_case, url, timeoutMs, why) => {
    const probing = probeEndpoint({ url }, { timeoutMs });

    await expect(probing).rejects.toBeInstanceOf(AuditError);
    await expect(probing).rejects.toThrow(why);
  });
});

describe('parseEndpointUrl', () => {
  it.each([
    [EKS_URL, EKS_NAME, 443],
    [`${EKS_URL}:443/version?timeout=1s`, EKS_NAME, 443],
    ['https://Api.Example:6443/', 'api.example', 6443],
    ['https://127.0.0.1:8443', '127.0.0.1', 8443],
    ['https://[::1]', '::1', 443],
    ['https://[2001:db8::1]:6443', '2001:db8::1', 6443],
  ])('reads %s', (url, host, port) => {
    expect(parseEndpointUrl(url)).toEqual({ host, port });
  });

  it.each([
    ['', /must be https:\/\/host\[:port\], got ""/],
    [EKS_HOST, /must be https:\/\/host\[:port\], got "ABCDEF/],
    ['ftp://example.com', /must use https, got "ftp"/],
    ['https://user:secret@example.com', /must not carry a user name/],
    ['https://example.com:0', /port must be from 1 to 65535, got 0/],
    ['https://example.com:65536', /must be https:\/\/host\[:port\]/],
  ])('rejects %j', (url, why) => {
    const parse = () => parseEndpointUrl(url);

    expect(parse).toThrow(AuditError);
    expect(parse).toThrow(why);
  });

  it('keeps credentials out of its message', () => {
    expect(() =>
      parseEndpointUrl('https://user:secret@example.com'),
    ).not.toThrow(/secret/);
  });
});

/**
 * Connects twice with a plain TLS client that hands the first session to
 * the second connection, to show that the server does resume sessions.
 */
async function resumeWithPlainClient(port: number): Promise<boolean> {
  const options = {
    host: '127.0.0.1',
    port,
    servername: EKS_HOST,
    rejectUnauthorized: false,
  };
  const session = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect(options);
    socket.once('session', (ticket: Buffer) => {
      socket.end();
      resolve(ticket);
    });
    socket.once('error', reject);
  });
  return new Promise<boolean>((resolve, reject) => {
    const socket: TLSSocket = connect({ ...options, session });
    socket.once('secureConnect', () => {
      const reused = socket.isSessionReused();
      socket.end();
      socket.once('close', () => resolve(reused));
    });
    socket.once('error', reject);
  });
}

function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}
