import {
  type AwsAnswer,
  type AwsRequest,
  type HandledCall,
  jsonAnswer,
  jsonError,
  type ServiceEmulation,
} from './aws-stand-in.js';

/** One CA as the EKS rotation API describes it. */
export interface EmulatedCa {
  readonly id: string;
  readonly signingStatus: 'IN_USE' | 'ACTIVATING' | 'NOT_USED';
  readonly distributionStatus: 'COMPLETE' | 'IN_PROGRESS' | 'FAILED';
  /** Base64 of the CA's PEM. */
  readonly data: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly firstAutoActivation?: Date;
  readonly finalAutoActivation?: Date;
}

/** One cluster of the emulated EKS fleet. */
export interface EmulatedCluster {
  readonly region: string;
  readonly name: string;
  /**
   * DescribeCluster's `cluster` in wire form (times as epoch seconds), or
   * `null` for a cluster deleted between listing and describing.
   */
  readonly description: Readonly<Record<string, unknown>> | null;
  /** The rotation API's CAs, or `denied` for AccessDeniedException. */
  readonly rotation: readonly EmulatedCa[] | 'denied';
}

/** Cluster names per ListClusters page, small so that paging is used. */
const PAGE_SIZE = 3;

const REST_JSON = 'application/json';

/**
 * The EKS REST-JSON operations the inventory uses: ListClusters (paged),
 * DescribeCluster, ListCertificateAuthorities and
 * DescribeCertificateAuthority, each answered from `clusters` for the
 * region of the request's signature.
 */
export function eksEmulation(
  clusters: readonly EmulatedCluster[],
): ServiceEmulation {
  return {
    handle(request) {
      const [root, name, sub, id, ...rest] = request.segments;
      const inRegion = clusters.filter((c) => c.region === request.region);
      const cluster = inRegion.find((c) => c.name === name);
      if (request.method !== 'GET' || root !== 'clusters' || rest.length > 0) {
        return unknown(request);
      }
      if (name === undefined) return listClusters(request, inRegion);
      if (sub === undefined) {
        return call('DescribeCluster', { name }, describeCluster(cluster));
      }
      if (sub !== 'certificate-authorities') return unknown(request);
      if (id === undefined) {
        return call(
          'ListCertificateAuthorities',
          { clusterName: name },
          listCas(cluster),
        );
      }
      return call(
        'DescribeCertificateAuthority',
        { clusterName: name, certificateAuthorityId: id },
        describeCa(cluster, id),
      );
    },
  };
}

function listClusters(
  request: AwsRequest,
  inRegion: readonly EmulatedCluster[],
): HandledCall {
  const start = Number(request.query.get('nextToken') ?? '0');
  const max = Number(request.query.get('maxResults') ?? PAGE_SIZE);
  const size = Math.min(PAGE_SIZE, max);
  const names = inRegion.map((c) => c.name);
  const page = names.slice(start, start + size);
  const next = start + size < names.length ? String(start + size) : undefined;
  return call(
    'ListClusters',
    Object.fromEntries(request.query),
    jsonAnswer({ clusters: page, nextToken: next }, REST_JSON),
  );
}

function describeCluster(cluster: EmulatedCluster | undefined): AwsAnswer {
  if (cluster?.description == null) return notFound('cluster');
  return jsonAnswer({ cluster: cluster.description }, REST_JSON);
}

function listCas(cluster: EmulatedCluster | undefined): AwsAnswer {
  if (cluster === undefined) return notFound('cluster');
  if (cluster.rotation === 'denied') return accessDenied();
  return jsonAnswer(
    { certificateAuthorities: cluster.rotation.map(summaryOf) },
    REST_JSON,
  );
}

function describeCa(
  cluster: EmulatedCluster | undefined,
  id: string,
): AwsAnswer {
  if (cluster === undefined) return notFound('cluster');
  if (cluster.rotation === 'denied') return accessDenied();
  const ca = cluster.rotation.find((c) => c.id === id);
  if (ca === undefined) return notFound('certificate authority');
  return jsonAnswer(
    {
      certificateAuthority: {
        ...summaryOf(ca),
        data: ca.data,
        validity: {
          notBefore: epochSeconds(ca.notBefore),
          notAfter: epochSeconds(ca.notAfter),
        },
        scheduledEvents: {
          firstAutoActivation: epochSeconds(ca.firstAutoActivation),
          finalAutoActivation: epochSeconds(ca.finalAutoActivation),
        },
        rollbackAvailable: false,
      },
    },
    REST_JSON,
  );
}

function summaryOf(ca: EmulatedCa): Record<string, unknown> {
  return {
    id: ca.id,
    createdAt: epochSeconds(ca.notBefore),
    createdBy: 'EKS',
    signingStatus: ca.signingStatus,
    distributionStatus: ca.distributionStatus,
  };
}

/** REST-JSON timestamps default to epoch seconds. */
export function epochSeconds(date: Date | undefined): number | undefined {
  return date === undefined ? undefined : date.getTime() / 1000;
}

function call(operation: string, input: unknown, answer: AwsAnswer) {
  return { operation, input, answer };
}

function notFound(what: string): AwsAnswer {
  return restError(404, 'ResourceNotFoundException', `No ${what} found.`);
}

function accessDenied(): AwsAnswer {
  return restError(
    403,
    'AccessDeniedException',
    'User is not authorized to perform eks:ListCertificateAuthorities',
  );
}

function restError(status: number, code: string, message: string) {
  const error = jsonError(status, code, message);
  return {
    ...error,
    headers: { ...error.headers, 'content-type': REST_JSON },
  };
}

function unknown(request: AwsRequest): HandledCall {
  return {
    operation: `(unknown EKS ${request.method} ${request.path})`,
    input: null,
    unknown: true,
    answer: restError(
      400,
      'UnknownOperationException',
      `the stand-in does not know ${request.method} ${request.path}`,
    ),
  };
}
