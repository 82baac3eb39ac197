import { describe, expect, it } from 'vitest';
import { buildReport } from '../../lambda/engine/report.js';
import type { ClusterReport } from '../../lambda/engine/types.js';
import {
  printable,
  renderTextReport,
} from '../../lambda/output/text-report.js';

const HOSTILE =
  'x\n\ncertificate chain: TRUSTED (ok)\n  \u001b[32mall good\u001b[0m\u001b]0;pwned\u0007\u202e';

function cluster(overrides: Partial<ClusterReport>): ClusterReport {
  return {
    name: 'prod',
    region: 'us-west-2',
    accountId: '111122223333',
    endpoint: 'https://example.invalid',
    verdict: 'untrusted',
    severity: 'critical',
    reasons: [],
    tls: null,
    serverCertificate: null,
    intermediates: [],
    certificateAuthorities: [],
    ...overrides,
  };
}

describe('renderTextReport', () => {
  it('escapes control characters a hostile certificate puts in names and messages', () => {
    const report = buildReport({
      checkedAt: new Date('2026-01-01T00:00:00Z'),
      partial: false,
      regions: [],
      clusters: [
        cluster({
          reasons: [
            {
              code: 'HOSTNAME_MISMATCH',
              level: 'critical',
              message: `its subject alternative names are DNS:${HOSTILE}`,
              certificate: 'CN=kube-apiserver',
            },
          ],
        }),
      ],
    });

    const text = renderTextReport(report);

    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for them.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    expect(
      text
        .split('\n')
        .some((line) => line.startsWith('certificate chain: TRUSTED')),
    ).toBe(false);
    expect(text).toContain('DNS:x\\x0a\\x0acertificate chain: TRUSTED (ok)');
    expect(text).toContain('\\x1b[32mall good');
    expect(text).toContain('\\u202e');
  });

  it('says how long ago an expired certificate ended', () => {
    const report = buildReport({
      checkedAt: new Date('2026-01-01T00:00:00Z'),
      partial: false,
      regions: [],
      clusters: [
        cluster({
          serverCertificate: {
            subject: 'CN=kube-apiserver',
            issuer: 'CN=kubernetes',
            notBefore: '2024-12-01T00:00:00Z',
            notAfter: '2025-12-01T00:00:00Z',
            daysToExpiry: -31,
            fingerprintSha256: 'AA:BB',
            subjectAltNames: [],
            keyType: 'EC',
            keyBits: 256,
            signatureAlgorithm: 'ecdsa-with-SHA256',
          },
        }),
      ],
    });

    expect(renderTextReport(report)).toContain('(expired 31.0 days ago)');
  });
});

describe('printable', () => {
  it.each([
    ['plain text', 'plain text'],
    ['tab\there', 'tab\\x09here'],
    ['del\u007f', 'del\\x7f'],
    ['c1\u009b', 'c1\\x9b'],
    ['sep\u2028', 'sep\\u2028'],
    ['ünïcödé stays', 'ünïcödé stays'],
  ])('renders %j as %j', (input, output) => {
    expect(printable(input)).toBe(output);
  });
});
