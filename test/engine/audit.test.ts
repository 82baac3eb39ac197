import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildClusterChain,
  type ClusterChain,
  toCaData,
} from '../../lambda/demo/certificate-factory.js';
import {
  closedPort,
  type LocalServer,
  startLocalTlsServer,
  startSilentServer,
} from '../../lambda/demo/local-tls-server.js';
import { runAudit } from '../../lambda/engine/audit.js';
import { parseConnectTo } from '../../lambda/engine/connect-to.js';
import type {
  ClusterTarget,
  Inventory,
  RegionInventory,
} from '../../lambda/engine/inventory.js';
import { silentLogger } from '../../lambda/engine/logger.js';
import { probeEndpoint } from '../../lambda/engine/probe.js';
import { DEFAULT_THRESHOLDS, type Verdict } from '../../lambda/engine/types.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const FLEET_SIZE = 210;

function host(index: number): string {
  const hex = index.toString(16).toUpperCase().padStart(32, '0');
  return `${hex}.gr7.us-west-2.eks.amazonaws.com`;
}

function target(
  name: string,
  endpointHost: string,
  caData: string | null,
  extra: Partial<ClusterTarget> = {},
): ClusterTarget {
  return {
    name,
    region: 'us-west-2',
    accountId: '111122223333',
    endpoint: `https://${endpointHost}`,
    caData,
    serverName: null,
    preReasons: [],
    publicAccessRestricted: false,
    rotation: null,
    activeCaId: null,
    ...extra,
  };
}

function inventoryOf(regions: RegionInventory[]): Inventory {
  return {
    reportsRegions: true,
    async *regions() {
      yield* regions;
    },
  };
}

describe('runAudit over a local fleet', () => {
  const expected = new Map<string, Verdict>();
  const targets: ClusterTarget[] = [];
  const rules: string[] = [];
  let server: LocalServer;

  beforeAll(async () => {
    const ca = await buildClusterChain({ now: NOW, host: host(0) });
    const foreign = await buildClusterChain({ now: NOW, host: host(0) });
    const chains = new Map<string, { keyPem: string; certPems: string[] }>();
    const kinds: Array<{
      verdict: Verdict;
      make: (h: string) => Promise<ClusterChain>;
    }> = [
      {
        verdict: 'trusted',
        make: (h) => buildClusterChain({ now: NOW, host: h, ca: ca.ca }),
      },
      {
        verdict: 'untrusted',
        make: (h) =>
          buildClusterChain({ now: NOW, host: h, ca: ca.ca, leafDaysLeft: -1 }),
      },
      {
        verdict: 'untrusted',
        make: (h) => buildClusterChain({ now: NOW, host: h, ca: foreign.ca }),
      },
    ];
    for (let index = 0; index < FLEET_SIZE; index += 1) {
      const kind = kinds[index % kinds.length];
      if (kind === undefined) throw new Error('no kind');
      const name = `cluster-${index}`;
      const chain = await kind.make(host(index));
      chains.set(host(index).toLowerCase(), {
        keyPem: chain.leaf.keyPem,
        certPems: [chain.leaf.pem],
      });
      expected.set(name, kind.verdict);
      targets.push(target(name, host(index), toCaData(ca.ca)));
    }
    server = await startLocalTlsServer({ chains });
    rules.push(`:443:127.0.0.1:${server.port}`);
  });

  afterAll(async () => {
    await server?.close();
  });

  it(`gives each of ${FLEET_SIZE} endpoints its verdict in one run`, async () => {
    const connectTo = rules.map(parseConnectTo);
    const started = process.hrtime.bigint();
    const rssBefore = process.memoryUsage().rss;

    const { report } = await runAudit({
      inventory: inventoryOf([
        {
          region: 'us-west-2',
          status: 'ok',
          clusters: targets,
          vanished: [],
          rotationStateAvailable: null,
        },
      ]),
      probe: (t) =>
        probeEndpoint(
          { url: t.endpoint as string },
          { timeoutMs: 10_000, connectTo },
        ),
      now: NOW,
      thresholds: DEFAULT_THRESHOLDS,
      probeConcurrency: 16,
      logger: silentLogger,
    });

    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rssMb = process.memoryUsage().rss / 2 ** 20;
    console.info(
      `audited ${report.clusters.length} local endpoints in ${seconds.toFixed(2)} s; RSS ${rssMb.toFixed(0)} MB (was ${(rssBefore / 2 ** 20).toFixed(0)} MB)`,
    );
    expect(report.clusters).toHaveLength(FLEET_SIZE);
    for (const cluster of report.clusters) {
      expect(cluster.verdict, cluster.name ?? '').toBe(
        expected.get(cluster.name ?? ''),
      );
    }
    expect(report.summary.byVerdict).toEqual({
      trusted: 70,
      untrusted: 140,
      unreachable: 0,
      skipped: 0,
      error: 0,
    });
    expect(report.partial).toBe(false);
    expect(report.regions).toEqual([
      {
        region: 'us-west-2',
        status: 'ok',
        error: null,
        rotationStateAvailable: null,
      },
    ]);
  });

  it('never runs more probes at once than the cap', async () => {
    let active = 0;
    let peak = 0;

    await runAudit({
      inventory: inventoryOf([
        {
          region: 'us-west-2',
          status: 'ok',
          clusters: targets.slice(0, 40),
          vanished: [],
          rotationStateAvailable: null,
        },
      ]),
      probe: async (t) => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 2));
        active -= 1;
        return { kind: 'failure', host: t.name, code: 'TIMEOUT', message: 'x' };
      },
      now: NOW,
      thresholds: DEFAULT_THRESHOLDS,
      probeConcurrency: 5,
      logger: silentLogger,
    });

    expect(peak).toBe(5);
  });
});

