import { KeyObject, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, type TBSCertificate, Time } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import {
  type Issued,
  issueCertificate,
  toCaData,
} from '../../lambda/demo/certificate-factory.js';
import { evaluateChain } from '../../lambda/engine/evaluate-chain.js';
import { DEFAULT_THRESHOLDS } from '../../lambda/engine/types.js';
import { certificateFacts } from '../../lambda/engine/x509/certificate-facts.js';
import {
  type ParsedCertificate,
  parseCertificate,
} from '../../lambda/engine/x509/parse-certificate.js';
import { parsePemCertificates } from '../../lambda/engine/x509/pem.js';
import { validityAt } from '../../lambda/engine/x509/validity.js';
import { chainInput, day, issueCa, issueLeaf, NOW } from './chain-kit.js';

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
/** The seed certificate's content, after its `30 82 03 c0` header. */
const SEED_BODY = SEED_LEAF.subarray(4);
/** The end-of-contents octets that close an indefinite length. */
const EOC = Buffer.of(0, 0);
/** A critical key usage extension's OID and `critical TRUE`. */
const KEY_USAGE_CRITICAL_BYTES = Buffer.from('0603551d0f0101ff', 'hex');
/** Where the seed certificate's key usage says `TRUE` (its `ff`). */
const KEY_USAGE_CRITICAL = SEED_LEAF.indexOf(KEY_USAGE_CRITICAL_BYTES) + 7;

function parsed(der: Uint8Array): ParsedCertificate {
  const result = parseCertificate(der);
  if (!result.ok) throw new Error(result.error);
  return result.certificate;
}

function hex(text: string): Buffer {
  return Buffer.from(text, 'hex');
}

function patched(der: Buffer, index: number, value: number): Buffer {
  const copy = Buffer.from(der);
  copy[index] = value;
  return copy;
}

/** The certificate with its signed part changed (its signature no longer fits). */
function withTbs(der: Buffer, change: (tbs: TBSCertificate) => void): Buffer {
  const certificate = AsnConvert.parse(der, Certificate);
  change(certificate.tbsCertificate);
  return Buffer.from(AsnConvert.serialize(certificate));
}

/**
 * `leaf` signed again by `issuer` (EC P-256, SHA-256) after `change` edits
 * the bytes of its signed part: a correctly signed certificate in any
 * encoding. The outer SEQUENCE is written here because the library would
 * re-encode the signed part.
 */
