import {
  type AddressInfo,
  createServer as createNetServer,
  isIPv4,
  type Server,
  type Socket,
} from 'node:net';
import {
  createSecureContext,
  createServer as createTlsServer,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';
import { AuditError } from '../engine/errors.js';

/** A private key and the certificates to present with it. */
export interface ServedChain {
  /** PEM private key of the leaf. */
  readonly keyPem: string;
  /** PEM certificates, leaf first, intermediates after. */
  readonly certPems: readonly string[];
}

/** Options of {@link startLocalTlsServer}. */
export interface LocalTlsServerOptions {
  /** Chains by SNI name; names match case-insensitively. */
  readonly chains?:
    | ReadonlyMap<string, ServedChain>
    | Readonly<Record<string, ServedChain>>;
  /**
   * Chain for a client without SNI or with a name not in `chains`.
   * @default the first chain of `chains`
   */
  readonly defaultChain?: ServedChain;
  /**
   * Wait before the server reads the ClientHello, to simulate the latency
   * of a real network on the server side. @default 0
   */
  readonly handshakeDelayMs?: number;
  /** Loopback address to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0, a free port chosen by the system */
  readonly port?: number;
  /** Connections accepted at once; more are dropped. @default 4096 */
  readonly maxConnections?: number;
  /**
   * A handshake that takes longer, or a connection idle for longer, is
   * destroyed. @default 30000
   */
  readonly idleTimeoutMs?: number;
  /** Called once per TLS connection when it ends, with what it saw. */
  readonly onConnectionClosed?: (record: TlsConnectionRecord) => void;
}

/** What the server saw on one TLS connection. */
export interface TlsConnectionRecord {
  /** SNI the client sent, or `null` when it sent none. */
  readonly servername: string | null;
  readonly handshakeCompleted: boolean;
  /** `true` when the client resumed an earlier session. */
  readonly sessionReused: boolean;
  readonly protocol: string | null;
  /** Bytes of application data received (read and discarded). */
  readonly applicationBytes: number;
  /** Why the handshake failed, or `null`. */
  readonly error: string | null;
}

/** Counters of a local server since it started. */
export interface LocalServerStats {
  /** TCP connections accepted. */
  readonly accepted: number;
  /** TCP connections open now. */
  readonly open: number;
  /** Socket errors seen (resets by clients are normal and counted here). */
  readonly socketErrors: number;
  /** Completed TLS handshakes; always 0 for a server without TLS. */
  readonly handshakes: number;
  /** Failed TLS handshakes; always 0 for a server without TLS. */
  readonly handshakeFailures: number;
}

/** A server on a loopback address that a test or the demo started. */
export interface LocalServer {
  /** The loopback address it listens on. */
  readonly host: string;
  /** The actual port, also when 0 was asked for. */
  readonly port: number;
  /** Counters since the server started. */
  stats(): LocalServerStats;
  /** Resolves when no connection is open. */
  whenIdle(): Promise<void>;
  /** Stops listening and destroys every connection; safe to call twice. */
  close(): Promise<void>;
}

/** The server {@link startLocalTlsServer} starts. */
export type LocalTlsServer = LocalServer;

/** Options shared by the servers that do not speak TLS. */
export interface LocalServerOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 */
  readonly port?: number;
}

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_MAX_CONNECTIONS = 4096;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const BACKLOG = 1024;
/** What the garbage server answers: HTTP, which is not TLS. */
const NOT_TLS =
  'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';

/**
 * Starts a real TLS server on a loopback address that presents a chain
 * chosen by the SNI the client sends.
 *
 * One secure context is made per distinct chain at start, so thousands of
 * names and hundreds of concurrent handshakes cost little. Application
 * data is read and discarded; the server never answers it.
 */
export async function startLocalTlsServer(
  options: LocalTlsServerOptions,
): Promise<LocalTlsServer> {
  const delayMs = options.handshakeDelayMs ?? 0;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const chains = chainEntries(options.chains);
  const defaultChain = options.defaultChain ?? chains[0]?.[1];
  if (defaultChain === undefined) {
    throw new AuditError(
      'USAGE',
      'local TLS server needs a chain to serve: got no defaultChain and no chains',
    );
  }
  const contexts = buildContexts(chains);
  const counts = { handshakes: 0, handshakeFailures: 0 };
  const pending = new Set<NodeJS.Timeout>();
  const record = options.onConnectionClosed ?? (() => undefined);

  const tlsServer = createTlsServer({
    key: defaultChain.keyPem,
    cert: defaultChain.certPems.join('\n'),
    handshakeTimeout: idleTimeoutMs,
    SNICallback: (servername, callback) =>
      callback(null, contexts.get(servername.toLowerCase())),
  });
  tlsServer.on('secureConnection', (socket: TLSSocket) => {
    counts.handshakes += 1;
    // Read now: the TLS state is gone once the socket has closed.
    const seen = {
      servername: servernameOf(socket),
      handshakeCompleted: true,
      sessionReused: socket.isSessionReused(),
      protocol: socket.getProtocol() ?? null,
      applicationBytes: 0,
      error: null,
    };
    socket.setTimeout(idleTimeoutMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      seen.applicationBytes += chunk.length;
    });
    socket.once('close', () => record(seen));
  });
  tlsServer.on('tlsClientError', (error: Error, socket: TLSSocket) => {
    counts.handshakeFailures += 1;
    record({
      servername: servernameOf(socket),
      handshakeCompleted: false,
      sessionReused: false,
      protocol: null,
      applicationBytes: 0,
      error: error.message,
    });
  });

  // The raw socket stays paused until it is handed to TLS, so the
  // ClientHello waits in the kernel for the delay, as on a slow network.
  const server = createNetServer({ pauseOnConnect: true });
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const tracked = await listenTracked(server, options, counts, () => {
    for (const timer of pending) clearTimeout(timer);
    pending.clear();
  });
  server.on('connection', (socket: Socket) => {
    if (delayMs <= 0) {
      tlsServer.emit('connection', socket);
      return;
    }
    const timer = setTimeout(() => {
      pending.delete(timer);
      if (!socket.destroyed) tlsServer.emit('connection', socket);
    }, delayMs);
    pending.add(timer);
  });
  return tracked;
}