describe('runAudit', () => {
  it('marks clusters not reached before the deadline TIME_BUDGET_EXHAUSTED and the run partial', async () => {
    const chain = await buildClusterChain({ now: NOW, host: host(1) });
    let clock = 0;
    const clusters = [0, 1, 2].map((i) =>
      target(`c${i}`, host(1), toCaData(chain.ca)),
    );

    const { report } = await runAudit({
      inventory: inventoryOf([
        {
          region: 'eu-west-1',
          status: 'ok',
          clusters,
          vanished: [],
          rotationStateAvailable: true,
        },
      ]),
      probe: async () => {
        clock = 1000;
        return {
          kind: 'handshake',
          host: host(1),
          chain: [chain.leaf.der],
          protocol: 'TLSv1.3',
          cipher: 'TLS_AES_128_GCM_SHA256',
          remoteAddress: '127.0.0.1',
          remotePort: 443,
        };
      },
      now: NOW,
      thresholds: DEFAULT_THRESHOLDS,
      probeConcurrency: 1,
      deadline: 500,
      clock: () => clock,
      logger: silentLogger,
    });

    expect(report.partial).toBe(true);
    expect(report.summary.worstSeverity).toBe('unknown');
    const byName = new Map(report.clusters.map((c) => [c.name, c]));
    expect(byName.get('c0')?.verdict).toBe('trusted');
    for (const name of ['c1', 'c2']) {
      expect(byName.get(name)?.verdict).toBe('skipped');
      expect(byName.get(name)?.severity).toBe('unknown');
      expect(byName.get(name)?.reasons.map((r) => r.code)).toContain(
        'TIME_BUDGET_EXHAUSTED',
      );
      expect(byName.get(name)?.certificateAuthorities).toHaveLength(1);
    }
  });

  it('records a failed region, goes on with the others and counts vanished clusters', async () => {
    const chain = await buildClusterChain({ now: NOW, host: host(2) });
    const logged: string[] = [];

    const run = await runAudit({
      inventory: inventoryOf([
        {
          region: 'ap-east-1',
          status: 'failed',
          error: 'UnrecognizedClientException: opt-in region not enabled',
        },
        {
          region: 'us-east-1',
          status: 'ok',
          clusters: [target('alive', host(2), toCaData(chain.ca))],
          vanished: ['gone'],
          rotationStateAvailable: true,
        },
      ]),
      probe: async () => ({
        kind: 'handshake',
        host: host(2),
        chain: [chain.leaf.der],
        protocol: 'TLSv1.3',
        cipher: null,
        remoteAddress: null,
        remotePort: null,
      }),
      now: NOW,
      thresholds: DEFAULT_THRESHOLDS,
      probeConcurrency: 2,
      logger: {
        ...silentLogger,
        warn: (m) => logged.push(m),
        error: (m) => logged.push(m),
      },
    });

    expect(run.vanished).toBe(1);
    expect(run.report.partial).toBe(true);
    expect(run.report.summary.worstSeverity).toBe('unknown');
    expect(run.report.regions).toEqual([
      {
        region: 'ap-east-1',
        status: 'failed',
        error: 'UnrecognizedClientException: opt-in region not enabled',
        rotationStateAvailable: null,
      },
      {
        region: 'us-east-1',
        status: 'ok',
        error: null,
        rotationStateAvailable: true,
      },
    ]);
    expect(run.report.clusters.map((c) => [c.name, c.verdict])).toEqual([
      ['alive', 'trusted'],
    ]);
    expect(logged).toEqual([]);
  });

  it('skips a restricted endpoint that times out, and reports other probe failures as unreachable', async () => {
    const chain = await buildClusterChain({ now: NOW, host: host(3) });
    const silent = await startSilentServer();
    const refused = await closedPort();
    const connectTo = [
      `restricted.example:443:127.0.0.1:${silent.port}`,
      `open.example:443:127.0.0.1:${silent.port}`,
      `closed.example:443:127.0.0.1:${refused}`,
    ].map(parseConnectTo);

    try {
      const { report } = await runAudit({
        inventory: inventoryOf([
          {
            region: 'us-west-2',
            status: 'ok',
            clusters: [
              target('restricted', 'restricted.example', toCaData(chain.ca), {
                publicAccessRestricted: true,
              }),
              target('open', 'open.example', toCaData(chain.ca)),
              target('closed', 'closed.example', toCaData(chain.ca)),
            ],
            vanished: [],
            rotationStateAvailable: null,
          },
        ]),
        probe: (t) =>
          probeEndpoint(
            { url: t.endpoint as string },
            { timeoutMs: 300, connectTo },
          ),
        now: NOW,
        thresholds: DEFAULT_THRESHOLDS,
        probeConcurrency: 3,
        logger: silentLogger,
      });

      const summary = Object.fromEntries(
        report.clusters.map((c) => [
          c.name,
          [
            c.verdict,
            c.severity,
            c.reasons
              .filter(
                (r) =>
                  r.level !== 'info' || r.code === 'PUBLIC_ACCESS_RESTRICTED',
              )
              .map((r) => r.code),
          ],
        ]),
      );
      expect(summary.restricted).toEqual([
        'skipped',
        'ok',
        ['PUBLIC_ACCESS_RESTRICTED'],
      ]);
      expect(summary.open).toEqual(['unreachable', 'unknown', ['TIMEOUT']]);
      expect(summary.closed).toEqual([
        'unreachable',
        'unknown',
        ['CONNECTION_REFUSED'],
      ]);
    } finally {
      await silent.close();
    }
  });

  it('turns an unexpected failure on one cluster into AUDIT_FAILED and audits the rest', async () => {
    const chain = await buildClusterChain({ now: NOW, host: host(4) });

    const { report } = await runAudit({
      inventory: inventoryOf([
        {
          region: 'us-west-2',
          status: 'ok',
          clusters: [
            target('buggy', host(4), toCaData(chain.ca)),
            target('fine', host(4), toCaData(chain.ca)),
          ],
          vanished: [],
          rotationStateAvailable: null,
        },
      ]),
      probe: async (t) => {
        if (t.name === 'buggy') throw new Error('probe exploded');
        return {
          kind: 'handshake',
          host: host(4),
          chain: [chain.leaf.der],
          protocol: 'TLSv1.3',
          cipher: null,
          remoteAddress: null,
          remotePort: null,
        };
      },
      now: NOW,
      thresholds: DEFAULT_THRESHOLDS,
      probeConcurrency: 2,
      logger: silentLogger,
    });

    expect(report.clusters.map((c) => [c.name, c.verdict, c.severity])).toEqual(
      [
        ['buggy', 'error', 'unknown'],
        ['fine', 'trusted', 'ok'],
      ],
    );
    expect(report.clusters[0]?.reasons[0]?.code).toBe('AUDIT_FAILED');
    expect(report.clusters[0]?.reasons[0]?.message).toContain('probe exploded');
  });

  it('does not probe skipped clusters, clusters without CA data, or unusable CA data', async () => {
    let probes = 0;
    const { report } = await runAudit({
      inventory: inventoryOf([
        {
          region: 'us-west-2',
          status: 'ok',
          clusters: [
            target('private', host(5), null, {
              preReasons: [
                {
                  code: 'PRIVATE_ENDPOINT',
                  level: 'info',
                  message: 'private',
                  certificate: null,
                },
              ],
            }),
            target('no-ca', host(5), null),
            target('bad-ca', host(5), 'bm90IGEgY2VydGlmaWNhdGU='),
            target('denied', host(5), null, {
              endpoint: null,
              preReasons: [
                {
                  code: 'API_ERROR',
                  level: 'unknown',
                  message: 'AccessDeniedException',
                  certificate: null,
                },
              ],
            }),
          ],
          vanished: [],
          rotationStateAvailable: null,
        },
      ]),
      probe: async () => {
        probes += 1;
        throw new Error('must not probe');
      },
      now: NOW,
      thresholds: DEFAULT_THRESHOLDS,
      probeConcurrency: 2,
      logger: silentLogger,
    });

    expect(probes).toBe(0);
    const summary = Object.fromEntries(
      report.clusters.map((c) => [
        c.name,
        [c.verdict, c.severity, c.reasons.map((r) => r.code)],
      ]),
    );
    expect(summary).toEqual({
      private: ['skipped', 'unknown', ['PRIVATE_ENDPOINT', 'NO_CA_DATA']],
      'no-ca': ['skipped', 'unknown', ['NO_CA_DATA']],
      'bad-ca': ['error', 'critical', ['CA_DATA_INVALID']],
      denied: ['error', 'unknown', ['API_ERROR']],
    });
  });
});
