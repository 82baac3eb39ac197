import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AuditError } from '../engine/errors.js';
import type {
  ClusterTarget,
  Inventory,
  RegionInventory,
} from '../engine/inventory.js';
import type { Reason } from '../engine/types.js';
import { readBoundedFile } from './read-bounded-file.js';

const EKS_ARN = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):(\d{12}):cluster\/(.+)$/;

/**
 * The clusters of a kubeconfig file, read with kubectl's meaning of
 * `server`, `certificate-authority-data` (wins over the file),
 * `certificate-authority` (relative to the kubeconfig's folder),
 * `tls-server-name` and `insecure-skip-tls-verify`. Makes no AWS call.
 *
 * Entries named by an EKS ARN (as `aws eks update-kubeconfig` writes them)
 * report the ARN's cluster name, region and account.
 */
export class KubeconfigInventory implements Inventory {
  readonly reportsRegions = false;
  private readonly targets: readonly ClusterTarget[];

  /**
   * Reads and checks the file now, so that a malformed kubeconfig stops
   * the command before any probe.
   *
   * @throws AuditError `INPUT_UNREADABLE` when the file cannot be read,
   *   `KUBECONFIG_INVALID` when it is not a kubeconfig.
   */
  constructor(path: string) {
    let text: string;
    try {
      text = readBoundedFile(path).toString('utf8');
    } catch (cause) {
      throw new AuditError(
        'INPUT_UNREADABLE',
        `cannot read kubeconfig ${path}: ${(cause as Error).message}`,
        { cause },
      );
    }
    this.targets = parseKubeconfig(text, path);
  }

  /** The clusters, as one pseudo-region that the report leaves out. */
  async *regions(): AsyncIterable<RegionInventory> {
    yield {
      region: 'kubeconfig',
      status: 'ok',
      clusters: this.targets,
      vanished: [],
      rotationStateAvailable: null,
    };
  }
}

/**
 * Turns kubeconfig YAML into cluster targets.
 *
 * @throws AuditError `KUBECONFIG_INVALID` naming the entry and the rule.
 */
export function parseKubeconfig(text: string, path: string): ClusterTarget[] {
  let document: unknown;
  try {
    document = parseYaml(text, { maxAliasCount: 100, logLevel: 'error' });
  } catch (cause) {
    throw invalid(path, `is not valid YAML: ${(cause as Error).message}`);
  }
  if (!isRecord(document)) {
    throw invalid(path, 'must be a YAML mapping with a clusters list');
  }
  const clusters = document.clusters;
  if (!Array.isArray(clusters)) {
    throw invalid(path, 'must have a clusters list');
  }
  return clusters.map((entry, index) => toTarget(entry, index, path));
}

function toTarget(entry: unknown, index: number, path: string): ClusterTarget {
  const where = `clusters[${index}]`;
  if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name === '') {
    throw invalid(path, `${where} must have a non-empty name`);
  }
  const cluster = entry.cluster;
  if (!isRecord(cluster)) {
    throw invalid(path, `${where} (${entry.name}) must have a cluster mapping`);
  }
  const field = (key: string): string | null => {
    const value = cluster[key];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string') {
      throw invalid(
        path,
        `${where} (${entry.name}) cluster.${key} must be a string`,
      );
    }
    return value;
  };
  const insecure = cluster['insecure-skip-tls-verify'];
  if (insecure !== undefined && typeof insecure !== 'boolean') {
    throw invalid(
      path,
      `${where} (${entry.name}) cluster.insecure-skip-tls-verify must be true or false`,
    );
  }

  const arn = EKS_ARN.exec(entry.name);
  const preReasons: Reason[] = [];
  const server = withoutCredentials(field('server'));
  let endpoint: string | null = server;
  const scheme = server?.split(':', 1)[0]?.toLowerCase();
  if (server !== null && scheme !== 'https') {
    const plain = scheme === 'http';
    preReasons.push({
      code: 'NO_ENDPOINT',
      // kubectl talks plain HTTP to such a server: credentials travel in
      // clear, which deserves more than a note.
      level: plain ? 'warning' : 'info',
      message: plain
        ? `The server ${server} is plain http://: kubectl sends credentials to it unencrypted, and there is no TLS to verify. Use the cluster's https:// endpoint.`
        : `The server ${server} is not an https:// URL, so there is no TLS to verify.`,
      certificate: null,
    });
    endpoint = server;
  } else if (server === null) {
    preReasons.push({
      code: 'NO_ENDPOINT',
      level: 'info',
      message: 'The kubeconfig entry has no server.',
      certificate: null,
    });
  }
  if (insecure === true) {
    preReasons.push({
      code: 'INSECURE_SKIP_TLS_VERIFY',
      level: 'warning',
      message:
        'insecure-skip-tls-verify is true: kubectl with this entry accepts any certificate, so a server in the middle goes unnoticed. Remove it and set certificate-authority-data to the cluster CA.',
      certificate: null,
    });
  }

  let caData = field('certificate-authority-data');
  const caFile = field('certificate-authority');
  if (caData === null && caFile !== null) {
    const caPath = resolve(dirname(path), caFile);
    try {
      caData = readBoundedFile(caPath).toString('utf8');
      if (caData.trim() === '') {
        caData = null;
        preReasons.push({
          code: 'CA_DATA_INVALID',
          level: 'critical',
          message: `certificate-authority file ${caPath} is empty`,
          certificate: null,
        });
      }
    } catch (cause) {
      preReasons.push({
        code: 'CA_DATA_INVALID',
        level: 'critical',
        message: `cannot read certificate-authority file ${caPath}: ${(cause as Error).message}`,
        certificate: null,
      });
    }
  }

  return {
    name: arn?.[3] ?? entry.name,
    region: arn?.[1] ?? null,
    accountId: arn?.[2] ?? null,
    endpoint,
    caData,
    serverName: field('tls-server-name'),
    preReasons,
    publicAccessRestricted: false,
    rotation: null,
    activeCaId: null,
  };
}

function invalid(path: string, rule: string): AuditError {
  return new AuditError('KUBECONFIG_INVALID', `kubeconfig ${path} ${rule}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Masks a user name or password written into a server URL, so that it
 * never reaches a report, a log line or an email; the masked URL is then
 * refused by the probe as a URL with credentials.
 */
function withoutCredentials(server: string | null): string | null {
  if (server === null) return null;
  return server.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1***@');
}
