import type { X509Certificate } from 'node:crypto';
import { lookup as systemLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import {
  connect,
  createSecureContext,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';
import { applyConnectTo, type ConnectToRule } from './connect-to.js';
import { AuditError } from './errors.js';

/** The API server to probe. */
export interface ProbeTarget {
  /** `https://host[:port][/path]`; the path is ignored. */
  readonly url: string;
}

/** How to probe: the deadline, address rewrites and name resolution. */
export interface ProbeOptions {
  /** Deadline for name resolution, connect and handshake together. */
  readonly timeoutMs: number;
  /** curl-style rewrites of where to connect; the first match wins. */
  readonly connectTo?: readonly ConnectToRule[];
  /**
   * Resolver with the `node:net` lookup signature, used instead of the
   * system resolver for host names. Node 20 calls it with `all: true`
   * (happy eyeballs), and it must then answer with an address array.
   */
  readonly lookup?: LookupFunction;
  /**
   * Name to send as SNI and to verify (kubeconfig `tls-server-name`);
   * `null`, empty or absent means the URL's host.
   */
  readonly servername?: string | null;
}

/** Why no handshake completed. */
export const PROBE_FAILURE_CODES = Object.freeze([
  'TIMEOUT',
  'CONNECTION_REFUSED',
  'CONNECTION_RESET',
  'DNS_FAILURE',
  'TLS_HANDSHAKE_FAILED',
] as const);

/** One code of {@link PROBE_FAILURE_CODES}. */
export type ProbeFailureCode = (typeof PROBE_FAILURE_CODES)[number];

/** What one probe saw: a completed handshake or why there was none. */
export type ProbeResult =
  | {
      readonly kind: 'handshake';
      /** The name to verify: the `servername` option or the URL's host. */
      readonly host: string;
      /** DER of the presented certificates Node could link, leaf first. */
      readonly chain: readonly Buffer[];
      /** For example `TLSv1.3`. */
      readonly protocol: string | null;
      /** IANA name, for example `TLS_AES_128_GCM_SHA256`. */
      readonly cipher: string | null;
      readonly remoteAddress: string | null;
      readonly remotePort: number | null;
    }
  | {
      readonly kind: 'failure';
      readonly host: string;
      readonly code: ProbeFailureCode;
      /** Plain words with the address and the cause, no final period. */
      readonly message: string;
    };

/** Longest chain kept; no real server sends more. */
const MAX_CHAIN_LENGTH = 32;
/** How long a closing probe waits for its polite close before destroying. */
const CLOSE_GRACE_MS = 1000;
/** Largest delay `setTimeout` honours. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * Parses an API server URL into the host and port to probe.
 *
 * Only `https` URLs without credentials are accepted; the port defaults to
 * 443. The host comes back in lower case, as the WHATWG URL parser gives
 * it, and an IPv6 host without brackets. Throws `AuditError` with code
 * `USAGE` otherwise.
 */
export function parseEndpointUrl(url: string): { host: string; port: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new AuditError(
      'USAGE',
      `endpoint URL must be https://host[:port], got "${url}"`,
      { cause },
    );
  }
  if (parsed.protocol !== 'https:') {
    throw new AuditError(
      'USAGE',
      `endpoint URL must use https, got "${parsed.protocol.slice(0, -1)}" in "${url}"`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new AuditError(
      'USAGE',
      'endpoint URL must not carry a user name or password, got one in the URL given',
    );
  }
  if (parsed.hostname === '') {
    throw new AuditError(
      'USAGE',
      `endpoint URL must name a host, got "${url}"`,
    );
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port === '' ? 443 : Number(parsed.port);
  if (port === 0) {
    throw new AuditError(
      'USAGE',
      `endpoint URL port must be from 1 to 65535, got 0 in "${url}"`,
    );
  }
  return { host, port };
}

/**
 * Opens one fresh TLS connection to an API server, captures the chain it
 * presents and closes the connection without sending application data.
 *
 * The chain is not verified here: the evaluator judges it against the
 * cluster's CA. SNI carries the expected name unless it is an IP literal;
 * connect-to rules change only the address. No session is ever resumed.
 * The deadline covers name resolution, connect and handshake, and the
 * socket is destroyed when it passes. After a handshake the probe closes
 * with a TLS close_notify alert and destroys the socket at the latest a
 * second later. The promise resolves once the socket has closed, with a
 * {@link ProbeResult} for every network outcome; it rejects only with an
 * `AuditError` of code `USAGE` for a bad URL or timeout.
 *
 * Limitation: Node exposes only the certificates it can link into a chain
 * from the leaf; extra certificates the server sent that link to nothing
 * are invisible, and so absent from `chain`.
 */
export async function probeEndpoint(
  target: ProbeTarget,
  options: ProbeOptions,
): Promise<ProbeResult> {
  const { timeoutMs } = options;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new AuditError(
      'USAGE',
      `probe timeout must be a positive number of milliseconds, got ${timeoutMs}`,
    );
  }
  const { host, port } = parseEndpointUrl(target.url);
  // An empty tls-server-name means none, as in kubectl.
  const expected =
    options.servername === undefined ||
    options.servername === null ||
    options.servername === ''
      ? host
      : options.servername;
  const address = applyConnectTo(host, port, options.connectTo ?? []);

  return new Promise<ProbeResult>((resolve) => {
    const where = describeAddress(expected, host, port, address);
    const stage = { resolved: false, connected: false, dnsFailed: false };
    let outcome: ProbeResult | undefined;
    let socket: TLSSocket | undefined;
    let closeGuard: NodeJS.Timeout | undefined;

    // The first outcome wins; the promise resolves once the socket has
    // closed, so a resolved probe leaves no socket or timer behind.
    const settle = (result: ProbeResult): void => {
      if (outcome !== undefined) return;
      outcome = result;
      clearTimeout(deadline);
      if (result.kind === 'handshake') closePolitely();
      else socket?.destroy();
    };
    const failure = (code: ProbeFailureCode, message: string): void =>
      settle({ kind: 'failure', host: expected, code, message });
    // end() lets the client's Finished message leave before the close
    // (destroying at once drops it under TLS 1.3, and the server logs a
    // handshake error); the guard bounds a peer that never lets go.
    const closePolitely = (): void => {
      closeGuard = setTimeout(() => socket?.destroy(), CLOSE_GRACE_MS);
      socket?.once('finish', () => socket?.destroy());
      socket?.end();
    };
    const lookup = recordingLookup(
      options.lookup ?? (systemLookup as LookupFunction),
      stage,
    );

    const deadline = setTimeout(
      // The event loop may have been busy (judging another cluster's
      // chain) while this server's answer waited in the socket: pending
      // I/O gets one turn before the probe is declared timed out, so a
      // stall elsewhere does not turn an answer into a false TIMEOUT.
      () => setImmediate(declareTimeout),
      Math.min(timeoutMs, MAX_TIMEOUT_MS),
    );
    function declareTimeout(): void {
      const phase = stage.connected
        ? 'the TLS handshake'
        : stage.resolved || isIP(address.host) !== 0
          ? 'the TCP connect'
          : 'name resolution';
      failure(
        'TIMEOUT',
        `no TLS handshake with ${where} within ${timeoutMs} ms; stopped during ${phase}`,
      );
    }

    try {
      socket = connect({
        host: address.host,
        port: address.port,
        servername: isIP(expected) === 0 ? expected : undefined,
        lookup,
        // The evaluator verifies the chain; an empty CA list keeps Node
        // from appending a root of its own store that the server never
        // sent.
        secureContext: emptyTrustContext(),
        rejectUnauthorized: false,
        session: undefined,
      });
    } catch (error) {
      clearTimeout(deadline);
      throw error;
    }
    socket.on('connect', () => {
      stage.connected = true;
    });
    socket.on('secureConnect', function onSecure(this: TLSSocket) {
      const cipher = this.getCipher();
      settle({
        kind: 'handshake',
        host: expected,
        chain: presentedChain(this.getPeerX509Certificate()),
        protocol: this.getProtocol() ?? null,
        cipher: cipher?.standardName ?? cipher?.name ?? null,
        remoteAddress: this.remoteAddress ?? null,
        remotePort: this.remotePort ?? null,
      });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = classify(error, stage);
      failure(code, `${FAILURE_WORDS[code]} ${where}: ${causeOf(error)}`);
    });
    socket.on('close', () => {
      failure(
        'CONNECTION_RESET',
        `${FAILURE_WORDS.CONNECTION_RESET} ${where}: the connection closed before the handshake completed`,
      );
      clearTimeout(closeGuard);
      resolve(outcome as ProbeResult);
    });
  });
}

/** Wraps a resolver to note whether name resolution ran and failed. */
function recordingLookup(
  resolver: LookupFunction,
  stage: { resolved: boolean; dnsFailed: boolean },
): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    const answer: typeof callback = (error, addresses, family) => {
      stage.resolved = true;
      stage.dnsFailed = error !== null && error !== undefined;
      callback(error, addresses, family);
    };
    try {
      resolver(hostname, lookupOptions, answer);
    } catch (error) {
      process.nextTick(answer, error as NodeJS.ErrnoException, []);
    }
  };
}

