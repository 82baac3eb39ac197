import { createHash } from 'node:crypto';
import type { ClusterTarget, Inventory } from '../engine/inventory.js';
import { isoSeconds } from '../engine/report.js';
import type { Severity, Verdict } from '../engine/types.js';
import {
  buildClusterChain,
  type ClusterChain,
  type Issued,
  issueCertificate,
  toCaData,
} from './certificate-factory.js';
import {
  closedPort,
  type LocalTlsServer,
  startLocalTlsServer,
} from './local-tls-server.js';

/** The account the demo clusters pretend to live in (an AWS example id). */
export const DEMO_ACCOUNT_ID = '111122223333';

const DAY_MS = 86_400_000;

/** What the demo promises about one of its clusters. */
export interface DemoExpectation {
  readonly name: string;
  readonly verdict: Verdict;
  readonly severity: Severity;
  /** A person-readable line on what the cluster demonstrates. */
  readonly shows: string;
}

/** A running demo fleet: its inventory, where to connect, what to expect. */
export interface DemoFleet {
  readonly inventory: Inventory;
  /** curl-style rewrites sending every demo host name to 127.0.0.1. */
  readonly connectTo: readonly string[];
  readonly expectations: readonly DemoExpectation[];
  /** Stops the local servers. */
  close(): Promise<void>;
}

interface Scenario {
  readonly expectation: DemoExpectation;
  readonly region: string;
  /** The chain the server presents, or `null` when nothing listens. */
  readonly chain: { readonly leaf: Issued; readonly extra: Issued[] } | null;
  readonly target: Omit<ClusterTarget, 'endpoint' | 'name' | 'region'>;
}

/**
 * Starts a small fleet of local TLS "clusters" on 127.0.0.1, one per state
 * an on-call engineer meets: healthy, serving certificate expiring or
 * expired, a foreign CA, a host mismatch, unreachable, a CA rotation under
 * way, and a private endpoint. Certificates are made fresh around `now`.
 */
export async function startDemoFleet(now: Date): Promise<DemoFleet> {
  const scenarios = await buildScenarios(now);
  const hosts = scenarios.map((s) => demoHost(s.expectation.name, s.region));
  const served = new Map<string, { keyPem: string; certPems: string[] }>();
  scenarios.forEach((scenario, index) => {
    if (scenario.chain === null) return;
    served.set(hosts[index] as string, {
      keyPem: scenario.chain.leaf.keyPem,
      certPems: [
        scenario.chain.leaf.pem,
        ...scenario.chain.extra.map((c) => c.pem),
      ],
    });
  });
  const server: LocalTlsServer = await startLocalTlsServer({ chains: served });
  const refused = await closedPort();

  const connectTo = scenarios.map((scenario, index) => {
    const port = scenario.chain === null ? refused : server.port;
    return `${hosts[index]}:443:127.0.0.1:${port}`;
  });
  const targets: ClusterTarget[] = scenarios.map((scenario, index) => ({
    ...scenario.target,
    name: scenario.expectation.name,
    region: scenario.region,
    endpoint: `https://${hosts[index]}`,
  }));
  const regions = [...new Set(targets.map((t) => t.region as string))];

  return {
    inventory: {
      reportsRegions: true,
      async *regions() {
        for (const region of regions) {
          yield {
            region,
            status: 'ok',
            clusters: targets.filter((t) => t.region === region),
            vanished: [],
            rotationStateAvailable: true,
          };
        }
      },
    },
    connectTo,
    expectations: scenarios.map((s) => s.expectation),
    close: () => server.close(),
  };
}

/** An EKS-style endpoint host whose hex part is derived from the name. */
export function demoHost(name: string, region: string): string {
  const hex = createHash('sha256')
    .update(name)
    .digest('hex')
    .slice(0, 32)
    .toUpperCase();
  return `${hex}.gr7.${region}.eks.amazonaws.com`;
}

function base(chain: ClusterChain | null, caData: string | null) {
  return {
    accountId: DEMO_ACCOUNT_ID,
    caData: caData ?? (chain === null ? null : toCaData(chain.ca)),
    serverName: null,
    preReasons: [],
    publicAccessRestricted: false,
    rotation: { available: true, cas: [] } as ClusterTarget['rotation'],
    activeCaId: null,
  };
}

