import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lambda/engine/types.js';
import { runCli } from '../support/run-cli.js';

const SEED = join(import.meta.dirname, '..', 'fixtures', 'seed-eks-2018');
const CA_FILE = join(SEED, 'certificate-authority-data.b64');
const CERT_FILE = join(SEED, 'kube-apiserver.pem');
const HOST = '715065595AECC5FB4F2F3811FBA82A45.yl4.us-west-2.eks.amazonaws.com';

function verifyArgs(at: string, host = HOST): string[] {
  return [
    'verify',
    '--ca',
    CA_FILE,
    '--cert',
    CERT_FILE,
    '--host',
    host,
    '--at',
    at,
  ];
}

describe('eks-cert-audit verify on the 2018 EKS seed chain', () => {
  it('trusts it on 2019-01-01 with only the missing key identifiers noted', async () => {
    const result = await runCli([
      ...verifyArgs('2019-01-01T00:00:00Z'),
      '--json',
    ]);

    const report = JSON.parse(result.stdout) as AuditReport;
    const cluster = report.clusters[0];
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(report.schemaVersion).toBe(1);
    expect(report.checkedAt).toBe('2019-01-01T00:00:00Z');
    expect(cluster?.verdict).toBe('trusted');
    expect(cluster?.severity).toBe('ok');
    expect(cluster?.name).toBeNull();
    expect(cluster?.endpoint).toBeNull();
    expect(cluster?.tls).toBeNull();
    expect(cluster?.reasons.map((r) => [r.code, r.level])).toEqual([
      ['CA_MISSING_KEY_IDENTIFIERS', 'info'],
    ]);
    expect(cluster?.serverCertificate?.daysToExpiry).toBeCloseTo(163.914178, 6);
    expect(cluster?.serverCertificate?.fingerprintSha256).toBe(
      '95:E5:A2:94:07:E2:B5:81:D0:DD:AB:28:04:3B:07:DB:72:8E:67:51:8E:0B:C4:DB:98:35:8F:2A:A8:7B:41:C4',
    );
    expect(cluster?.certificateAuthorities).toHaveLength(1);
    expect(cluster?.certificateAuthorities[0]).toMatchObject({
      subject: 'CN=kubernetes',
      signing: true,
      anchorsPath: true,
      rotation: null,
      notAfter: '2028-06-10T21:56:25Z',
    });
    expect(cluster?.certificateAuthorities[0]?.daysToExpiry).toBeCloseTo(
      3448.914178,
      6,
    );
  });

  it('finds the serving certificate expired on 2025-01-01', async () => {
    const result = await runCli([
      ...verifyArgs('2025-01-01T00:00:00Z'),
      '--json',
    ]);

    const cluster = (JSON.parse(result.stdout) as AuditReport).clusters[0];
    expect(result.code).toBe(2);
    expect(cluster?.verdict).toBe('untrusted');
    expect(cluster?.severity).toBe('critical');
    expect(cluster?.reasons.map((r) => r.code).sort()).toEqual([
      'CA_MISSING_KEY_IDENTIFIERS',
      'CERT_EXPIRED',
    ]);
    expect(cluster?.serverCertificate?.daysToExpiry).toBeCloseTo(-2028.086, 3);
    expect(cluster?.certificateAuthorities[0]?.daysToExpiry).toBeCloseTo(
      1256.914,
      3,
    );
    expect(cluster?.certificateAuthorities[0]?.notAfter).toBe(
      '2028-06-10T21:56:25Z',
    );
  });

  it('reports HOSTNAME_MISMATCH for another host', async () => {
    const result = await runCli([
      ...verifyArgs(
        '2019-01-01T00:00:00Z',
        'other.yl4.us-west-2.eks.amazonaws.com',
      ),
      '--json',
    ]);

    const cluster = (JSON.parse(result.stdout) as AuditReport).clusters[0];
    expect(result.code).toBe(2);
    expect(cluster?.verdict).toBe('untrusted');
    expect(cluster?.reasons.map((r) => r.code)).toContain('HOSTNAME_MISMATCH');
  });

  it('accepts the CA as --ca-data and as PEM text, and a time with an offset', async () => {
    const caData = readFileSync(CA_FILE, 'utf8').trim();
    const folder = mkdtempSync(join(tmpdir(), 'verify-'));
    const pemFile = join(folder, 'ca.pem');
    writeFileSync(pemFile, Buffer.from(caData, 'base64'));

    const fromData = await runCli([
      'verify',
      '--ca-data',
      caData,
      '--cert',
      CERT_FILE,
      '--host',
      HOST,
      '--at',
      '2019-01-01T02:00:00+02:00',
    ]);
    const fromPem = await runCli([
      'verify',
      '--ca',
      pemFile,
      '--cert',
      CERT_FILE,
      '--at',
      '2019-01-01T00:00:00Z',
      '--json',
    ]);

    expect(fromData.code).toBe(0);
    expect(fromData.stdout).toContain('TRUSTED (ok)');
    expect(fromData.stdout).toContain('CN=kube-apiserver');
    expect(fromPem.code).toBe(0);
    const cluster = (JSON.parse(fromPem.stdout) as AuditReport).clusters[0];
    expect(cluster?.reasons.map((r) => r.code).sort()).toEqual([
      'CA_MISSING_KEY_IDENTIFIERS',
      'HOST_NOT_CHECKED',
    ]);
  });

  it('prints a readable report by default', async () => {
    const result = await runCli(verifyArgs('2025-01-01T00:00:00Z'));

    expect(result.code).toBe(2);
    expect(result.stdout).toContain('UNTRUSTED (critical)');
    expect(result.stdout).toContain('CERT_EXPIRED');
    expect(result.stdout).toContain('2019-06-13T21:56:25Z');
  });
});

