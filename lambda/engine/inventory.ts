import type { Reason, RotationFacts } from './types.js';

/**
 * One CA as the EKS rotation API describes it, with the base64 PEM data
 * that lets the engine match it to a CA of the cluster's bundle.
 */
export interface RotationCa {
  readonly facts: RotationFacts;
  /** Base64 of the CA's PEM, as DescribeCertificateAuthority returns it. */
  readonly data: string | null;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
}

/** What the CA rotation calls told about one cluster. */
export type RotationState =
  | { readonly available: true; readonly cas: readonly RotationCa[] }
  | {
      readonly available: false;
      /** Why the rotation state is missing, in plain words. */
      readonly message: string;
    };

/**
 * One cluster to audit: an EKS cluster from DescribeCluster, or a
 * kubeconfig entry, or a demo server. The engine needs nothing else.
 */
export interface ClusterTarget {
  readonly name: string;
  readonly region: string | null;
  readonly accountId: string | null;
  /** `https://…` API server URL, or `null` when the cluster has none. */
  readonly endpoint: string | null;
  /** Raw CA data (base64 of PEM, or PEM text), or `null` when absent. */
  readonly caData: string | null;
  /**
   * Name to verify and send as SNI instead of the endpoint's host
   * (kubeconfig `tls-server-name`); `null` uses the endpoint's host.
   */
  readonly serverName: string | null;
  /**
   * Findings known before any probe: a skip reason (not active, private
   * endpoint, connected or Outposts cluster, no endpoint), an API failure,
   * `INSECURE_SKIP_TLS_VERIFY`. A reason whose code makes the cluster
   * skipped or errored stops it from being probed.
   */
  readonly preReasons: readonly Reason[];
  /**
   * `true` when the endpoint's `publicAccessCidrs` exclude 0.0.0.0/0, so a
   * probe timeout means "restricted", not "down".
   */
  readonly publicAccessRestricted: boolean;
  /** The CA rotation API's view, or `null` when the source has none. */
  readonly rotation: RotationState | null;
  /** Id of the signing CA from DescribeCluster `certificateAuthority.active`. */
  readonly activeCaId: string | null;
}

/** The outcome of listing and describing one region. */
export type RegionInventory =
  | {
      readonly region: string;
      readonly status: 'ok';
      readonly clusters: readonly ClusterTarget[];
      /** Clusters listed but gone by DescribeCluster: logged and counted. */
      readonly vanished: readonly string[];
      /** `false` when the rotation calls were denied or unknown there. */
      readonly rotationStateAvailable: boolean | null;
    }
  | {
      readonly region: string;
      readonly status: 'failed';
      /** What failed, in plain words, with the AWS error name. */
      readonly error: string;
    };

/** A source of clusters: the EKS API, a kubeconfig, or the demo fleet. */
export interface Inventory {
  /**
   * `true` for AWS regions, which the report lists in `regions[]`;
   * `false` for sources without regions (a kubeconfig, the demo fleet),
   * whose pseudo-region is left out of the report.
   */
  readonly reportsRegions: boolean;
  /** Lists the regions (or the one pseudo-region) and their clusters. */
  regions(): AsyncIterable<RegionInventory>;
}