async function buildScenarios(now: Date): Promise<Scenario[]> {
  const chain = (name: string, region: string, leafDaysLeft = 300) =>
    buildClusterChain({ now, host: demoHost(name, region), leafDaysLeft });
  const usWest = 'us-west-2';
  const euWest = 'eu-west-1';

  const healthy = await chain('payments-prod', usWest);
  const expiring = await chain('checkout-prod', usWest, 5.5);
  const expired = await chain('legacy-batch', euWest, -2.25);
  const genuine = await chain('search-staging', usWest);
  const foreign = await buildClusterChain({
    now,
    host: demoHost('search-staging', usWest),
  });
  const mismatch = await chain('wrong-endpoint', euWest);
  const unreachable = await chain('lab-cluster', euWest);
  const rotating = await chain('analytics-prod', euWest);
  const successor = await issueCertificate({
    subject: 'CN=kubernetes',
    notBefore: new Date(now.getTime() - 30 * DAY_MS),
    notAfter: new Date(now.getTime() + 3650 * DAY_MS),
    key: { kind: 'EC', curve: 'P-256' },
    ca: true,
    keyUsage: 0x20 | 0x40 | 0x01,
  });
  const privateCa = await buildClusterChain({
    now,
    host: demoHost('internal-tools', usWest),
    caDaysLeft: 120,
  });
  const mismatchLeaf = (
    await buildClusterChain({
      now,
      host: 'some-other-cluster.example.internal',
      ca: mismatch.ca,
    })
  ).leaf;

  const rotationCa = (
    id: string,
    ca: Issued,
    signingStatus: string,
    activation: { first: number; final: number } | null,
  ) => ({
    facts: {
      id,
      signingStatus,
      distributionStatus: 'COMPLETE',
      firstAutoActivation:
        activation === null
          ? null
          : isoSeconds(new Date(now.getTime() + activation.first * DAY_MS)),
      finalAutoActivation:
        activation === null
          ? null
          : isoSeconds(new Date(now.getTime() + activation.final * DAY_MS)),
      rollbackAvailable: false,
    },
    data: toCaData(ca),
    notBefore: isoSeconds(ca.certificate.notBefore),
    notAfter: isoSeconds(ca.certificate.notAfter),
  });

  return [
    {
      expectation: {
        name: 'payments-prod',
        verdict: 'trusted',
        severity: 'ok',
        shows: 'a healthy cluster',
      },
      region: usWest,
      chain: { leaf: healthy.leaf, extra: [] },
      target: base(healthy, null),
    },
    {
      expectation: {
        name: 'checkout-prod',
        verdict: 'trusted',
        severity: 'warning',
        shows: 'a serving certificate that expires in 5.5 days',
      },
      region: usWest,
      chain: { leaf: expiring.leaf, extra: [] },
      target: base(expiring, null),
    },
    {
      expectation: {
        name: 'legacy-batch',
        verdict: 'untrusted',
        severity: 'critical',
        shows: 'a serving certificate that expired 2.25 days ago',
      },
      region: euWest,
      chain: { leaf: expired.leaf, extra: [] },
      target: base(expired, null),
    },
    {
      expectation: {
        name: 'search-staging',
        verdict: 'untrusted',
        severity: 'critical',
        shows: 'a certificate from a CA that is not the cluster CA',
      },
      region: usWest,
      chain: { leaf: foreign.leaf, extra: [] },
      target: base(genuine, null),
    },
    {
      expectation: {
        name: 'wrong-endpoint',
        verdict: 'untrusted',
        severity: 'critical',
        shows: 'a certificate for another host name',
      },
      region: euWest,
      chain: { leaf: mismatchLeaf, extra: [] },
      target: base(mismatch, null),
    },
    {
      expectation: {
        name: 'lab-cluster',
        verdict: 'unreachable',
        severity: 'unknown',
        shows: 'an endpoint where nothing listens',
      },
      region: euWest,
      chain: null,
      target: base(unreachable, null),
    },
    {
      expectation: {
        name: 'analytics-prod',
        verdict: 'trusted',
        severity: 'warning',
        shows: 'a CA rotation: a successor CA that EKS activates in 20 days',
      },
      region: euWest,
      chain: { leaf: rotating.leaf, extra: [] },
      target: {
        ...base(rotating, toCaData(rotating.ca, successor)),
        rotation: {
          available: true,
          cas: [
            rotationCa('ca-current', rotating.ca, 'IN_USE', null),
            rotationCa('ca-successor', successor, 'NOT_USED', {
              first: -5,
              final: 20,
            }),
          ],
        },
        activeCaId: 'ca-current',
      },
    },
    {
      expectation: {
        name: 'internal-tools',
        verdict: 'skipped',
        severity: 'warning',
        shows: 'a private endpoint whose CA expires in 120 days',
      },
      region: usWest,
      chain: null,
      target: {
        ...base(privateCa, null),
        preReasons: [
          {
            code: 'PRIVATE_ENDPOINT',
            level: 'info',
            message:
              'The endpoint is private (endpointPublicAccess is false), so it is not probed from outside the VPC; its CA data is still checked.',
            certificate: null,
          },
        ],
      },
    },
  ];
}
