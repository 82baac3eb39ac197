import type { Cluster } from '@aws-sdk/client-eks';
import type { RegionInventory } from '../../lambda/engine/inventory.js';
import type { AuditLogger, LogFields } from '../../lambda/engine/logger.js';

/** Fake static credentials: no client in these tests reaches AWS. */
export const FAKE_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIAEXAMPLEFAKEKEY00',
  secretAccessKey: 'fake-secret-access-key-for-tests',
});

export const ACCOUNT = '111122223333';

/** An AWS SDK-style error with a name and response metadata. */
export function awsError(
  name: string,
  message: string,
  metadata: { httpStatusCode?: number; attempts?: number } = {},
): Error {
  return Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: 400, ...metadata },
  });
}

/** An ACTIVE, publicly reachable cluster as DescribeCluster returns it. */
export function clusterOf(
  name: string,
  region: string,
  overrides: Partial<Cluster> = {},
): Cluster {
  return {
    name,
    arn: `arn:aws:eks:${region}:${ACCOUNT}:cluster/${name}`,
    status: 'ACTIVE',
    endpoint: `https://${name.toUpperCase()}0A1B2C.gr7.${region}.eks.amazonaws.com`,
    certificateAuthority: {
      data: Buffer.from(`ca of ${name}`).toString('base64'),
      active: { id: `ca-${name}` },
    },
    resourcesVpcConfig: {
      endpointPublicAccess: true,
      endpointPrivateAccess: false,
      publicAccessCidrs: ['0.0.0.0/0'],
    },
    ...overrides,
  };
}

/** A logger that keeps every line for assertions. */
export function recordingLogger(): AuditLogger & {
  readonly lines: Array<{ level: string; message: string; fields?: LogFields }>;
} {
  const lines: Array<{ level: string; message: string; fields?: LogFields }> =
    [];
  const record =
    (level: string) =>
    (message: string, fields?: LogFields): void => {
      lines.push({ level, message, ...(fields ? { fields } : {}) });
    };
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}

/** Every region an inventory yields, in order. */
export async function collect(
  regions: AsyncIterable<RegionInventory>,
): Promise<RegionInventory[]> {
  const out: RegionInventory[] = [];
  for await (const region of regions) out.push(region);
  return out;
}

/** Resolves after `ms` of real time, so that calls overlap. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
