import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { issueCertificate } from '../../lambda/demo/certificate-factory.js';
import { evaluateChain } from '../../lambda/engine/evaluate-chain.js';
import { DEFAULT_THRESHOLDS } from '../../lambda/engine/types.js';
import { certificateFacts } from '../../lambda/engine/x509/certificate-facts.js';
import {
  type ParsedCertificate,
  parseCertificate,
} from '../../lambda/engine/x509/parse-certificate.js';
import { parsePemCertificates } from '../../lambda/engine/x509/pem.js';
import { validityAt } from '../../lambda/engine/x509/validity.js';
import { day, issueCa, NOW } from './chain-kit.js';

const SEED_CA_DATA = readFileSync(
  new URL(
    '../fixtures/seed-eks-2018/certificate-authority-data.b64',
    import.meta.url,
  ),
  'utf8',
);
const SEED_LEAF = parsePemCertificates(
  readFileSync(
    new URL('../fixtures/seed-eks-2018/kube-apiserver.pem', import.meta.url),
    'utf8',
  ),
)[0] as Buffer;

function parsed(der: Uint8Array): ParsedCertificate {
  const result = parseCertificate(der);
  if (!result.ok) throw new Error(result.error);
  return result.certificate;
}

describe('certificateFacts', () => {
  it('writes names in RFC 4514 order, as openssl -nameopt RFC2253 does', async () => {
    const issued = await issueCertificate({
      subject:
        'C=US, O=Example\\, Inc., OU=Platform+CN=kube apiserver, CN=\\#x',
      notBefore: day(-1),
      notAfter: day(1),
      key: { kind: 'EC', curve: 'P-256' },
    });

    const facts = certificateFacts(parsed(issued.der), NOW);

    // openssl x509 -noout -subject -nameopt RFC2253 prints the same.
    expect(facts.subject).toBe(
      'CN=\\#x,CN=kube apiserver+OU=Platform,O=Example\\, Inc.,C=US',
    );
  });

  it.each([
    ['SHA-1', { kind: 'EC', curve: 'P-256' }, 'ecdsa-with-SHA1', 'EC', 256],
    ['SHA-512', { kind: 'EC', curve: 'P-521' }, 'ecdsa-with-SHA512', 'EC', 521],
    [
      'SHA-256',
      { kind: 'RSA', bits: 1024 },
      'sha256WithRSAEncryption',
      'RSA',
      1024,
    ],
  ] as const)(
    'names a %s signature by %j as OpenSSL does',
    async (hash, key, name, keyType, keyBits) => {
      const issued = await issueCertificate({
        subject: 'CN=x',
        notBefore: day(-1),
        notAfter: day(1),
        key,
        hash,
      });

      const facts = certificateFacts(parsed(issued.der), NOW);

      expect([facts.signatureAlgorithm, facts.keyType, facts.keyBits]).toEqual([
        name,
        keyType,
        keyBits,
      ]);
    },
  );

  it('writes IP SANs in their canonical text form', async () => {
    const issued = await issueCertificate({
      subject: 'CN=x',
      notBefore: day(-1),
      notAfter: day(1),
      key: { kind: 'EC', curve: 'P-256' },
      subjectAltNames: ['IP:2001:DB8:0:0:0:0:0:1', 'IP:10.0.0.1', 'DNS:a.b'],
    });

    expect(certificateFacts(parsed(issued.der), NOW).subjectAltNames).toEqual([
      'IP:2001:db8::1',
      'IP:10.0.0.1',
      'DNS:a.b',
    ]);
  });

  it('gives unrounded days, negative once expired', async () => {
    const ca = parsed((await issueCa({ notAfter: day(-1.5) })).der);

    expect(certificateFacts(ca, NOW).daysToExpiry).toBe(-1.5);
  });
});

describe('validityAt', () => {
  const period = {
    notBefore: new Date('2024-03-01T00:00:00Z'),
    notAfter: new Date('2024-04-01T00:00:00Z'),
  };

  it.each([
    ['2024-02-29T23:59:59.999Z', 'not-yet-valid'],
    ['2024-03-01T00:00:00.000Z', 'valid'],
    ['2024-03-15T12:00:00.000Z', 'valid'],
    ['2024-04-01T00:00:00.000Z', 'valid'],
    ['2024-04-01T00:00:00.999Z', 'valid'],
    ['2024-04-01T00:00:01.000Z', 'expired'],
  ])('at %s is %s (both ends inclusive, to the second)', (at, state) => {
    expect(validityAt(period, new Date(at))).toBe(state);
  });
});

describe('parseCertificate', () => {
  it('decodes the seed serving certificate', () => {
    const cert = parsed(SEED_LEAF);

    expect([cert.version, cert.subject.text, cert.problems]).toEqual([
      3,
      'CN=kube-apiserver',
      [],
    ]);
  });

  it.each([
    ['nothing', ''],
    ['a bare integer', '020100'],
    ['an indefinite length', '3080020100000000'],
    ['a length past the end', '30820fff0201'],
    ['a non-minimal length', '3081030201000000'],
  ])('refuses %s', (_kind, hex) => {
    expect(parseCertificate(Buffer.from(hex, 'hex')).ok).toBe(false);
  });

  it('refuses trailing data after the certificate', () => {
    const result = parseCertificate(Buffer.concat([SEED_LEAF, Buffer.of(0)]));

    expect(result).toEqual({
      ok: false,
      error: 'trailing data after the element',
    });
  });

  it('never throws on, nor trusts, a truncated or corrupted certificate', () => {
    const inputs: Buffer[] = [];
    for (let length = 0; length < SEED_LEAF.length; length += 1) {
      inputs.push(SEED_LEAF.subarray(0, length));
    }
    for (let index = 0; index < SEED_LEAF.length; index += 1) {
      for (const mask of [0x01, 0xff]) {
        const copy = Buffer.from(SEED_LEAF);
        copy[index] = (copy[index] as number) ^ mask;
        inputs.push(copy);
      }
    }

    const verdicts = new Set<string>();
    for (const input of inputs) {
      expect(() => parseCertificate(input)).not.toThrow();
      const result = evaluateChain({
        presented: [input],
        caData: SEED_CA_DATA,
        host: 'kubernetes',
        now: new Date('2019-01-01T00:00:00Z'),
        thresholds: DEFAULT_THRESHOLDS,
      });
      verdicts.add(result.verdict);
    }

    expect([...verdicts]).toEqual(['untrusted']);
  });
});
