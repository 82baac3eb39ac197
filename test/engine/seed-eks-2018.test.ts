import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateChain } from '../../lambda/engine/evaluate-chain.js';
import { severityOf } from '../../lambda/engine/severity.js';
import { DEFAULT_THRESHOLDS } from '../../lambda/engine/types.js';
import { parsePemCertificates } from '../../lambda/engine/x509/pem.js';

// A real EKS cluster's CA data and serving certificate, captured in 2018
// (see test/fixtures/seed-eks-2018/README.md for the facts checked with
// openssl).
const fixture = (name: string) =>
  readFileSync(
    new URL(`../fixtures/seed-eks-2018/${name}`, import.meta.url),
    'utf8',
  );
const CA_DATA = fixture('certificate-authority-data.b64');
const PRESENTED = parsePemCertificates(fixture('kube-apiserver.pem'));
const HOST = '715065595AECC5FB4F2F3811FBA82A45.yl4.us-west-2.eks.amazonaws.com';

function evaluateAt(iso: string, host: string | null = HOST) {
  return evaluateChain({
    presented: PRESENTED,
    caData: CA_DATA,
    host,
    now: new Date(iso),
    thresholds: DEFAULT_THRESHOLDS,
  });
}

describe('the 2018 EKS seed chain', () => {
  it('is trusted at 2019-01-01, with only the missing key identifiers noted', () => {
    const result = evaluateAt('2019-01-01T00:00:00Z');

    expect(result.verdict).toBe('trusted');
    expect(severityOf(result.verdict, result.reasons)).toBe('ok');
    expect(result.reasons.map((r) => [r.code, r.level, r.certificate])).toEqual(
      [['CA_MISSING_KEY_IDENTIFIERS', 'info', 'CN=kubernetes']],
    );
    expect(
      Math.abs((result.serverCertificate?.daysToExpiry ?? 0) - 163.914178),
    ).toBeLessThan(1e-6);
    expect(
      Math.abs(
        (result.certificateAuthorities[0]?.daysToExpiry ?? 0) - 3448.914178,
      ),
    ).toBeLessThan(1e-6);
  });

  it('is untrusted at 2025-01-01: the serving certificate expired', () => {
    const result = evaluateAt('2025-01-01T00:00:00Z');

    expect(result.verdict).toBe('untrusted');
    expect(severityOf(result.verdict, result.reasons)).toBe('critical');
    expect(result.reasons.map((r) => r.code)).toEqual([
      'CERT_EXPIRED',
      'CA_MISSING_KEY_IDENTIFIERS',
    ]);
    expect(result.reasons[0]?.message).toBe(
      'The serving certificate CN=kube-apiserver expired at 2019-06-13T21:56:25Z, 2028.1 days ago.',
    );
    expect(result.serverCertificate?.daysToExpiry).toBeCloseTo(-2028.086, 3);
    expect(result.certificateAuthorities[0]).toMatchObject({
      notAfter: '2028-06-10T21:56:25Z',
      signing: true,
      anchorsPath: true,
    });
    expect(result.certificateAuthorities[0]?.daysToExpiry).toBeCloseTo(
      1256.914,
      3,
    );
  });

  it('does not match another host', () => {
    const result = evaluateAt(
      '2019-01-01T00:00:00Z',
      'f00d.yl4.us-west-2.eks.amazonaws.com',
    );

    expect(result.verdict).toBe('untrusted');
    expect(result.reasons.map((r) => r.code)).toEqual([
      'HOSTNAME_MISMATCH',
      'CA_MISSING_KEY_IDENTIFIERS',
    ]);
  });

  it('reports the facts openssl shows', () => {
    const result = evaluateAt('2019-01-01T00:00:00Z');

    expect(result.serverCertificate).toEqual({
      subject: 'CN=kube-apiserver',
      issuer: 'CN=kubernetes',
      notBefore: '2018-06-13T21:56:25Z',
      notAfter: '2019-06-13T21:56:25Z',
      daysToExpiry: expect.any(Number),
      fingerprintSha256:
        '95:E5:A2:94:07:E2:B5:81:D0:DD:AB:28:04:3B:07:DB:72:8E:67:51:8E:0B:C4:DB:98:35:8F:2A:A8:7B:41:C4',
      subjectAltNames: [
        'DNS:ip-10-0-54-116.us-west-2.compute.internal',
        'DNS:kubernetes',
        'DNS:kubernetes.default',
        'DNS:kubernetes.default.svc',
        'DNS:kubernetes.default.svc.cluster.local',
        'DNS:715065595aecc5fb4f2f3811fba82a45.yl4.us-west-2.eks.amazonaws.com',
        'IP:10.100.0.1',
        'IP:192.168.139.208',
      ],
      keyType: 'RSA',
      keyBits: 2048,
      signatureAlgorithm: 'sha256WithRSAEncryption',
    });
    expect(result.certificateAuthorities).toEqual([
      {
        subject: 'CN=kubernetes',
        issuer: 'CN=kubernetes',
        notBefore: '2018-06-13T21:56:25Z',
        notAfter: '2028-06-10T21:56:25Z',
        daysToExpiry: expect.any(Number),
        fingerprintSha256:
          'A2:ED:8D:3A:24:50:B1:4A:BD:DF:7B:4D:D9:00:9D:42:A4:23:8A:BC:1D:D1:59:19:3A:D2:62:B1:DE:0B:BC:CA',
        subjectAltNames: [],
        keyType: 'RSA',
        keyBits: 2048,
        signatureAlgorithm: 'sha256WithRSAEncryption',
        signing: true,
        anchorsPath: true,
        rotation: null,
      },
    ]);
    expect(result.intermediates).toEqual([]);
  });

  it('judges the CA alone when there was no handshake', () => {
    const result = evaluateChain({
      presented: null,
      caData: CA_DATA,
      host: null,
      now: new Date('2028-03-01T00:00:00Z'),
      thresholds: DEFAULT_THRESHOLDS,
    });

    expect(result.verdict).toBe('skipped');
    expect(result.reasons.map((r) => `${r.code}:${r.level}`)).toEqual([
      'CA_EXPIRES_SOON:warning',
      'CA_MISSING_KEY_IDENTIFIERS:info',
    ]);
    expect(result.serverCertificate).toBeNull();
  });
});
