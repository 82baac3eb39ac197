import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
} from '../../lambda/demo/local-tls-server.js';
import type { AuditReport, ClusterReport } from '../../lambda/engine/types.js';
import { runCli } from '../support/run-cli.js';

const NOW = new Date('2026-03-01T08:00:00Z');
const GOOD = 'AAAA0000BBBB1111CCCC2222DDDD3333.gr7.us-west-2.eks.amazonaws.com';
const EXPIRED =
  'EEEE0000BBBB1111CCCC2222DDDD3333.gr7.us-west-2.eks.amazonaws.com';
const FOREIGN =
  'FFFF0000BBBB1111CCCC2222DDDD3333.gr7.us-west-2.eks.amazonaws.com';

let server: LocalServer;
let good: ClusterChain;
let refusedPort: number;

beforeAll(async () => {
  good = await buildClusterChain({ now: NOW, host: GOOD });
  const expired = await buildClusterChain({
    now: NOW,
    host: EXPIRED,
    ca: good.ca,
    leafDaysLeft: -10,
  });
  const foreign = await buildClusterChain({ now: NOW, host: FOREIGN });
  const served = (chain: ClusterChain) => ({
    keyPem: chain.leaf.keyPem,
    certPems: [chain.leaf.pem],
  });
  server = await startLocalTlsServer({
    chains: new Map([
      [GOOD.toLowerCase(), served(good)],
      [EXPIRED.toLowerCase(), served(expired)],
      [FOREIGN.toLowerCase(), served(foreign)],
    ]),
  });
  refusedPort = await closedPort();
});

afterAll(async () => {
  await server?.close();
});

function single(stdout: string): ClusterReport {
  const cluster = (JSON.parse(stdout) as AuditReport).clusters[0];
  if (cluster === undefined) throw new Error('no cluster in the report');
  return cluster;
}

describe('eks-cert-audit probe', () => {
  it.each([
    [GOOD, 0, 'trusted', []],
    [EXPIRED, 2, 'untrusted', ['CERT_EXPIRED']],
    [FOREIGN, 2, 'untrusted', ['BAD_SIGNATURE']],
  ])('judges %s live: exit %i, %s', async (host, code, verdict, reasons) => {
    const result = await runCli(
      [
        'probe',
        `https://${host}`,
        '--ca-data',
        toCaData(good.ca),
        '--connect-to',
        `${host}:443:127.0.0.1:${server.port}`,
        '--json',
      ],
      { now: NOW },
    );

    const cluster = single(result.stdout);
    expect(result.code).toBe(code);
    expect(cluster.verdict).toBe(verdict);
    expect(cluster.endpoint).toBe(`https://${host}`);
    expect(cluster.name).toBeNull();
    expect(cluster.tls?.protocol).toBe('TLSv1.3');
    expect(cluster.serverCertificate?.subject).toBe('CN=kube-apiserver');
    for (const reason of reasons) {
      expect(cluster.reasons.map((r) => r.code)).toContain(reason);
    }
  });

  it('reports a closed port as unreachable, exit 3', async () => {
    const result = await runCli(
      [
        'probe',
        `https://${GOOD}`,
        '--ca-data',
        toCaData(good.ca),
        '--connect-to',
        `${GOOD}:443:127.0.0.1:${refusedPort}`,
        '--timeout',
        '2',
        '--json',
      ],
      { now: NOW },
    );

    const cluster = single(result.stdout);
    expect(result.code).toBe(3);
    expect(cluster.verdict).toBe('unreachable');
    expect(cluster.reasons.map((r) => r.code)).toContain('CONNECTION_REFUSED');
    expect(cluster.certificateAuthorities).toHaveLength(1);
  });

  it('refuses a malformed --connect-to with exit 3', async () => {
    const result = await runCli([
      'probe',
      `https://${GOOD}`,
      '--ca-data',
      toCaData(good.ca),
      '--connect-to',
      'nonsense',
    ]);

    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('nonsense');
  });
});