function signedBy(
  issuer: Issued,
  leaf: Issued,
  change: (tbs: Buffer) => void,
): Buffer {
  const certificate = AsnConvert.parse(leaf.der, Certificate);
  const tbs = Buffer.from(certificate.tbsCertificateRaw as ArrayBuffer);
  change(tbs);
  const signature = sign('sha256', tbs, {
    key: KeyObject.from(issuer.keys.privateKey),
    dsaEncoding: 'der',
  });
  const bitString = Buffer.concat([
    Buffer.of(0x03, signature.length + 1, 0),
    signature,
  ]);
  const body = Buffer.concat([
    tbs,
    Buffer.from(AsnConvert.serialize(certificate.signatureAlgorithm)),
    bitString,
  ]);
  return Buffer.concat([
    Buffer.of(0x30, 0x82, body.length >> 8, body.length & 0xff),
    body,
  ]);
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
      subjectAltNames: [
        'IP:2001:DB8:0:0:0:0:0:1',
        'IP:2001:db8:0:0:1:0:0:1',
        'IP:2001:db8:0:1:1:1:1:1',
        'IP:0:0:0:0:0:0:0:0',
        'IP:1:0:0:0:0:0:0:0',
        'IP:10.0.0.1',
        'DNS:a.b',
      ],
    });

    // RFC 5952: lower case, no leading zeros, the first longest zero run.
    expect(certificateFacts(parsed(issued.der), NOW).subjectAltNames).toEqual([
      'IP:2001:db8::1',
      'IP:2001:db8::1:0:0:1',
      'IP:2001:db8:0:1:1:1:1:1',
      'IP:::',
      'IP:1::',
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
    ['nothing', () => Buffer.alloc(0), /does not decode as a Certificate/],
    [
      'a bare integer',
      () => Buffer.from('020100', 'hex'),
      /does not decode as a Certificate/,
    ],
    [
      'a long-form length where the short form fits',
      () => Buffer.concat([Buffer.from('30830003c0', 'hex'), SEED_BODY]),
      /^it is not DER: its canonical encoding differs from byte 1 on$/,
    ],
    [
      'an indefinite length',
      () => Buffer.concat([Buffer.from('3080', 'hex'), SEED_BODY, EOC]),
      /^it is not DER: its canonical encoding differs from byte 1 on$/,
    ],
    [
      'a TRUE encoded as 01 instead of FF',
      () => patched(SEED_LEAF, KEY_USAGE_CRITICAL, 0x01),
      /^it is not DER: its canonical encoding differs from byte 431 on$/,
    ],
    [
      'an explicit DEFAULT (critical FALSE)',
      () => patched(SEED_LEAF, KEY_USAGE_CRITICAL, 0x00),
      /^it is not DER: its canonical encoding differs from byte 3 on$/,
    ],
    ['version 4', () => patched(SEED_LEAF, 12, 0x03), /^unknown version 4$/],
    [
      'a trailing byte',
      () => Buffer.concat([SEED_LEAF, Buffer.of(0)]),
      /^trailing data follows it \(1 byte\)$/,
    ],
    [
      'fractions of a second in a validity time',
      () =>
        withTbs(SEED_LEAF, (tbs) => {
          tbs.validity.notAfter = new Time({
            generalTime: new Date('2050-01-01T00:00:00.500Z'),
          });
        }),
      /validity time 2050-01-01T00:00:00.500Z has fractions of a second/,
    ],
    [
      'more than 64 KiB',
      () => Buffer.alloc(65 * 1024, 0x30),
      /^it is 66560 bytes long, more than the 65536 accepted$/,
    ],
  ])('refuses %s', (_kind, input, error) => {
    const result = parseCertificate(input());

    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toMatch(error);
  });

  it('refuses a correctly signed serving certificate that is BER, not DER', async () => {
    const ca = await issueCa();
    const leaf = await issueLeaf(ca);
    const resign = (value?: number) =>
      signedBy(ca, leaf, (tbs) => {
        if (value !== undefined) {
          tbs[tbs.indexOf(KEY_USAGE_CRITICAL_BYTES) + 7] = value;
        }
      });

    const input = chainInput(null, toCaData(ca));
    const control = evaluateChain({ ...input, presented: [resign()] });
    const result = evaluateChain({ ...input, presented: [resign(0x01)] });

    expect(control.verdict).toBe('trusted');
    expect(result.verdict).toBe('untrusted');
    expect(result.reasons.map((r) => r.message)).toEqual([
      expect.stringMatching(/cannot be decoded: it is not DER/),
    ]);
  });

  it.each([
    [
      'a negative path length',
      new x509.Extension('2.5.29.19', true, hex('30060101ff0201ff')),
      'its basic constraints (2.5.29.19) extension cannot be decoded (path length -1 is not a small integer)',
    ],
    [
      'an IP address of five octets',
      new x509.Extension('2.5.29.17', false, hex('30078705c000020101')),
      'its subject alternative name (2.5.29.17) extension cannot be decoded (its SubjectAlternativeName cannot be encoded again (Invalid IPv6 address))',
    ],
    [
      'an empty authority information access',
      new x509.Extension('1.3.6.1.5.5.7.1.1', false, hex('3000')),
      'its authority information access (1.3.6.1.5.5.7.1.1) extension cannot be decoded (it holds no access description)',
    ],
  ])('finds %s malformed', async (_kind, extension, problem) => {
    const issued = await issueCertificate({
      subject: 'CN=x',
      notBefore: day(-1),
      notAfter: day(1),
      key: { kind: 'EC', curve: 'P-256' },
      keyIdentifiers: false,
      extraExtensions: [extension],
    });

    expect(parsed(issued.der).problems).toEqual([problem]);
  });

  it('holds the RSA key inside the public key to DER too', () => {
    const der = withTbs(SEED_LEAF, (tbs) => {
      const key = tbs.subjectPublicKeyInfo;
      key.subjectPublicKey = new Uint8Array([
        ...new Uint8Array(key.subjectPublicKey),
        0,
      ]).buffer;
    });

    expect(parsed(der).problems).toEqual([
      'its public key cannot be decoded (trailing data follows it (1 byte))',
    ]);
  });

  it('bounds the work on a subject alternative name of 5,000 entries', async () => {
    const names = Array.from({ length: 5000 }, (_, i) => `DNS:h${i}`);
    const issued = await issueCertificate({
      subject: 'CN=x',
      notBefore: day(-1),
      notAfter: day(1),
      key: { kind: 'EC', curve: 'P-256' },
      subjectAltNames: names,
    });

    const started = performance.now();
    const cert = parsed(issued.der);
    const elapsed = performance.now() - started;

    expect(cert.problems).toEqual([
      expect.stringMatching(
        /^its subject alternative name \(2\.5\.29\.17\) extension cannot be decoded/,
      ),
    ]);
    expect(elapsed).toBeLessThan(1000);
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
