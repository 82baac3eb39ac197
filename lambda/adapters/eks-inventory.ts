import {
  type Cluster,
  DescribeClusterCommand,
  type EKSClient,
  paginateListClusters,
} from '@aws-sdk/client-eks';
import type {
  ClusterTarget,
  Inventory,
  RegionInventory,
} from '../engine/inventory.js';
import { mapWithConcurrency } from '../engine/limit-concurrency.js';
import { type AuditLogger, silentLogger } from '../engine/logger.js';
import {
  apiErrorTarget,
  skipReasonOf,
  toClusterTarget,
} from './eks-cluster-target.js';
import {
  describeAwsError,
  isResourceNotFound,
  regionFailureMessage,
} from './eks-errors.js';
import { RotationStateReader } from './eks-rotation-state.js';

/** EKS calls in flight at once per region (`AUDIT_DESCRIBE_CONCURRENCY`). */
export const DEFAULT_DESCRIBE_CONCURRENCY = 5;

/**
 * Regions listed and described at once. Four keeps the EKS calls of the
 * whole run at four times the describe concurrency while a probe stage
 * consumes the first regions.
 */
export const DEFAULT_REGION_CONCURRENCY = 4;

/** What {@link EksInventory} needs; the clients come from outside. */
export interface EksInventoryOptions {
  /** Regions to list, in the order their results are yielded. */
  readonly regions: readonly string[];
  /** Account of the run, used when a cluster's ARN is missing. */
  readonly accountId: string | null;
  /** @default DEFAULT_DESCRIBE_CONCURRENCY */
  readonly describeConcurrency?: number;
  /** @default DEFAULT_REGION_CONCURRENCY */
  readonly regionConcurrency?: number;
  /** The EKS client of a region; called once per region. */
  readonly clientFor: (region: string) => EKSClient;
  /**
   * Only these clusters (the `check` command): the regions are still
   * listed, so a name that no region holds simply yields no target.
   * @default - every cluster listed
   */
  readonly clusterNames?: readonly string[];
  /** @default - logs nothing */
  readonly logger?: Pick<AuditLogger, 'info' | 'warn'>;
}

/**
 * The EKS fleet as the engine sees it: every cluster of every region
 * (ListClusters, every page), each described (DescribeCluster) with its
 * CA rotation state (ListCertificateAuthorities and
 * DescribeCertificateAuthority).
 *
 * Regions are worked on `regionConcurrency` at a time and yielded in the
 * configured order, the next one starting while the consumer handles the
 * last one yielded. Within a region, at most
 * `describeConcurrency` clusters are described at once; each cluster's
 * calls run one after another, so that is also the cap on the region's
 * calls in flight. A region whose listing fails is yielded as `failed`
 * and the others go on; the clusters of a listing that failed on a later
 * page are not reported, since the region's list would be incomplete.
 */
export class EksInventory implements Inventory {
  readonly reportsRegions = true;
  readonly #options: EksInventoryOptions;
  readonly #logger: Pick<AuditLogger, 'info' | 'warn'>;

  constructor(options: EksInventoryOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
  }

  /** Lists and describes the regions, yielding each as it is complete. */
  async *regions(): AsyncIterable<RegionInventory> {
    const regions = this.#options.regions;
    const window =
      this.#options.regionConcurrency ?? DEFAULT_REGION_CONCURRENCY;
    const running: Promise<RegionInventory>[] = [];
    let next = 0;
    const startNext = (): void => {
      const region = regions[next];
      next += 1;
      if (region !== undefined) running.push(this.#inventorySafely(region));
    };

    while (next < regions.length && running.length < window) startNext();
    while (running.length > 0) {
      const result = await (running.shift() as Promise<RegionInventory>);
      if (next < regions.length) startNext();
      yield result;
    }
  }

  /**
   * Never rejects: a region still running when the consumer stops early
   * must not leave an unhandled rejection behind, and an unexpected fault
   * (a client that cannot be built) fails that region only.
   */
  async #inventorySafely(region: string): Promise<RegionInventory> {
    try {
      return await this.#inventory(region);
    } catch (error) {
      const message = `Inventory of ${region} failed: ${describeAwsError(error)}.`;
      this.#logger.warn('region inventory failed', { region, error: message });
      return { region, status: 'failed', error: message };
    }
  }

  async #inventory(region: string): Promise<RegionInventory> {
    const client = this.#options.clientFor(region);
    let names: string[];
    try {
      names = await listClusterNames(client, this.#options.clusterNames);
    } catch (error) {
      const message = regionFailureMessage('ListClusters', region, error);
      this.#logger.warn('region listing failed', { region, error: message });
      return { region, status: 'failed', error: message };
    }

    const rotation = new RotationStateReader(client, region, this.#logger);
    const described = await mapWithConcurrency(
      names,
      this.#options.describeConcurrency ?? DEFAULT_DESCRIBE_CONCURRENCY,
      (name) => this.#describe(client, region, name, rotation),
    );
    const clusters = described.filter((c): c is ClusterTarget => c !== null);
    const vanished = names.filter((_, index) => described[index] === null);
    this.#logger.info('region listed', {
      region,
      clusters: clusters.length,
      vanished: vanished.length,
      rotationStateAvailable: rotation.available,
    });
    return {
      region,
      status: 'ok',
      clusters,
      vanished,
      rotationStateAvailable: rotation.available,
    };
  }

  /** One cluster's target, or `null` when it was deleted since listing. */
  async #describe(
    client: EKSClient,
    region: string,
    name: string,
    rotation: RotationStateReader,
  ): Promise<ClusterTarget | null> {
    const accountId = this.#options.accountId;
    let cluster: Cluster | undefined;
    try {
      const answer = await client.send(new DescribeClusterCommand({ name }));
      cluster = answer.cluster;
    } catch (error) {
      const fields = { region, clusterName: name };
      if (isResourceNotFound(error)) {
        this.#logger.warn('cluster deleted since it was listed', fields);
        return null;
      }
      const detail = describeAwsError(error);
      this.#logger.warn('DescribeCluster failed', { ...fields, error: detail });
      return apiErrorTarget(name, region, accountId, detail);
    }

    if (cluster === undefined) {
      const detail = 'the answer holds no cluster';
      this.#logger.warn('DescribeCluster failed', {
        region,
        clusterName: name,
      });
      return apiErrorTarget(name, region, accountId, detail);
    }

    // A registered cluster has no EKS CA, and one that is being created,
    // deleted or has failed has no rotation worth reading.
    const skip = skipReasonOf(cluster)?.code;
    const readRotation =
      Boolean(cluster.certificateAuthority?.data) &&
      skip !== 'CONNECTED_CLUSTER' &&
      skip !== 'CLUSTER_NOT_ACTIVE';
    const state = readRotation ? await rotation.read(name) : null;
    return toClusterTarget({ ...cluster, name }, region, accountId, state);
  }
}

/** Pages of ListClusters read at most: 100 clusters a page by default. */
const MAX_LIST_PAGES = 1000;

async function listClusterNames(
  client: EKSClient,
  only: readonly string[] | undefined,
): Promise<string[]> {
  const names: string[] = [];
  // A misbehaving API that repeats its token must not loop for ever.
  const pages = paginateListClusters({ client, stopOnSameToken: true }, {});
  let count = 0;
  for await (const page of pages) {
    names.push(...(page.clusters ?? []));
    count += 1;
    if (count >= MAX_LIST_PAGES) {
      throw new Error(
        `ListClusters returned more than ${MAX_LIST_PAGES} pages; stopping`,
      );
    }
  }
  return only === undefined ? names : names.filter((n) => only.includes(n));
}