describe('eks-cert-audit audit --kubeconfig', () => {
  function kubeconfig(
    text: string,
    files: Record<string, string> = {},
  ): string {
    const folder = mkdtempSync(join(tmpdir(), 'kubeconfig-audit-'));
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(folder, name), content);
    }
    const path = join(folder, 'config');
    writeFileSync(path, text);
    return path;
  }

  it('audits data and file CAs, tls-server-name, a missing CA and an insecure entry', async () => {
    const path = kubeconfig(
      `apiVersion: v1
kind: Config
clusters:
  - name: arn:aws:eks:us-west-2:111122223333:cluster/good
    cluster:
      server: https://127.0.0.1:${server.port}
      tls-server-name: ${GOOD}
      certificate-authority-data: ${toCaData(good.ca)}
  - name: from-file
    cluster:
      server: https://127.0.0.1:${server.port}
      tls-server-name: ${EXPIRED}
      certificate-authority: ca.pem
  - name: without-ca
    cluster:
      server: https://127.0.0.1:${server.port}
      tls-server-name: ${GOOD}
  - name: insecure
    cluster:
      server: https://127.0.0.1:${server.port}
      tls-server-name: ${GOOD}
      certificate-authority-data: ${toCaData(good.ca)}
      insecure-skip-tls-verify: true
  - name: wrong-name
    cluster:
      server: https://127.0.0.1:${server.port}
      certificate-authority-data: ${toCaData(good.ca)}
`,
      { 'ca.pem': good.ca.pem },
    );

    const result = await runCli(['audit', '--kubeconfig', path, '--json'], {
      now: NOW,
    });

    const report = JSON.parse(result.stdout) as AuditReport;
    const byName = Object.fromEntries(
      report.clusters.map((c) => [
        c.name,
        [
          c.verdict,
          c.severity,
          c.reasons.filter((r) => r.level !== 'info').map((r) => r.code),
        ],
      ]),
    );
    expect(result.code).toBe(2);
    expect(report.regions).toEqual([]);
    expect(byName).toEqual({
      good: ['trusted', 'ok', []],
      'from-file': ['untrusted', 'critical', ['CERT_EXPIRED']],
      'without-ca': ['skipped', 'unknown', ['NO_CA_DATA']],
      insecure: ['trusted', 'warning', ['INSECURE_SKIP_TLS_VERIFY']],
      'wrong-name': ['untrusted', 'critical', ['HOSTNAME_MISMATCH']],
    });
    const goodCluster = report.clusters.find((c) => c.name === 'good');
    expect(goodCluster).toMatchObject({
      region: 'us-west-2',
      accountId: '111122223333',
    });
  });

  it('reports an unusable server URL as a finding and audits the other entries', async () => {
    const path = kubeconfig(
      `clusters:
  - name: with-password
    cluster:
      server: https://admin:secret@127.0.0.1:${server.port}
      certificate-authority-data: ${toCaData(good.ca)}
  - name: port-zero
    cluster:
      server: https://127.0.0.1:0
      certificate-authority-data: ${toCaData(good.ca)}
  - name: upper-case-scheme
    cluster:
      server: HTTPS://127.0.0.1:${server.port}
      tls-server-name: ${GOOD}
      certificate-authority-data: ${toCaData(good.ca)}
  - name: trailing-dot
    cluster:
      server: https://${GOOD}.
      certificate-authority-data: ${toCaData(good.ca)}
`,
    );

    const result = await runCli(
      [
        'audit',
        '--kubeconfig',
        path,
        '--json',
        '--connect-to',
        `${GOOD}:443:127.0.0.1:${server.port}`,
      ],
      { now: NOW },
    );

    const report = JSON.parse(result.stdout) as AuditReport;
    const byName = Object.fromEntries(
      report.clusters.map((c) => [
        c.name,
        [c.verdict, c.reasons.map((r) => r.code)],
      ]),
    );
    expect(byName['with-password']).toEqual([
      'skipped',
      ['NO_ENDPOINT', 'CA_MISSING_KEY_IDENTIFIERS'],
    ]);
    expect(byName['port-zero']?.[0]).toBe('skipped');
    expect(byName['upper-case-scheme']?.[0]).toBe('trusted');
    expect(byName['trailing-dot']?.[0]).toBe('trusted');
    expect(result.stdout).not.toContain('secret');
  });

  it('prints a table sorted worst first', async () => {
    const path = kubeconfig(
      `clusters:
  - name: fine
    cluster:
      server: https://127.0.0.1:${server.port}
      tls-server-name: ${GOOD}
      certificate-authority-data: ${toCaData(good.ca)}
  - name: broken
    cluster:
      server: https://127.0.0.1:${server.port}
      tls-server-name: ${FOREIGN}
      certificate-authority-data: ${toCaData(good.ca)}
`,
    );

    const result = await runCli(['audit', '--kubeconfig', path], { now: NOW });

    const lines = result.stdout.split('\n');
    expect(result.code).toBe(2);
    expect(lines[0]).toMatch(/^CLUSTER\s+REGION\s+VERDICT\s+SEVERITY/);
    expect(lines[1]).toMatch(/^broken\s+-\s+untrusted\s+critical/);
    expect(lines[2]).toMatch(/^fine\s+-\s+trusted\s+ok/);
  });

  it('exits 3 with a clear message for a malformed kubeconfig', async () => {
    const path = kubeconfig('clusters: {not: [a list}');

    const result = await runCli(['audit', '--kubeconfig', path]);

    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`kubeconfig ${path}`);
  });
});

describe('eks-cert-audit demo', () => {
  it('audits the demo fleet with the expected verdicts and exits 0', async () => {
    const result = await runCli(['demo', '--json']);

    const report = JSON.parse(result.stdout) as AuditReport;
    const verdicts = Object.fromEntries(
      report.clusters.map((c) => [c.name, `${c.verdict}/${c.severity}`]),
    );
    expect(result.code).toBe(0);
    expect(verdicts).toEqual({
      'payments-prod': 'trusted/ok',
      'checkout-prod': 'trusted/warning',
      'legacy-batch': 'untrusted/critical',
      'search-staging': 'untrusted/critical',
      'wrong-endpoint': 'untrusted/critical',
      'lab-cluster': 'unreachable/unknown',
      'analytics-prod': 'trusted/warning',
      'internal-tools': 'skipped/warning',
    });
    expect(report.clusters[0]?.severity).toBe('critical');
  });

  it('prints a readable report and says the verdicts were the expected ones', async () => {
    const result = await runCli(['demo']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^CLUSTER\s+REGION/);
    expect(result.stdout).toContain('CERT_EXPIRED');
    expect(result.stdout).toContain('CA_AUTO_ACTIVATION_SOON');
    expect(result.stderr).toContain('got their expected verdicts');
  });

  it('previews the email the run would send', async () => {
    const result = await runCli(['demo', '--email-preview']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Subject: .*CRITICAL/);
    expect(result.stdout).toContain('legacy-batch');
    expect(result.stdout).toContain(
      'eks-cert-audit check legacy-batch --region eu-west-1',
    );
  });
});