describe('eks-cert-audit usage errors', () => {
  it.each([
    [[], 'name a command'],
    [['launch'], 'unknown command "launch"'],
    [['verify', '--ca', CA_FILE], 'verify needs --cert FILE'],
    [
      ['verify', '--cert', CERT_FILE],
      'exactly one of --ca-data BASE64 or --ca FILE',
    ],
    [
      ['verify', '--ca', CA_FILE, '--ca-data', 'x', '--cert', CERT_FILE],
      'exactly one of --ca-data BASE64 or --ca FILE',
    ],
    [
      [
        'verify',
        '--ca',
        CA_FILE,
        '--cert',
        CERT_FILE,
        '--at',
        '2019-01-01T00:00:00',
      ],
      '--at must be an ISO-8601 time with Z or an offset',
    ],
    [
      ['verify', '--ca', CA_FILE, '--cert', CERT_FILE, '--at', 'yesterday'],
      '--at must be an ISO-8601 time',
    ],
    [
      ['verify', '--ca', '/nonexistent/ca', '--cert', CERT_FILE],
      'cannot read CA file /nonexistent/ca',
    ],
    [
      ['verify', '--ca', CA_FILE, '--cert', '/nonexistent/pem'],
      'cannot read certificate file',
    ],
    [
      [
        'verify',
        '--ca',
        CA_FILE,
        '--cert',
        CA_FILE.replace('.b64', '.missing'),
      ],
      'cannot read certificate file',
    ],
    [['verify', '--bogus'], "Unknown option '--bogus'"],
    [['verify', '--regions', 'us-east-1'], 'verify does not take --regions'],
    [['probe'], 'probe takes exactly one URL'],
    [['probe', 'http://example.com', '--ca-data', 'x'], 'https'],
    [['check', 'prod'], 'check needs --region REGION'],
    [['audit', 'extra'], 'audit takes no arguments'],
    [
      ['audit', '--kubeconfig', '/nonexistent/kubeconfig'],
      'cannot read kubeconfig',
    ],
    [
      ['audit', '--kubeconfig', 'x', '--publish'],
      'without AWS: it does not take --publish',
    ],
    [
      ['audit', '--kubeconfig', 'x', '--namespace', 'N'],
      'it does not take --namespace',
    ],
    [['audit', '--topic-arn', 'arn'], '--topic-arn only matter with --publish'],
    [['demo', '--json', '--email-preview'], 'give one of them'],
    [
      [
        'verify',
        '--ca',
        CA_FILE,
        '--cert',
        CERT_FILE,
        '--host',
        HOST,
        '--host',
        'evil.example',
      ],
      '--host may be given once',
    ],
    [['verify', '--ca-data', '', '--cert', CERT_FILE], '--ca-data is empty'],
    [
      ['verify', '--ca', '/dev/null', '--cert', CERT_FILE],
      'it is not a regular file',
    ],
    [
      ['verify', '--ca', '/dev/zero', '--cert', CERT_FILE],
      'it is not a regular file',
    ],
    [['audit', '--kubeconfig', '/dev/zero'], 'it is not a regular file'],
    [
      [
        'verify',
        '--ca',
        CA_FILE,
        '--cert',
        CERT_FILE,
        '--host',
        `https://${HOST}`,
      ],
      '--host takes a host name or IP address',
    ],
    [
      ['verify', '--ca', CA_FILE, '--cert', CERT_FILE, '--host', `${HOST}:443`],
      'not a URL or host:port',
    ],
    [
      [
        'verify',
        '--ca',
        CA_FILE,
        '--cert',
        CERT_FILE,
        '--at',
        '2019-02-30T00:00:00Z',
      ],
      '--at must be an ISO-8601 time',
    ],
    [
      [
        'verify',
        '--ca',
        CA_FILE,
        '--cert',
        CERT_FILE,
        '--at',
        '2019-01-01T24:00:00Z',
      ],
      '--at must be an ISO-8601 time',
    ],
  ])(
    '%j exits 3 with a message and nothing on stdout',
    async (argv, message) => {
      const result = await runCli(argv);

      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(message);
      expect(result.stderr.startsWith('eks-cert-audit: ')).toBe(true);
    },
  );

  it('rejects an empty CA file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'verify-'));
    const empty = join(folder, 'empty.pem');
    writeFileSync(empty, '  \n');

    const result = await runCli(['verify', '--ca', empty, '--cert', CERT_FILE]);

    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`CA file ${empty} is empty`);
  });

  it('rejects a certificate file without a certificate', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'verify-'));
    const junk = join(folder, 'junk.pem');
    writeFileSync(junk, 'hello, I am not a certificate\n');

    const result = await runCli(['verify', '--ca', CA_FILE, '--cert', junk]);

    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/certificate/i);
  });

  it('prints help and exits 0', async () => {
    const result = await runCli(['--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('eks-cert-audit verify');
    expect(result.stdout).toContain('Exit status: 0 ok, 1 warning, 2 critical');
  });
});

describe('eks-cert-audit verify at the edge of validity', () => {
  it('drops fractions of a second so the verdict matches the printed time', async () => {
    const result = await runCli([
      ...verifyArgs('2019-06-13T21:56:25.900Z'),
      '--json',
    ]);

    const report = JSON.parse(result.stdout) as AuditReport;
    const leaf = report.clusters[0]?.serverCertificate;
    expect(report.checkedAt).toBe('2019-06-13T21:56:25Z');
    expect(report.clusters[0]?.verdict).toBe('trusted');
    expect(leaf?.daysToExpiry).toBe(0);
  });

  it('is expired one second after notAfter', async () => {
    const result = await runCli([
      ...verifyArgs('2019-06-13T21:56:26Z'),
      '--json',
    ]);

    const cluster = (JSON.parse(result.stdout) as AuditReport).clusters[0];
    expect(cluster?.verdict).toBe('untrusted');
    expect(cluster?.reasons.map((r) => r.code)).toContain('CERT_EXPIRED');
    expect(cluster?.serverCertificate?.daysToExpiry).toBeCloseTo(-1 / 86400, 9);
  });
});
