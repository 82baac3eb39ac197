// Runs a bundled handler once the way the Lambda runtime would, in a
// plain Node.js process: no tsx, no vitest, only the bundle.
//
// Usage: node invoke-handler.mjs '{"bundle":…,"event":…,"functionArn":…,
//   "timeoutMs":…}'
//
// Before the bundle loads, every outgoing TCP connection and HTTP request
// of the process is recorded, so that the test can tell that nothing left
// 127.0.0.1. The record goes to stderr on one line that starts with
// NETWORK_MARKER; the handler's result (or its error) is the last line of
// stdout, as JSON.
import diagnostics from 'node:diagnostics_channel';
import net from 'node:net';
import { pathToFileURL } from 'node:url';

const NETWORK_MARKER = 'E2E-NETWORK ';

const input = JSON.parse(process.argv[2] ?? '{}');
const network = { connections: [], lookups: [], httpRequests: [] };

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function recordedConnect(...args) {
  network.connections.push(targetOf(args));
  this.once('lookup', (error, address, _family, host) => {
    network.lookups.push({ host, address, error: error?.code ?? null });
  });
  return originalConnect.apply(this, args);
};

diagnostics.subscribe('http.client.request.start', ({ request }) => {
  network.httpRequests.push({
    method: request.method,
    host: request.host,
    path: request.path,
  });
});

const startedAt = Date.now();
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'eks-cert-audit',
  functionVersion: '$LATEST',
  invokedFunctionArn: input.functionArn,
  memoryLimitInMB: '512',
  awsRequestId: 'e2e-00000000-0000-4000-8000-000000000000',
  logGroupName: '/aws/lambda/eks-cert-audit',
  logStreamName: 'e2e/[$LATEST]0',
  getRemainingTimeInMillis: () => startedAt + input.timeoutMs - Date.now(),
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

let outcome;
try {
  const { handler } = await import(pathToFileURL(input.bundle).href);
  outcome = { result: await handler(input.event, context) };
} catch (error) {
  process.exitCode = 1;
  outcome = {
    error: {
      name: error?.name ?? 'Error',
      message: String(error?.message ?? error),
      stack: String(error?.stack ?? ''),
    },
  };
}
process.stderr.write(`\n${NETWORK_MARKER}${JSON.stringify(network)}\n`);
process.stdout.write(`\n${JSON.stringify(outcome)}\n`);

/** Where a `Socket#connect` call goes, from any of its argument forms. */
function targetOf(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === 'object' && first !== null) {
    return {
      host: first.host ?? null,
      port: first.port ?? null,
      path: first.path ?? null,
    };
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) {
    return { host: null, port: null, path: first };
  }
  return {
    host: typeof args[1] === 'string' ? args[1] : null,
    port: Number(first),
    path: null,
  };
}