const FAILURE_WORDS: Readonly<Record<ProbeFailureCode, string>> = Object.freeze(
  {
    TIMEOUT: 'timed out reaching',
    CONNECTION_REFUSED: 'could not connect to',
    CONNECTION_RESET: 'connection reset by',
    DNS_FAILURE: 'could not resolve',
    TLS_HANDSHAKE_FAILED: 'TLS handshake failed with',
  },
);

const REFUSED = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const DNS = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NODATA',
  'EAI_NONAME',
]);

function classify(
  error: NodeJS.ErrnoException,
  stage: { readonly connected: boolean; readonly dnsFailed: boolean },
): ProbeFailureCode {
  const code = error.code ?? '';
  if (stage.dnsFailed || DNS.has(code)) return 'DNS_FAILURE';
  if (REFUSED.has(code)) return 'CONNECTION_REFUSED';
  if (RESET.has(code)) return 'CONNECTION_RESET';
  if (code === 'ETIMEDOUT') return 'TIMEOUT';
  // Anything else before the TCP connection stood is a failure to
  // connect; after it, OpenSSL errors (alerts, EPROTO, wrong version
  // number for a server that does not speak TLS) end the handshake.
  return stage.connected ? 'TLS_HANDSHAKE_FAILED' : 'CONNECTION_REFUSED';
}