/**
 * Starts a TCP server that accepts connections and never answers, for
 * probe timeouts. It reads and discards what clients send, so that it
 * notices when they close.
 */
export function startSilentServer(
  options: LocalServerOptions = {},
): Promise<LocalServer> {
  const server = createNetServer((socket) => {
    socket.resume();
  });
  return listenTracked(server, options);
}

/**
 * Starts a TCP server that resets each connection (TCP RST) as soon as
 * the client sends its first bytes.
 */
export function startResettingServer(
  options: LocalServerOptions = {},
): Promise<LocalServer> {
  const server = createNetServer((socket) => {
    socket.once('data', () => socket.resetAndDestroy());
  });
  return listenTracked(server, options);
}

/**
 * Starts a TCP server that answers the first bytes of each connection
 * with an HTTP error instead of TLS, then closes it.
 */
export function startGarbageServer(
  options: LocalServerOptions = {},
): Promise<LocalServer> {
  const server = createNetServer((socket) => {
    socket.once('data', () => socket.end(NOT_TLS));
  });
  return listenTracked(server, options);
}

/**
 * Returns a port on a loopback address that nothing listens on: it binds
 * a free port and releases it. Another process could take it in between,
 * which is unlikely on a test machine.
 */
export async function closedPort(host = DEFAULT_HOST): Promise<number> {
  const server = await listenTracked(createNetServer(), { host });
  await server.close();
  return server.port;
}

function chainEntries(
  chains: LocalTlsServerOptions['chains'],
): (readonly [string, ServedChain])[] {
  if (chains === undefined) return [];
  if (chains instanceof Map) return [...chains.entries()];
  return Object.entries(chains as Readonly<Record<string, ServedChain>>);
}

function buildContexts(
  entries: readonly (readonly [string, ServedChain])[],
): Map<string, SecureContext> {
  const byContent = new Map<string, SecureContext>();
  const byName = new Map<string, SecureContext>();
  for (const [name, chain] of entries) {
    const content = [chain.keyPem, ...chain.certPems].join('\n');
    let context = byContent.get(content);
    if (context === undefined) {
      context = createSecureContext({
        key: chain.keyPem,
        cert: chain.certPems.join('\n'),
      });
      byContent.set(content, context);
    }
    byName.set(name.toLowerCase(), context);
  }
  return byName;
}

function servernameOf(socket: TLSSocket): string | null {
  return typeof socket.servername === 'string' ? socket.servername : null;
}

/**
 * Listens on a loopback address and tracks every connection, so that
 * close() can destroy them all and whenIdle() can tell when they are gone.
 */
async function listenTracked(
  server: Server,
  options: LocalServerOptions,
  counts: { handshakes: number; handshakeFailures: number } = {
    handshakes: 0,
    handshakeFailures: 0,
  },
  onClose: () => void = () => undefined,
): Promise<LocalServer> {
  const host = options.host ?? DEFAULT_HOST;
  if (!isLoopback(host)) {
    throw new AuditError(
      'USAGE',
      `local server address must be a loopback address (127.0.0.0/8 or ::1), got ${host}`,
    );
  }
  const open = new Set<Socket>();
  let idleWaiters: (() => void)[] = [];
  let accepted = 0;
  let socketErrors = 0;
  let closing: Promise<void> | undefined;

  // Registered before the server's own handlers, so every socket has an
  // error listener before anything can fail on it.
  server.prependListener('connection', (socket: Socket) => {
    accepted += 1;
    open.add(socket);
    socket.on('error', () => {
      socketErrors += 1;
    });
    socket.once('close', () => {
      open.delete(socket);
      if (open.size > 0) return;
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 0, backlog: BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Accept errors (out of file descriptors, say) are counted, not fatal.
  server.on('error', () => {
    socketErrors += 1;
  });

  return {
    host,
    port: (server.address() as AddressInfo).port,
    stats: () => ({
      accepted,
      open: open.size,
      socketErrors,
      handshakes: counts.handshakes,
      handshakeFailures: counts.handshakeFailures,
    }),
    whenIdle: () =>
      open.size === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => idleWaiters.push(resolve)),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        onClose();
        for (const socket of open) socket.destroy();
      });
      return closing;
    },
  };
}

function isLoopback(host: string): boolean {
  return host === '::1' || (isIPv4(host) && host.startsWith('127.'));
}
