import {
  buildClusterChain,
  type ClusterChain,
  type Issued,
  toCaData,
} from '../../lambda/demo/certificate-factory.js';
import type { ServedChain } from '../../lambda/demo/local-tls-server.js';
import type { EmulatedCa, EmulatedCluster } from './eks-emulation.js';

/** The account of the run, in the function ARN and every cluster ARN. */
export const E2E_ACCOUNT = '111122223333';

const DAY_MS = 86_400_000;

/** What the test knows about one cluster it built. */
export interface FleetCluster {
  readonly name: string;
  readonly region: string;
  readonly host: string;
  /** The serving certificate's end, when the cluster is probed. */
  readonly leafNotAfter: Date | null;
  /** The end of the CA that signs for the cluster. */
  readonly signingCaNotAfter: Date;
}

/** The emulated EKS fleet and the TLS chains its endpoints present. */
export interface E2eFleet {
  readonly eks: readonly EmulatedCluster[];
  /** The chains to serve, by SNI name (lower case). */
  readonly chains: ReadonlyMap<string, ServedChain>;
  /** Clusters in the report, by name; the vanished one is not here. */
  readonly clusters: ReadonlyMap<string, FleetCluster>;
  /** Listed, then gone by DescribeCluster. */
  readonly vanishedName: string;
}

/**
 * Builds six clusters around `now`, five in us-west-2 and one in
 * eu-west-1:
 *
 * - `healthy`: trusted, one CA, the rotation API says IN_USE;
 * - `rotating`: trusted, a successor CA beside the signing one whose final
 *   automatic activation is 20 days away (CA_AUTO_ACTIVATION_SOON warning);
 * - `expired`: the serving certificate ended a day ago (critical);
 * - `foreign`: the server presents a chain from another CA (critical);
 * - `gone`: listed by ListClusters, then not found by DescribeCluster;
 * - `private` (eu-west-1): endpointPublicAccess false, so never probed;
 *   the rotation calls are denied in that region.
 */
export async function buildE2eFleet(now: Date): Promise<E2eFleet> {
  const west = 'us-west-2';
  const host = (id: string, region: string) =>
    `${id.repeat(32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
  const hosts = {
    healthy: host('a', west),
    rotating: host('b', west),
    expired: host('c', west),
    foreign: host('d', west),
    private: host('e', 'eu-west-1'),
  };
  const healthy = await buildClusterChain({ now, host: hosts.healthy });
  const rotating = await buildClusterChain({ now, host: hosts.rotating });
  const successor = (
    await buildClusterChain({ now, host: hosts.rotating, caDaysLeft: 3650 })
  ).ca;
  const expired = await buildClusterChain({
    now,
    host: hosts.expired,
    leafDaysLeft: -1,
  });
  const foreign = await buildClusterChain({ now, host: hosts.foreign });
  const stranger = await buildClusterChain({ now, host: hosts.foreign });
  const privateChain = await buildClusterChain({
    now,
    host: hosts.private,
    caDaysLeft: 1000,
  });

  const eks: EmulatedCluster[] = [
    {
      ...described('healthy', west, hosts.healthy, [healthy.ca], {
        activeCaId: 'ca-h1',
      }),
      rotation: [inUse('ca-h1', healthy.ca)],
    },
    {
      ...described('rotating', west, hosts.rotating, [rotating.ca, successor]),
      rotation: [
        inUse('ca-r1', rotating.ca),
        {
          ...inUse('ca-r2', successor),
          signingStatus: 'NOT_USED',
          firstAutoActivation: new Date(now.getTime() + 5 * DAY_MS),
          finalAutoActivation: new Date(now.getTime() + 20 * DAY_MS),
        },
      ],
    },
    {
      ...described('expired', west, hosts.expired, [expired.ca]),
      rotation: [inUse('ca-x1', expired.ca)],
    },
    {
      ...described('foreign', west, hosts.foreign, [foreign.ca]),
      rotation: [inUse('ca-f1', foreign.ca)],
    },
    { region: west, name: 'gone', description: null, rotation: [] },
    {
      ...described('private', 'eu-west-1', hosts.private, [privateChain.ca], {
        publicEndpoint: false,
      }),
      rotation: 'denied',
    },
  ];

  const served = (chain: ClusterChain): ServedChain => ({
    keyPem: chain.leaf.keyPem,
    certPems: [chain.leaf.pem],
  });
  const chains = new Map<string, ServedChain>([
    [hosts.healthy.toLowerCase(), served(healthy)],
    [hosts.rotating.toLowerCase(), served(rotating)],
    [hosts.expired.toLowerCase(), served(expired)],
    [hosts.foreign.toLowerCase(), served(stranger)],
  ]);

  const fact = (
    name: keyof typeof hosts,
    region: string,
    chain: ClusterChain | null,
    ca: Issued,
  ): [string, FleetCluster] => [
    name,
    {
      name,
      region,
      host: hosts[name],
      leafNotAfter: chain?.leaf.certificate.notAfter ?? null,
      signingCaNotAfter: ca.certificate.notAfter,
    },
  ];
  const clusters = new Map([
    fact('healthy', west, healthy, healthy.ca),
    fact('rotating', west, rotating, rotating.ca),
    fact('expired', west, expired, expired.ca),
    fact('foreign', west, stranger, foreign.ca),
    fact('private', 'eu-west-1', null, privateChain.ca),
  ]);
  return { eks, chains, clusters, vanishedName: 'gone' };
}

/**
 * DescribeCluster's answer for an ACTIVE cluster, with a public endpoint
 * unless `publicEndpoint` is false.
 */
function described(
  name: string,
  region: string,
  host: string,
  cas: readonly Issued[],
  options: { activeCaId?: string; publicEndpoint?: boolean } = {},
): Omit<EmulatedCluster, 'rotation'> {
  const publicEndpoint = options.publicEndpoint ?? true;
  return {
    region,
    name,
    description: {
      name,
      arn: `arn:aws:eks:${region}:${E2E_ACCOUNT}:cluster/${name}`,
      createdAt: Date.parse('2024-03-01T10:00:00Z') / 1000,
      version: '1.33',
      endpoint: `https://${host}`,
      roleArn: `arn:aws:iam::${E2E_ACCOUNT}:role/eks-cluster`,
      status: 'ACTIVE',
      platformVersion: 'eks.9',
      resourcesVpcConfig: {
        vpcId: 'vpc-0e2e0e2e0e2e0e2e0',
        endpointPublicAccess: publicEndpoint,
        endpointPrivateAccess: !publicEndpoint,
        publicAccessCidrs: publicEndpoint ? ['0.0.0.0/0'] : [],
      },
      certificateAuthority: {
        data: toCaData(...cas),
        ...(options.activeCaId === undefined
          ? {}
          : { active: { id: options.activeCaId } }),
      },
    },
  };
}

function inUse(id: string, ca: Issued): EmulatedCa {
  return {
    id,
    signingStatus: 'IN_USE',
    distributionStatus: 'COMPLETE',
    data: toCaData(ca),
    notBefore: ca.certificate.notBefore,
    notAfter: ca.certificate.notAfter,
  };
}