function causeOf(error: NodeJS.ErrnoException): string {
  // OpenSSL errors carry a short `reason` beside a long message full of
  // library internals; the reason is what a person can act on.
  const reason = (error as { reason?: unknown }).reason;
  const message =
    typeof reason === 'string' && reason !== ''
      ? reason
      : error.message.replace(/\s+/g, ' ').trim();
  const code = error.code;
  const hint = /wrong version number|unknown protocol|http request/i.test(
    message,
  )
    ? ': the server does not speak TLS on this port'
    : '';
  return code !== undefined && !message.includes(code)
    ? `${message} (${code})${hint}`
    : `${message}${hint}`;
}

function describeAddress(
  expected: string,
  host: string,
  port: number,
  address: { readonly host: string; readonly port: number },
): string {
  const target = `${bracket(address.host)}:${address.port}`;
  const notes: string[] = [];
  if (address.host !== host || address.port !== port) {
    notes.push(`connect-to for ${bracket(host)}:${port}`);
  }
  if (expected !== host) notes.push(`verifying ${expected}`);
  return notes.length === 0 ? target : `${target} (${notes.join(', ')})`;
}

function bracket(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Walks the peer certificate from the leaf along its issuers and keeps
 * only the DER. Node links a self-signed certificate to itself, and the
 * walk stops there, at a repeat, or at {@link MAX_CHAIN_LENGTH}.
 * (`getPeerX509Certificate` gives the same chain as the detailed
 * `getPeerCertificate(true)` in half the time.)
 */
function presentedChain(leaf: X509Certificate | undefined): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<string>();
  let current: X509Certificate | undefined = leaf;
  while (
    current !== undefined &&
    !seen.has(current.fingerprint256) &&
    chain.length < MAX_CHAIN_LENGTH
  ) {
    seen.add(current.fingerprint256);
    chain.push(current.raw);
    current = current.issuerCertificate;
  }
  return chain;
}

let sharedContext: SecureContext | undefined;

/**
 * One TLS context with an empty CA list, shared by every probe: building
 * one per probe cost a third of a millisecond each. Sharing it resumes no
 * session, since a client resumes only when given a session explicitly.
 * The empty list keeps Node from appending a root of its own store that
 * the server never sent.
 */
function emptyTrustContext(): SecureContext {
  sharedContext ??= createSecureContext({ ca: [] });
  return sharedContext;
}
