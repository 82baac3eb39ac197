import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  KubeconfigInventory,
  parseKubeconfig,
} from '../../lambda/adapters/kubeconfig-inventory.js';

const ARN = 'arn:aws:eks:eu-west-1:111122223333:cluster/payments';

function writeKubeconfig(text: string, files: Record<string, string> = {}) {
  const folder = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(folder, name), content);
  }
  const path = join(folder, 'config');
  writeFileSync(path, text);
  return path;
}

describe('KubeconfigInventory', () => {
  it('reads data and file CAs, tls-server-name, missing CAs and insecure entries', async () => {
    const path = writeKubeconfig(
      `apiVersion: v1
kind: Config
clusters:
  - name: ${ARN}
    cluster:
      server: https://ABC.gr7.eu-west-1.eks.amazonaws.com
      certificate-authority-data: Q0EtREFUQQ==
  - name: from-file
    cluster:
      server: https://127.0.0.1:6443
      certificate-authority: ca.pem
      tls-server-name: api.internal.example
  - name: no-ca
    cluster:
      server: https://no-ca.example
  - name: insecure
    cluster:
      server: https://insecure.example
      insecure-skip-tls-verify: true
`,
      { 'ca.pem': 'PEM TEXT' },
    );

    const regions = [];
    for await (const region of new KubeconfigInventory(path).regions()) {
      regions.push(region);
    }

    expect(regions).toHaveLength(1);
    const region = regions[0];
    if (region?.status !== 'ok') throw new Error('expected an ok region');
    const [eks, fromFile, noCa, insecure] = region.clusters;
    expect(eks).toMatchObject({
      name: 'payments',
      region: 'eu-west-1',
      accountId: '111122223333',
      endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      caData: 'Q0EtREFUQQ==',
      serverName: null,
      preReasons: [],
    });
    expect(fromFile).toMatchObject({
      name: 'from-file',
      region: null,
      caData: 'PEM TEXT',
      serverName: 'api.internal.example',
    });
    expect(noCa).toMatchObject({ caData: null, preReasons: [] });
    expect(insecure?.preReasons.map((r) => [r.code, r.level])).toEqual([
      ['INSECURE_SKIP_TLS_VERIFY', 'warning'],
    ]);
  });

  it('turns an unreadable certificate-authority file into CA_DATA_INVALID', () => {
    const [target] = parseKubeconfig(
      `clusters:
  - name: lost
    cluster:
      server: https://lost.example
      certificate-authority: /nonexistent/ca.pem
`,
      '/tmp/config',
    );

    expect(target?.caData).toBeNull();
    expect(target?.preReasons.map((r) => r.code)).toEqual(['CA_DATA_INVALID']);
    expect(target?.preReasons[0]?.message).toContain('/nonexistent/ca.pem');
  });

  it('prefers certificate-authority-data over the file, as kubectl does', () => {
    const [target] = parseKubeconfig(
      `clusters:
  - name: both
    cluster:
      server: https://both.example
      certificate-authority-data: REFUQQ==
      certificate-authority: /nonexistent/ca.pem
`,
      '/tmp/config',
    );

    expect(target?.caData).toBe('REFUQQ==');
    expect(target?.preReasons).toEqual([]);
  });

  it('skips an entry without an https server', () => {
    const [plain, none] = parseKubeconfig(
      `clusters:
  - name: plain
    cluster:
      server: http://plain.example:8080
  - name: none
    cluster: {}
`,
      '/tmp/config',
    );

    expect(plain?.preReasons.map((r) => r.code)).toEqual(['NO_ENDPOINT']);
    expect(none?.preReasons.map((r) => r.code)).toEqual(['NO_ENDPOINT']);
  });

  it.each([
    ['not YAML', 'clusters: [', 'is not valid YAML'],
    ['a scalar', 'hello', 'must be a YAML mapping with a clusters list'],
    ['no clusters', 'users: []', 'must have a clusters list'],
    [
      'a nameless entry',
      'clusters:\n  - cluster: {}',
      'clusters[0] must have a non-empty name',
    ],
    [
      'an entry without cluster',
      'clusters:\n  - name: a',
      'clusters[0] (a) must have a cluster mapping',
    ],
    [
      'a numeric server',
      'clusters:\n  - name: a\n    cluster:\n      server: 5',
      'cluster.server must be a string',
    ],
    [
      'a string insecure flag',
      'clusters:\n  - name: a\n    cluster:\n      insecure-skip-tls-verify: "yes"',
      'must be true or false',
    ],
  ])('rejects %s with a clear message', (_kind, text, message) => {
    const act = () => parseKubeconfig(text, '/tmp/config');

    expect(act).toThrow(message);
    expect(act).toThrow(
      expect.objectContaining({ code: 'KUBECONFIG_INVALID' }),
    );
  });

  it('reports an unreadable kubeconfig as INPUT_UNREADABLE', () => {
    expect(() => new KubeconfigInventory('/nonexistent/kubeconfig')).toThrow(
      expect.objectContaining({ code: 'INPUT_UNREADABLE' }),
    );
  });
});
