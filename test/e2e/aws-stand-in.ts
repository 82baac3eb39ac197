import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One HTTP request as the stand-in received it. */
export interface AwsRequest {
  readonly method: string;
  /** Path without the query, percent-decoded segment by segment. */
  readonly segments: readonly string[];
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Service of the SigV4 credential scope, such as `eks` or `sns`. */
  readonly service: string | null;
  /** Region of the SigV4 credential scope. */
  readonly region: string | null;
  /** Access key id of the SigV4 credential scope. */
  readonly accessKeyId: string | null;
}

/** What a service emulation answers. */
export interface AwsAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

/** A service emulation's reading of one request. */
export interface HandledCall {
  /** The AWS operation, such as `DescribeCluster`. */
  readonly operation: string;
  /** The request's input, decoded from its protocol. */
  readonly input: unknown;
  readonly answer: AwsAnswer;
  /**
   * `true` when the emulation does not know the operation: it answers an
   * AWS-style error and the test fails on it.
   */
  readonly unknown?: boolean;
}

/** One AWS service of the stand-in. */
export interface ServiceEmulation {
  /** Handles a request routed to this service. */
  handle(request: AwsRequest): HandledCall;
}

/** One recorded call: what came in and what went back. */
export interface RecordedCall {
  readonly sequence: number;
  readonly service: string;
  readonly region: string | null;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly input: unknown;
  readonly status: number;
  readonly unknown: boolean;
  readonly accessKeyId: string | null;
}

/** A local AWS stand-in on 127.0.0.1 that records every call. */
export interface AwsStandIn {
  /** `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  /** Every call in arrival order. */
  readonly calls: readonly RecordedCall[];
  /** Calls no emulation knew, or that reached no service. */
  unknownCalls(): RecordedCall[];
  /** Calls of one operation, optionally of one service. */
  callsOf(operation: string, service?: string): RecordedCall[];
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

const SIGV4_SCOPE =
  /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

/**
 * Starts an HTTP stand-in for AWS on 127.0.0.1 on a free port. A request
 * goes to the emulation named by its SigV4 credential scope's service;
 * one that names no known service is answered with an AWS-style
 * `UnknownOperationException` and recorded as unknown.
 *
 * Nothing here reaches the network: clients find the stand-in through
 * `AWS_ENDPOINT_URL`.
 */
export async function startAwsStandIn(
  services: Readonly<Record<string, ServiceEmulation>>,
): Promise<AwsStandIn> {
  const calls: RecordedCall[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    void readRequest(incoming).then(
      (request) => answer(request, outgoing),
      () => outgoing.destroy(),
    );
  });

  function answer(request: AwsRequest, outgoing: ServerResponse): void {
    const emulation =
      request.service === null ? undefined : services[request.service];
    const handled: HandledCall =
      emulation === undefined
        ? unknownService(request)
        : safely(emulation, request);
    calls.push({
      sequence: calls.length + 1,
      service: request.service ?? '(unsigned)',
      region: request.region,
      operation: handled.operation,
      method: request.method,
      path: request.path,
      headers: request.headers,
      input: handled.input,
      status: handled.answer.status,
      unknown: handled.unknown ?? false,
      accessKeyId: request.accessKeyId,
    });
    const body = handled.answer.body ?? '';
    outgoing.writeHead(handled.answer.status, {
      'x-amzn-requestid': `stand-in-${calls.length}`,
      'content-length': String(Buffer.byteLength(body)),
      ...handled.answer.headers,
    });
    outgoing.end(body);
  }

  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    unknownCalls: () => calls.filter((call) => call.unknown),
    callsOf: (operation, service) =>
      calls.filter(
        (call) =>
          call.operation === operation &&
          (service === undefined || call.service === service),
      ),
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** An emulation that throws is a bug in the test: answer 500 and say so. */
function safely(emulation: ServiceEmulation, request: AwsRequest): HandledCall {
  try {
    return emulation.handle(request);
  } catch (error) {
    return {
      operation: `(emulation failed: ${String(error)})`,
      input: null,
      unknown: true,
      answer: jsonError(500, 'InternalFailure', String(error)),
    };
  }
}

function unknownService(request: AwsRequest): HandledCall {
  return {
    operation: `(no emulation for ${request.service ?? 'unsigned request'})`,
    input: request.body.toString('utf8'),
    unknown: true,
    answer: jsonError(
      400,
      'UnknownOperationException',
      `the stand-in does not emulate ${request.service ?? 'this request'}`,
    ),
  };
}

/** A JSON error in the shape the JSON and REST-JSON protocols read. */
export function jsonError(
  status: number,
  code: string,
  message: string,
): AwsAnswer {
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-errortype': code,
      'x-amzn-query-error': `${code};Sender`,
    },
    body: JSON.stringify({ __type: code, message }),
  };
}

/** A JSON answer of the JSON 1.0 and REST-JSON protocols. */
export function jsonAnswer(
  value: unknown,
  contentType = 'application/x-amz-json-1.0',
): AwsAnswer {
  return {
    status: 200,
    headers: { 'content-type': contentType },
    body: JSON.stringify(value),
  };
}

async function readRequest(incoming: IncomingMessage): Promise<AwsRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
  const scope = SIGV4_SCOPE.exec(incoming.headers.authorization ?? '');
  const segments = url.pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment));
  return {
    method: incoming.method ?? 'GET',
    segments,
    path: url.pathname,
    query: url.searchParams,
    headers: incoming.headers,
    body: Buffer.concat(chunks),
    accessKeyId: scope?.[1] ?? null,
    region: scope?.[2] ?? null,
    service: scope?.[3] ?? null,
  };
}
