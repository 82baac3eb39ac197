import { ListClustersCommand } from '@aws-sdk/client-eks';
import { afterEach, describe, expect, it } from 'vitest';
import { listEnabledRegions } from '../../lambda/adapters/account-regions.js';
import {
  awsClientConfig,
  createAccountClient,
  createEksClient,
  DEFAULT_MAX_ATTEMPTS,
  eksClientFactory,
} from '../../lambda/adapters/aws-clients.js';
import { awsErrorFacts } from '../../lambda/adapters/eks-errors.js';
import { EksInventory } from '../../lambda/adapters/eks-inventory.js';
import { ACCOUNT, collect } from './eks-fakes.js';
import {
  type FakeAnswer,
  type FakeAwsServer,
  type SeenRequest,
  startFakeAwsServer,
} from './fake-aws-server.js';

let server: FakeAwsServer | null = null;

async function standIn(
  answer: (request: SeenRequest) => FakeAnswer,
): Promise<FakeAwsServer> {
  server = await startFakeAwsServer(answer);
  return server;
}

afterEach(async () => {
  await server?.close();
  server = null;
});

const THROTTLED: FakeAnswer = {
  status: 429,
  errorType: 'ThrottlingException',
  body: { message: 'Rate exceeded' },
};

describe('awsClientConfig', () => {
  it('uses the standard retry mode with six attempts and bounded timeouts', () => {
    const config = awsClientConfig('eu-west-1');

    expect(config).toEqual({
      region: 'eu-west-1',
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      retryMode: 'standard',
      requestHandler: { connectionTimeout: 3000, requestTimeout: 10000 },
    });
    expect(DEFAULT_MAX_ATTEMPTS).toBe(6);
  });
});

describe('createEksClient against a local stand-in', () => {
  it('gives up on throttling after six attempts without real backoff', async () => {
    const fake = await standIn(() => THROTTLED);
    const client = createEksClient('us-east-1', {
      endpoint: fake.endpoint,
      retryDelayMs: 1,
    });
    const started = performance.now();

    const failure = await client
      .send(new ListClustersCommand({}))
      .catch((e: unknown) => e);

    expect(awsErrorFacts(failure)).toEqual({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      httpStatusCode: 429,
      attempts: 6,
    });
    expect(fake.requests).toHaveLength(6);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('retries server errors and returns the answer that follows', async () => {
    let calls = 0;
    const fake = await standIn(() => {
      calls += 1;
      return calls <= 2
        ? { status: 503, errorType: 'ServiceUnavailableException', body: {} }
        : { status: 200, body: { clusters: ['a'] } };
    });
    const client = createEksClient('us-east-1', {
      endpoint: fake.endpoint,
      retryDelayMs: 1,
    });

    const answer = await client.send(new ListClustersCommand({}));

    expect(answer.clusters).toEqual(['a']);
    expect(fake.requests).toHaveLength(3);
  });

  it('does not retry a refusal', async () => {
    const fake = await standIn(() => ({
      status: 403,
      errorType: 'AccessDeniedException',
      body: { message: 'no' },
    }));
    const client = createEksClient('us-east-1', {
      endpoint: fake.endpoint,
      retryDelayMs: 1,
    });

    await expect(client.send(new ListClustersCommand({}))).rejects.toThrow(
      'no',
    );
    expect(fake.requests).toHaveLength(1);
  });
});

describe('EksInventory against a local stand-in', () => {
  it('lists, describes, skips vanished clusters and fails throttled regions', async () => {
    const fake = await standIn((request) => {
      if (request.region === 'ap-east-1') return THROTTLED;
      const [, , name, sub] = request.path.split('/');
      if (name === undefined) {
        return request.query.get('nextToken') === 'p2'
          ? { status: 200, body: { clusters: ['gamma'] } }
          : {
              status: 200,
              body: { clusters: ['alpha', 'beta'], nextToken: 'p2' },
            };
      }
      if (sub === 'certificate-authorities') {
        // A region without the rotation API: a bare 404 without error type.
        return { status: 404, body: { message: 'Not Found' } };
      }
      if (name === 'gamma') {
        return {
          status: 404,
          errorType: 'ResourceNotFoundException',
          body: { message: 'No cluster found for name: gamma.' },
        };
      }
      return {
        status: 200,
        body: {
          cluster: {
            name,
            arn: `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/${name}`,
            status: 'ACTIVE',
            createdAt: 1_700_000_000,
            endpoint: `https://${name.toUpperCase()}.gr7.us-east-1.eks.amazonaws.com`,
            certificateAuthority: { data: 'Y2E=', active: { id: 'ca-1' } },
            resourcesVpcConfig: {
              endpointPublicAccess: true,
              publicAccessCidrs: ['0.0.0.0/0'],
            },
          },
        },
      };
    });
    const inventory = new EksInventory({
      regions: ['ap-east-1', 'us-east-1'],
      accountId: null,
      clientFor: eksClientFactory({ endpoint: fake.endpoint, retryDelayMs: 1 }),
    });

    const regions = await collect(inventory.regions());

    expect(regions[0]).toEqual({
      region: 'ap-east-1',
      status: 'failed',
      error: expect.stringContaining(
        'ListClusters failed in ap-east-1: ThrottlingException: Rate exceeded after 6 attempts',
      ),
    });
    expect(regions[1]).toMatchObject({
      region: 'us-east-1',
      status: 'ok',
      vanished: ['gamma'],
      rotationStateAvailable: false,
    });
    const clusters = regions[1]?.status === 'ok' ? regions[1].clusters : [];
    expect(clusters.map((c) => [c.name, c.accountId, c.activeCaId])).toEqual([
      ['alpha', ACCOUNT, 'ca-1'],
      ['beta', ACCOUNT, 'ca-1'],
    ]);
    expect(clusters[0]?.rotation).toEqual({
      available: false,
      message: expect.stringContaining(
        'The CA rotation API is not available in us-east-1 (Unknown (HTTP 404): Not Found)',
      ),
    });
  });
});

describe('createAccountClient against a local stand-in', () => {
  it('sends the enabled statuses to ListRegions', async () => {
    const fake = await standIn(() => ({
      status: 200,
      body: { Regions: [{ RegionName: 'eu-north-1' }] },
    }));
    const client = createAccountClient('eu-west-1', {
      endpoint: fake.endpoint,
      retryDelayMs: 1,
    });

    const regions = await listEnabledRegions(client);

    expect(regions).toEqual(['eu-north-1']);
    expect(fake.requests[0]?.path).toBe('/listRegions');
    expect(JSON.parse(fake.requests[0]?.body ?? '{}')).toEqual({
      RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'],
    });
  });
});
