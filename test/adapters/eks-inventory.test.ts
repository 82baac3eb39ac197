import {
  AccessDeniedException,
  type Cluster,
  DescribeCertificateAuthorityCommand,
  DescribeClusterCommand,
  EKSClient,
  InvalidRequestException,
  ListCertificateAuthoritiesCommand,
  ListClustersCommand,
  ResourceNotFoundException,
  ServerException,
} from '@aws-sdk/client-eks';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { EksInventory } from '../../lambda/adapters/eks-inventory.js';
import type {
  ClusterTarget,
  RegionInventory,
} from '../../lambda/engine/inventory.js';
import {
  ACCOUNT,
  awsError,
  clusterOf,
  collect,
  FAKE_CREDENTIALS,
  pause,
  recordingLogger,
} from './eks-fakes.js';

type Stub = AwsClientStub<EKSClient>;

/** One region's EKS client, stubbed, answering ListClusters in pages. */
function stubRegion(
  region: string,
  clusters: readonly Cluster[],
  pageSize = 100,
): { client: EKSClient; stub: Stub } {
  const client = new EKSClient({ region, credentials: FAKE_CREDENTIALS });
  const stub = mockClient(client);
  const names = clusters.map((c) => c.name as string);
  stub.on(ListClustersCommand).callsFake(async (input) => {
    const start = Number(input.nextToken ?? 0);
    const end = start + pageSize;
    return {
      clusters: names.slice(start, end),
      nextToken: end < names.length ? String(end) : undefined,
    };
  });
  stub.on(DescribeClusterCommand).callsFake(async (input) => {
    const cluster = clusters.find((c) => c.name === input.name);
    if (cluster !== undefined) return { cluster };
    throw new ResourceNotFoundException({
      message: 'No cluster',
      $metadata: {},
    });
  });
  stub.on(ListCertificateAuthoritiesCommand).callsFake(async (input) => ({
    certificateAuthorities: [
      { id: `ca-${input.clusterName}`, signingStatus: 'IN_USE' },
    ],
  }));
  stub.on(DescribeCertificateAuthorityCommand).callsFake(async (input) => ({
    certificateAuthority: {
      id: input.certificateAuthorityId,
      signingStatus: 'IN_USE',
      distributionStatus: 'COMPLETE',
      validity: {
        notBefore: new Date('2024-01-01T00:00:00.250Z'),
        notAfter: new Date('2034-01-01T00:00:00Z'),
      },
      rollbackAvailable: false,
      data: Buffer.from(`ca of ${input.clusterName}`).toString('base64'),
    },
  }));
  return { client, stub };
}

function inventoryOf(
  clients: Record<string, EKSClient>,
  options: Partial<ConstructorParameters<typeof EksInventory>[0]> = {},
): EksInventory {
  return new EksInventory({
    regions: Object.keys(clients),
    accountId: '999988887777',
    clientFor: (region) => clients[region] as EKSClient,
    ...options,
  });
}

function ok(region: RegionInventory | undefined) {
  if (region?.status !== 'ok') throw new Error(`not ok: ${region?.region}`);
  return region;
}

function only(regions: RegionInventory[]): ClusterTarget {
  const [target] = ok(regions[0]).clusters;
  if (target === undefined) throw new Error('no cluster');
  return target;
}

