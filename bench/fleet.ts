import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  buildClusterChain,
  toCaData,
} from '../lambda/demo/certificate-factory.js';
import type { ServedChain } from '../lambda/demo/local-tls-server.js';

/** One benchmark cluster: its EKS-style name and what it serves. */
export interface FleetCluster {
  /** Entry name in the kubeconfig, an EKS cluster ARN. */
  readonly arn: string;
  /** EKS-style API server host: SNI and the name verified. */
  readonly host: string;
  /** Base64 of the CA's PEM, as DescribeCluster returns it. */
  readonly caData: string;
  /** The CA as PEM, for OpenSSL and blackbox_exporter. */
  readonly caPem: string;
  /** What the server presents for this host. */
  readonly served: ServedChain;
}

/** Where {@link writeFleetFiles} put the fleet's description. */
export interface FleetFiles {
  readonly dir: string;
  /** kubeconfig of every cluster for `audit --kubeconfig`. */
  readonly kubeconfig: string;
  /** Lines of `host ca-file`, one per cluster, for the OpenSSL loop. */
  readonly clusterList: string;
  /** Folder of one `c<index>.pem` CA file per cluster. */
  readonly caDir: string;
}

/** Account and region the benchmark ARNs and host names use. */
const ACCOUNT = '111122223333';
const REGION = 'us-west-2';
/** Sub-domain labels like the ones EKS hands out. */
const CELLS = Object.freeze(['gr7', 'yl4', 'sk1', 'ch3']);

/**
 * Builds `size` clusters, each with its own EC P-256 CA and a serving
 * certificate for an EKS-style host name, valid around `now`.
 *
 * Key generation dominates: about 2 ms per cluster on one core.
 */
export async function buildFleet(
  size: number,
  now: Date,
): Promise<FleetCluster[]> {
  const clusters: FleetCluster[] = [];
  for (let index = 0; index < size; index += 1) {
    const id = randomBytes(16).toString('hex').toUpperCase();
    const host = `${id}.${CELLS[index % CELLS.length]}.${REGION}.eks.amazonaws.com`;
    const { ca, leaf } = await buildClusterChain({
      now,
      host,
      key: { kind: 'EC', curve: 'P-256' },
      caKeyIdentifiers: true,
    });
    clusters.push({
      arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/bench-${pad(index)}`,
      host,
      caData: toCaData(ca),
      caPem: ca.pem,
      served: { keyPem: leaf.keyPem, certPems: [leaf.pem] },
    });
  }
  return clusters;
}

/**
 * Writes the fleet as a kubeconfig whose every entry points at
 * `127.0.0.1:port` with the cluster's host as `tls-server-name`, one CA
 * file per cluster, and the `host ca-file` list the baselines read.
 */
export async function writeFleetFiles(
  dir: string,
  clusters: readonly FleetCluster[],
  port: number,
): Promise<FleetFiles> {
  const caDir = join(dir, 'ca');
  await mkdir(caDir, { recursive: true });
  const lines: string[] = [];
  for (const [index, cluster] of clusters.entries()) {
    const caFile = join(caDir, `c${index}.pem`);
    await writeFile(caFile, cluster.caPem);
    lines.push(`${cluster.host} ${caFile}`);
  }
  const clusterList = join(dir, 'clusters.txt');
  await writeFile(clusterList, `${lines.join('\n')}\n`);

  const kubeconfig = join(dir, 'kubeconfig.yaml');
  await writeFile(kubeconfig, stringify(kubeconfigOf(clusters, port)));
  return { dir, kubeconfig, clusterList, caDir };
}

function kubeconfigOf(clusters: readonly FleetCluster[], port: number) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: clusters.map((cluster) => ({
      name: cluster.arn,
      cluster: {
        server: `https://127.0.0.1:${port}`,
        'tls-server-name': cluster.host,
        'certificate-authority-data': cluster.caData,
      },
    })),
    contexts: clusters.map((cluster) => ({
      name: cluster.arn,
      context: { cluster: cluster.arn, user: 'bench' },
    })),
    users: [{ name: 'bench', user: {} }],
  };
}

function pad(index: number): string {
  return String(index).padStart(5, '0');
}
