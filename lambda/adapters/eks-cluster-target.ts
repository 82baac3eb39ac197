import type { Cluster } from '@aws-sdk/client-eks';
import type { ClusterTarget, RotationState } from '../engine/inventory.js';
import type { Reason } from '../engine/types.js';

/** Statuses whose API server answers: the cluster is probed. */
const PROBED_STATUSES: ReadonlySet<string> = new Set(['ACTIVE', 'UPDATING']);

/** Open to the whole internet in `publicAccessCidrs`. */
const ANY_IPV4 = '0.0.0.0/0';

/**
 * The account of an ARN, such as a cluster's
 * `arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME` or the function's own;
 * `null` when the text is not an ARN with a twelve-digit account.
 */
export function accountIdFromArn(arn: string | undefined): string | null {
  const parts = arn?.split(':') ?? [];
  if (parts.length < 6 || parts[0] !== 'arn') return null;
  const account = parts[4] ?? '';
  return /^\d{12}$/.test(account) ? account : null;
}

/**
 * The reason a cluster is not probed, or `null` when it is probed.
 *
 * One reason per cluster: a CREATING cluster also lacks an endpoint and a
 * registered one is never ACTIVE in the usual sense, so the most specific
 * explanation wins, in the order connected, not active, Outposts, no
 * endpoint, private endpoint.
 */
export function skipReasonOf(cluster: Cluster): Reason | null {
  const status = cluster.status ?? null;
  if (cluster.connectorConfig !== undefined) {
    const provider = cluster.connectorConfig.provider ?? 'unknown provider';
    return info(
      'CONNECTED_CLUSTER',
      `The cluster is registered through EKS Connector (${provider}); its API server is not run by EKS, so it is not probed.`,
    );
  }
  if (status !== null && !PROBED_STATUSES.has(status)) {
    return info(
      'CLUSTER_NOT_ACTIVE',
      `The cluster status is ${status}, not ACTIVE or UPDATING, so its API server is not probed.`,
    );
  }
  if (cluster.outpostConfig !== undefined) {
    return info(
      'OUTPOSTS_CLUSTER',
      'The cluster is a local cluster on AWS Outposts; its API server is reachable only from the Outpost network, so it is not probed.',
    );
  }
  if (!cluster.endpoint) {
    return info(
      'NO_ENDPOINT',
      'DescribeCluster returned no endpoint, so there is no API server to probe.',
    );
  }
  if (cluster.resourcesVpcConfig?.endpointPublicAccess === false) {
    return info(
      'PRIVATE_ENDPOINT',
      'The endpoint accepts private traffic only (endpointPublicAccess is false), which the auditor cannot reach from outside the VPC; the CA data is still checked.',
    );
  }
  return null;
}

/**
 * Maps a DescribeCluster answer to the engine's target. `fallbackAccountId`
 * is used when the ARN is missing; `rotation` is what the CA rotation
 * calls said, or `null` when they were not made.
 *
 * A missing CA leaves `caData` null: the engine adds NO_CA_DATA.
 */
export function toClusterTarget(
  cluster: Cluster,
  region: string,
  fallbackAccountId: string | null,
  rotation: RotationState | null,
): ClusterTarget {
  const skip = skipReasonOf(cluster);
  const cidrs = cluster.resourcesVpcConfig?.publicAccessCidrs;
  return {
    name: cluster.name ?? '',
    region,
    accountId: accountIdFromArn(cluster.arn) ?? fallbackAccountId,
    endpoint: cluster.endpoint || null,
    caData: cluster.certificateAuthority?.data || null,
    serverName: null,
    preReasons: skip === null ? [] : [skip],
    publicAccessRestricted: cidrs !== undefined && !cidrs.includes(ANY_IPV4),
    rotation,
    activeCaId: cluster.certificateAuthority?.active?.id ?? null,
  };
}

/**
 * The target of a cluster whose DescribeCluster failed after retries: no
 * facts, and an API_ERROR reason with the AWS error.
 */
export function apiErrorTarget(
  name: string,
  region: string,
  accountId: string | null,
  errorText: string,
): ClusterTarget {
  return {
    name,
    region,
    accountId,
    endpoint: null,
    caData: null,
    serverName: null,
    preReasons: [
      {
        code: 'API_ERROR',
        level: 'unknown',
        message: `DescribeCluster failed: ${errorText}. The cluster could not be judged in this run.`,
        certificate: null,
      },
    ],
    publicAccessRestricted: false,
    rotation: null,
    activeCaId: null,
  };
}

function info(code: Reason['code'], message: string): Reason {
  return { code, level: 'info', message, certificate: null };
}