describe('EksInventory', () => {
  it('lists every page of every region and yields regions in order', async () => {
    const east = stubRegion(
      'us-east-1',
      ['a', 'b', 'c', 'd', 'e'].map((n) => clusterOf(n, 'us-east-1')),
      2,
    );
    const west = stubRegion('eu-west-1', [clusterOf('f', 'eu-west-1')]);
    const inventory = inventoryOf({
      'us-east-1': east.client,
      'eu-west-1': west.client,
    });

    const regions = await collect(inventory.regions());

    expect(regions.map((r) => r.region)).toEqual(['us-east-1', 'eu-west-1']);
    expect(ok(regions[0]).clusters.map((c) => c.name)).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
    expect(east.stub.commandCalls(ListClustersCommand)).toHaveLength(3);
    expect(ok(regions[1]).clusters.map((c) => c.name)).toEqual(['f']);
    expect(inventory.reportsRegions).toBe(true);
  });

  it('maps DescribeCluster and the rotation API into a target', async () => {
    const east = stubRegion('us-east-1', [clusterOf('prod', 'us-east-1')]);

    const regions = await collect(
      inventoryOf({ 'us-east-1': east.client }).regions(),
    );

    expect(regions[0]).toMatchObject({
      status: 'ok',
      vanished: [],
      rotationStateAvailable: true,
    });
    expect(only(regions)).toEqual({
      name: 'prod',
      region: 'us-east-1',
      accountId: ACCOUNT,
      endpoint: 'https://PROD0A1B2C.gr7.us-east-1.eks.amazonaws.com',
      caData: Buffer.from('ca of prod').toString('base64'),
      serverName: null,
      preReasons: [],
      publicAccessRestricted: false,
      activeCaId: 'ca-prod',
      rotation: {
        available: true,
        cas: [
          {
            facts: {
              id: 'ca-prod',
              signingStatus: 'IN_USE',
              distributionStatus: 'COMPLETE',
              firstAutoActivation: null,
              finalAutoActivation: null,
              rollbackAvailable: false,
            },
            data: Buffer.from('ca of prod').toString('base64'),
            notBefore: '2024-01-01T00:00:00Z',
            notAfter: '2034-01-01T00:00:00Z',
          },
        ],
      },
    });
  });

  it('describes only the named clusters when names are given', async () => {
    const east = stubRegion(
      'us-east-1',
      ['a', 'b', 'c'].map((n) => clusterOf(n, 'us-east-1')),
    );

    const regions = await collect(
      inventoryOf(
        { 'us-east-1': east.client },
        { clusterNames: ['b', 'zz'] },
      ).regions(),
    );

    expect(ok(regions[0]).clusters.map((c) => c.name)).toEqual(['b']);
    expect(ok(regions[0]).vanished).toEqual([]);
    expect(east.stub.commandCalls(DescribeClusterCommand)).toHaveLength(1);
  });

  it('takes the account from the configuration when the ARN is missing', async () => {
    const east = stubRegion('us-east-1', [
      clusterOf('x', 'us-east-1', { arn: undefined }),
    ]);

    const regions = await collect(
      inventoryOf({ 'us-east-1': east.client }).regions(),
    );

    expect(only(regions).accountId).toBe('999988887777');
  });

  it.each([
    [
      'a disabled opt-in region',
      awsError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      ),
      /UnrecognizedClientException.*opt-in region that is not enabled/,
    ],
    [
      'a denied listing',
      new AccessDeniedException({ message: 'not allowed', $metadata: {} }),
      /AccessDeniedException: not allowed\. Grant eks:ListClusters/,
    ],
    [
      'a region throttled after retries',
      awsError('ThrottlingException', 'Rate exceeded', {
        httpStatusCode: 429,
        attempts: 6,
      }),
      /ThrottlingException: Rate exceeded after 6 attempts\. EKS kept throttling/,
    ],
  ])('fails only the region for %s', async (_name, error, message) => {
    const good = stubRegion('us-east-1', [clusterOf('a', 'us-east-1')]);
    const bad = stubRegion('ap-east-1', []);
    bad.stub.on(ListClustersCommand).rejects(error);
    const logger = recordingLogger();

    const regions = await collect(
      inventoryOf(
        { 'ap-east-1': bad.client, 'us-east-1': good.client },
        { logger },
      ).regions(),
    );

    expect(regions[0]).toMatchObject({ region: 'ap-east-1', status: 'failed' });
    expect(regions[0]?.status === 'failed' && regions[0].error).toMatch(
      message,
    );
    expect(ok(regions[1]).clusters).toHaveLength(1);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'region listing failed',
      }),
    );
  });

  it('fails only the region whose client cannot be built', async () => {
    const good = stubRegion('us-east-1', [clusterOf('a', 'us-east-1')]);
    const inventory = new EksInventory({
      regions: ['xx-broken-1', 'us-east-1'],
      accountId: null,
      clientFor: (region) => {
        if (region === 'us-east-1') return good.client;
        throw new TypeError('no client for this region');
      },
    });

    const regions = await collect(inventory.regions());

    expect(regions[0]).toEqual({
      region: 'xx-broken-1',
      status: 'failed',
      error:
        'Inventory of xx-broken-1 failed: TypeError: no client for this region.',
    });
    expect(ok(regions[1]).clusters).toHaveLength(1);
  });

  it('fails the region when a later ListClusters page fails', async () => {
    const east = stubRegion(
      'us-east-1',
      ['a', 'b', 'c'].map((n) => clusterOf(n, 'us-east-1')),
      1,
    );
    east.stub
      .on(ListClustersCommand, { nextToken: '2' })
      .rejects(new ServerException({ message: 'boom', $metadata: {} }));

    const regions = await collect(
      inventoryOf({ 'us-east-1': east.client }).regions(),
    );

    expect(regions[0]).toMatchObject({ status: 'failed' });
  });

  it('leaves out a cluster deleted since listing and logs it', async () => {
    const east = stubRegion('us-east-1', [clusterOf('kept', 'us-east-1')]);
    east.stub.on(ListClustersCommand).resolves({ clusters: ['kept', 'gone'] });
    const logger = recordingLogger();

    const regions = await collect(
      inventoryOf({ 'us-east-1': east.client }, { logger }).regions(),
    );

    expect(ok(regions[0]).clusters.map((c) => c.name)).toEqual(['kept']);
    expect(ok(regions[0]).vanished).toEqual(['gone']);
    expect(logger.lines).toContainEqual({
      level: 'warn',
      message: 'cluster deleted since it was listed',
      fields: { region: 'us-east-1', clusterName: 'gone' },
    });
  });

  it('turns a DescribeCluster failure into an API_ERROR target', async () => {
    const east = stubRegion('us-east-1', []);
    east.stub.on(ListClustersCommand).resolves({ clusters: ['sick'] });
    east.stub.on(DescribeClusterCommand).rejects(
      new ServerException({
        message: 'Internal failure',
        $metadata: { httpStatusCode: 500, attempts: 6 },
      }),
    );

    const regions = await collect(
      inventoryOf({ 'us-east-1': east.client }).regions(),
    );

    const target = only(regions);
    expect(target).toMatchObject({
      name: 'sick',
      region: 'us-east-1',
      accountId: '999988887777',
      endpoint: null,
      caData: null,
      rotation: null,
    });
    expect(target.preReasons).toEqual([
      {
        code: 'API_ERROR',
        level: 'unknown',
        message: expect.stringContaining(
          'ServerException: Internal failure after 6 attempts',
        ),
        certificate: null,
      },
    ]);
  });

  it.each<[string, Partial<Cluster>, string[], boolean]>([
    [
      'a creating cluster',
      { status: 'CREATING' },
      ['CLUSTER_NOT_ACTIVE'],
      false,
    ],
    ['a failed cluster', { status: 'FAILED' }, ['CLUSTER_NOT_ACTIVE'], false],
    ['an updating cluster', { status: 'UPDATING' }, [], true],
    [
      'a connected cluster',
      {
        status: 'ACTIVE',
        endpoint: undefined,
        certificateAuthority: undefined,
        connectorConfig: { provider: 'RANCHER' },
      },
      ['CONNECTED_CLUSTER'],
      false,
    ],
    [
      'an Outposts cluster',
      {
        outpostConfig: {
          outpostArns: ['arn:aws:outposts:us-east-1:111122223333:outpost/op-1'],
          controlPlaneInstanceType: 'm5.large',
        },
      },
      ['OUTPOSTS_CLUSTER'],
      true,
    ],
    [
      'a cluster without endpoint',
      { endpoint: undefined },
      ['NO_ENDPOINT'],
      true,
    ],
    [
      'a private endpoint',
      {
        resourcesVpcConfig: {
          endpointPublicAccess: false,
          endpointPrivateAccess: true,
        },
      },
      ['PRIVATE_ENDPOINT'],
      true,
    ],
    ['a cluster without CA data', { certificateAuthority: {} }, [], false],
  ])('describes %s', async (_name, overrides, codes, rotationRead) => {
    const east = stubRegion('us-east-1', [
      clusterOf('c1', 'us-east-1', overrides),
    ]);

    const regions = await collect(
      inventoryOf({ 'us-east-1': east.client }).regions(),
    );

    const target = only(regions);
    expect(target.preReasons.map((r) => r.code)).toEqual(codes);
    expect(target.preReasons.every((r) => r.level === 'info')).toBe(true);
    expect(target.rotation?.available ?? null).toBe(rotationRead ? true : null);
    expect(
      east.stub.commandCalls(ListCertificateAuthoritiesCommand),
    ).toHaveLength(rotationRead ? 1 : 0);
  });

  it('names the status of a cluster that is not active', async () => {
    const east = stubRegion('us-east-1', [
      clusterOf('c1', 'us-east-1', { status: 'DELETING' }),
    ]);

    const regions = await collect(
      inventoryOf({ 'us-east-1': east.client }).regions(),
    );

    expect(only(regions).preReasons[0]?.message).toContain('DELETING');
  });

  it.each([
    [['1.2.3.4/32'], true],
    [['10.0.0.0/8', '0.0.0.0/0'], false],
    [undefined, false],
  ])(
    'with publicAccessCidrs %j says restricted: %s',
    async (cidrs, restricted) => {
      const east = stubRegion('us-east-1', [
        clusterOf('c1', 'us-east-1', {
          resourcesVpcConfig: {
            endpointPublicAccess: true,
            publicAccessCidrs: cidrs,
          },
        }),
      ]);

      const regions = await collect(
        inventoryOf({ 'us-east-1': east.client }).regions(),
      );

      expect(only(regions).publicAccessRestricted).toBe(restricted);
    },
  );

  it.each([
    [
      'denied',
      new AccessDeniedException({ message: 'no', $metadata: {} }),
      /denied in us-east-1.*grant eks:ListCertificateAuthorities/,
    ],
    [
      'an unknown operation',
      awsError('UnknownOperationException', 'Unknown operation'),
      /not available in us-east-1/,
    ],
    [
      'a bare 404 from a region without the API',
      awsError('Unknown', 'UnknownError', { httpStatusCode: 404 }),
      /not available in us-east-1 \(Unknown \(HTTP 404\)/,
    ],
  ])(
    'remembers rotation calls %s for the whole region',
    async (_name, error, message) => {
      const east = stubRegion(
        'us-east-1',
        ['a', 'b', 'c'].map((n) => clusterOf(n, 'us-east-1')),
      );
      east.stub.on(ListCertificateAuthoritiesCommand).rejects(error);
      const logger = recordingLogger();

      const regions = await collect(
        inventoryOf(
          { 'us-east-1': east.client },
          { describeConcurrency: 1, logger },
        ).regions(),
      );

      const region = ok(regions[0]);
      expect(region.rotationStateAvailable).toBe(false);
      expect(region.clusters).toHaveLength(3);
      for (const target of region.clusters) {
        expect(target.rotation).toEqual({
          available: false,
          message: expect.stringMatching(message),
        });
      }
      expect(
        east.stub.commandCalls(ListCertificateAuthoritiesCommand),
      ).toHaveLength(1);
      expect(
        logger.lines.filter((l) => l.message.startsWith('CA rotation')),
      ).toHaveLength(1);
    },
  );

  it('keeps asking other clusters after a failure of one cluster', async () => {
    const east = stubRegion(
      'us-east-1',
      ['a', 'b'].map((n) => clusterOf(n, 'us-east-1')),
    );
    east.stub
      .on(ListCertificateAuthoritiesCommand, { clusterName: 'a' })
      .rejects(
        new InvalidRequestException({
          message: 'Not supported',
          $metadata: {},
        }),
      );

    const regions = await collect(
      inventoryOf(
        { 'us-east-1': east.client },
        { describeConcurrency: 1 },
      ).regions(),
    );

    const [a, b] = ok(regions[0]).clusters;
    expect(a?.rotation).toEqual({
      available: false,
      message: expect.stringContaining(
        'InvalidRequestException: Not supported',
      ),
    });
    expect(b?.rotation?.available).toBe(true);
    expect(ok(regions[0]).rotationStateAvailable).toBe(false);
  });

  it('says null for rotation availability when no cluster was read', async () => {
    const east = stubRegion('us-east-1', []);

    const regions = await collect(
      inventoryOf({ 'us-east-1': east.client }).regions(),
    );

    expect(ok(regions[0])).toMatchObject({
      clusters: [],
      rotationStateAvailable: null,
    });
  });

  it('never has more describe calls in flight than the limit', async () => {
    const names = Array.from({ length: 23 }, (_, i) => `c${i}`);
    const east = stubRegion(
      'us-east-1',
      names.map((n) => clusterOf(n, 'us-east-1')),
    );
    let inFlight = 0;
    let most = 0;
    const counted =
      <I, T>(answer: (input: I) => Promise<T>) =>
      async (input: I): Promise<T> => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await pause(2);
        try {
          return await answer(input);
        } finally {
          inFlight -= 1;
        }
      };
    east.stub.on(DescribeClusterCommand).callsFake(
      counted(async (input: { name: string }) => ({
        cluster: clusterOf(input.name, 'us-east-1'),
      })),
    );
    east.stub
      .on(ListCertificateAuthoritiesCommand)
      .callsFake(
        counted(async () => ({ certificateAuthorities: [{ id: 'ca-1' }] })),
      );
    east.stub
      .on(DescribeCertificateAuthorityCommand)
      .callsFake(
        counted(async () => ({ certificateAuthority: { id: 'ca-1' } })),
      );

    const regions = await collect(
      inventoryOf(
        { 'us-east-1': east.client },
        { describeConcurrency: 4 },
      ).regions(),
    );

    expect(ok(regions[0]).clusters).toHaveLength(23);
    expect(most).toBe(4);
  });

  it('lists no more regions at once than the region limit', async () => {
    const clients: Record<string, EKSClient> = {};
    let inFlight = 0;
    let most = 0;
    for (const region of ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']) {
      const { client, stub } = stubRegion(region, []);
      stub.on(ListClustersCommand).callsFake(async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await pause(5);
        inFlight -= 1;
        return { clusters: [] };
      });
      clients[region] = client;
    }

    const regions = await collect(
      inventoryOf(clients, { regionConcurrency: 2 }).regions(),
    );

    expect(regions.map((r) => r.region)).toEqual([
      'r1',
      'r2',
      'r3',
      'r4',
      'r5',
      'r6',
    ]);
    expect(most).toBe(2);
  });
});
