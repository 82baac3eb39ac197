import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the stand-in saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Region of the SigV4 credential scope in the Authorization header. */
  readonly region: string | null;
  readonly body: string;
}

/** What the stand-in answers; `errorType` sets `x-amzn-ErrorType`. */
export interface FakeAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly errorType?: string;
}

/** A local HTTP stand-in for AWS JSON APIs on 127.0.0.1. */
export interface FakeAwsServer {
  readonly endpoint: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

/**
 * Starts a stand-in on 127.0.0.1 on a free port that answers every request
 * with `answer`. Nothing leaves the machine: clients reach it through their
 * `endpoint` setting.
 */
export async function startFakeAwsServer(
  answer: (request: SeenRequest) => FakeAnswer,
): Promise<FakeAwsServer> {
  const requests: SeenRequest[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    void readBody(incoming).then((body) => {
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(
        incoming.headers.authorization ?? '',
      );
      const request: SeenRequest = {
        method: incoming.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        region: scope?.[1] ?? null,
        body,
      };
      requests.push(request);
      const reply = answer(request);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
      };
      if (reply.errorType !== undefined) {
        headers['x-amzn-errortype'] = reply.errorType;
      }
      outgoing.writeHead(reply.status, headers);
      outgoing.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
