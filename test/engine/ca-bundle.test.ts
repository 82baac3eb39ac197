import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Issued,
  toCaData,
} from '../../lambda/demo/certificate-factory.js';
import { parseCaData } from '../../lambda/engine/ca-bundle.js';
import { AuditError } from '../../lambda/engine/errors.js';
import { parsePemCertificates } from '../../lambda/engine/x509/pem.js';
import { issueCa, issueLeaf } from './chain-kit.js';

const SEED_CA_DATA = readFileSync(
  new URL(
    '../fixtures/seed-eks-2018/certificate-authority-data.b64',
    import.meta.url,
  ),
  'utf8',
);
const SEED_FINGERPRINT =
  'A2:ED:8D:3A:24:50:B1:4A:BD:DF:7B:4D:D9:00:9D:42:A4:23:8A:BC:1D:D1:59:19:3A:D2:62:B1:DE:0B:BC:CA';

let first: Issued;
let second: Issued;
let leaf: Issued;

beforeAll(async () => {
  first = await issueCa();
  second = await issueCa({ subject: 'CN=kubernetes-next' });
  leaf = await issueLeaf(first);
});

function subjects(text: string): string[] {
  const result = parseCaData(text);
  if (!result.ok) throw new Error(result.reason.message);
  return result.cas.map((ca) => ca.subject.text);
}

describe('parseCaData', () => {
  it('reads DescribeCluster CA data (base64 of PEM)', () => {
    const result = parseCaData(SEED_CA_DATA);

    expect(result.ok && result.cas.map((ca) => ca.fingerprintSha256)).toEqual([
      SEED_FINGERPRINT,
    ]);
  });

  it.each([
    ['PEM text', () => first.pem],
    ['CRLF line ends', () => first.pem.replace(/\n/g, '\r\n')],
    [
      'blank lines and indentation',
      () => `\n\n   ${first.pem.replace(/\n/g, '\n\n  ')}\n`,
    ],
    [
      'text around the block',
      () => `# cluster CA\nsubject: x\n${first.pem}\ntrailer\n`,
    ],
    [
      'base64 wrapped over lines',
      () => toCaData(first).replace(/(.{64})/g, '$1\n'),
    ],
    ['base64 with spaces', () => ` ${toCaData(first).split('').join(' ')} `],
  ])('tolerates %s', (_kind, text) => {
    expect(subjects(text())).toEqual(['CN=kubernetes']);
  });

  it('keeps two CAs in bundle order', () => {
    expect(subjects(toCaData(first, second))).toEqual([
      'CN=kubernetes',
      'CN=kubernetes-next',
    ]);
  });

  it('reads blocks glued together by concatenated files', () => {
    const glued = `${first.pem.trimEnd()}${second.pem.trimEnd()}`;

    expect(subjects(glued)).toEqual(['CN=kubernetes', 'CN=kubernetes-next']);
  });

  it('lists a CA given twice once', () => {
    expect(subjects(toCaData(first, first))).toEqual(['CN=kubernetes']);
  });

  it.each([
    ['empty text', () => '  \n', 'CA data is empty: it holds no certificate.'],
    [
      'a character outside base64',
      () => 'TUlJQ!==',
      'CA data is neither PEM nor base64: unexpected character "!" at position 6.',
    ],
    [
      'truncated base64',
      () => toCaData(first).slice(0, -3),
      'CA data is not valid base64: its length or padding is wrong (truncated?).',
    ],
    [
      'base64 of something else',
      () => Buffer.from('not a certificate').toString('base64'),
      'CA data decodes from base64 but holds no PEM block.',
    ],
    [
      'base64 of DER',
      () => first.der.toString('base64'),
      'CA data is base64 of DER; it must be base64 of PEM, as DescribeCluster returns it.',
    ],
    [
      'a block without its END line',
      () => first.pem.replace('-----END CERTIFICATE-----', ''),
      'CA data is not valid PEM: PEM block 1 (line 1) has no END line.',
    ],
    [
      'mismatched labels',
      () => first.pem.replace('END CERTIFICATE', 'END PUBLIC KEY'),
      'CA data is not valid PEM: PEM block 1 begins as CERTIFICATE but ends as PUBLIC KEY.',
    ],
    [
      'broken base64 inside a block',
      () => first.pem.replace(/\n(.)/, '\n*$1'),
      'CA data is not valid PEM: PEM block 1 (line 1) is not valid base64.',
    ],
    [
      'a block that is not DER',
      () =>
        `${second.pem}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`,
      'CA data block 2 is not a valid DER certificate: it does not decode as a Certificate (Data does not match to Certificate ASN1 schema).',
    ],
    [
      'a private key block',
      () => `${first.pem}${leaf.keyPem}`,
      'CA data block 2 is a PRIVATE KEY, not a CERTIFICATE.',
    ],
    [
      'a serving certificate',
      () => toCaData(first, leaf),
      'CA data block 2 (CN=kube-apiserver) is not a CA: basic constraints missing.',
    ],
  ])('refuses %s with CA_DATA_INVALID', (_kind, text, message) => {
    const result = parseCaData(text());

    expect(result).toMatchObject({
      ok: false,
      reason: { code: 'CA_DATA_INVALID', level: 'critical', message },
    });
  });

  it('refuses a CA:FALSE block', async () => {
    const notCa = await issueCa({
      subject: 'CN=not-a-ca',
      ca: false,
      keyUsage: 1,
    });

    const result = parseCaData(notCa.pem);

    expect(!result.ok && result.reason.message).toBe(
      'CA data block 1 (CN=not-a-ca) is not a CA: basic constraints say CA:FALSE.',
    );
  });
});

describe('parsePemCertificates', () => {
  it('returns the DER of every block, leaf first', () => {
    const ders = parsePemCertificates(`${leaf.pem}\r\n${first.pem}`);

    expect(
      ders.map((der) => der.equals(leaf.der) || der.equals(first.der)),
    ).toEqual([true, true]);
    expect(ders[0]?.equals(leaf.der)).toBe(true);
  });

  it.each([
    [
      'no block',
      () => 'hello',
      'no PEM certificate found: expected -----BEGIN CERTIFICATE----- blocks',
    ],
    [
      'a key block',
      () => `${leaf.pem}${leaf.keyPem}`,
      'PEM block 2 is a PRIVATE KEY, expected a CERTIFICATE',
    ],
    [
      'a block that is not DER',
      () => '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----',
      'PEM block 1 is not a DER certificate: it does not decode as a Certificate (Data does not match to Certificate ASN1 schema. Inconsistent object length)',
    ],
    [
      'a cut-off block',
      () => leaf.pem.slice(0, 200),
      'PEM block 1 (line 1) has no END line',
    ],
  ])('throws INPUT_UNREADABLE for %s', (_kind, text, message) => {
    expect(() => parsePemCertificates(text())).toThrow(
      expect.objectContaining({ code: 'INPUT_UNREADABLE', message }),
    );
    expect(() => parsePemCertificates(text())).toThrow(AuditError);
  });
});
