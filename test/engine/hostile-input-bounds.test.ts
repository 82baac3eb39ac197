import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildClusterChain,
  CA_KEY_USAGE,
  issueCertificate,
  toCaData,
} from '../../lambda/demo/certificate-factory.js';
import {
  MAX_CA_CERTIFICATES,
  parseCaData,
} from '../../lambda/engine/ca-bundle.js';
import { evaluateChain } from '../../lambda/engine/evaluate-chain.js';
import { DEFAULT_THRESHOLDS } from '../../lambda/engine/types.js';
import {
  MAX_PRESENTED_CERTIFICATES,
  parsePemCertificates,
  readPemBlocks,
} from '../../lambda/engine/x509/pem.js';

const NOW = new Date('2026-05-01T00:00:00Z');
const HOST = 'D00D0123456789ABCDEF0123456789AB.gr7.us-west-2.eks.amazonaws.com';

describe('bounds against hostile input', () => {
  it('refuses a CA bundle with more certificates than a bundle may hold', async () => {
    const { ca } = await buildClusterChain({ now: NOW, host: HOST });
    const pem = `${ca.pem.trimEnd()}\n`.repeat(MAX_CA_CERTIFICATES + 1);

    const result = parseCaData(pem);

    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason.code).toBe('CA_DATA_INVALID');
      expect(result.reason.message).toContain('more than the 64');
    }
  });

  it('reads thousands of PEM blocks in one pass, counting lines right', async () => {
    const { ca } = await buildClusterChain({ now: NOW, host: HOST });
    const block = `${ca.pem.trimEnd()}\r\n`;
    const text = `${block.repeat(5000)}-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n`;
    const lines = block.split('\n').length - 1;

    const started = process.hrtime.bigint();
    const result = readPemBlocks(text);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    console.info(`read 5,001 PEM blocks in ${seconds.toFixed(3)} s`);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toBe(
        `PEM block 5001 (line ${5000 * lines + 1}) is not valid base64`,
      );
    }
  });

  it('refuses a chain file longer than a presented chain', async () => {
    const { leaf } = await buildClusterChain({ now: NOW, host: HOST });

    expect(() =>
      parsePemCertificates(leaf.pem.repeat(MAX_PRESENTED_CERTIFICATES + 1)),
    ).toThrow('more than the 32 of a presented chain');
  });

  it('does not spend time on an RSA key with a huge public exponent', async () => {
    // WebCrypto takes exponents below 2^31 only; node:crypto goes higher.
    const pair = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicExponent: 2 ** 31 + 11,
    });
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const keys = {
      privateKey: await webcrypto.subtle.importKey(
        'pkcs8',
        pair.privateKey.export({ type: 'pkcs8', format: 'der' }),
        algorithm,
        true,
        ['sign'],
      ),
      publicKey: await webcrypto.subtle.importKey(
        'spki',
        pair.publicKey.export({ type: 'spki', format: 'der' }),
        algorithm,
        true,
        ['verify'],
      ),
    };
    const ca = await issueCertificate({
      subject: 'CN=kubernetes',
      notBefore: new Date(NOW.getTime() - 86_400_000),
      notAfter: new Date(NOW.getTime() + 3000 * 86_400_000),
      keys,
      ca: true,
      keyUsage: CA_KEY_USAGE,
    });
    const { leaf } = await buildClusterChain({ now: NOW, host: HOST, ca });

    const evaluation = evaluateChain({
      presented: [leaf.der],
      caData: toCaData(ca),
      host: HOST,
      now: NOW,
      thresholds: DEFAULT_THRESHOLDS,
    });

    expect(evaluation.verdict).toBe('untrusted');
    expect(evaluation.reasons[0]?.code).toBe('BAD_SIGNATURE');
    expect(evaluation.reasons[0]?.message).toContain(
      'the signature cannot be checked: its RSA public exponent has 32 bits',
    );
  });
});
