import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import {
  buildClusterChain,
  EKU,
  generateKeys,
  type Issued,
  issueCertificate,
  toCaData,
} from '../../lambda/demo/certificate-factory.js';
import {
  type ChainEvaluation,
  type ChainEvaluationInput,
  evaluateChain,
} from '../../lambda/engine/evaluate-chain.js';
import { severityOf } from '../../lambda/engine/severity.js';
import type { Severity, Verdict } from '../../lambda/engine/types.js';
import { fingerprintSha256 } from '../../lambda/engine/x509/fingerprint.js';
import {
  chainInput,
  day,
  HOST,
  issueCa,
  issueIntermediate,
  issueLeaf,
  NOW,
  pretendIssuer,
} from './chain-kit.js';

interface Scenario {
  readonly name: string;
  readonly arrange: () => Promise<ChainEvaluationInput>;
  readonly verdict: Verdict;
  readonly severity: Severity;
  /** `CODE:level` of every reason, in order. */
  readonly reasons: readonly string[];
  /** Days left on the serving certificate; `null` when none is reported. */
  readonly serverDays?: number | null;
  /** Days left on the signing CA. */
  readonly caDays?: number;
  readonly check?: (result: ChainEvaluation) => void;
}

async function simple(
  leafSpec: Parameters<typeof issueLeaf>[1] = {},
  caSpec: Parameters<typeof issueCa>[0] = {},
  extra: Partial<ChainEvaluationInput> = {},
): Promise<ChainEvaluationInput> {
  const ca = await issueCa(caSpec);
  const leaf = await issueLeaf(ca, leafSpec);
  return chainInput([leaf], toCaData(ca), extra);
}

async function twoCaBundle(signer: 0 | 1, inUse?: 0 | 1) {
  const cas = [await issueCa(), await issueCa()] as const;
  const leaf = await issueLeaf(cas[signer]);
  return chainInput([leaf], toCaData(...cas), {
    signingCaFingerprint:
      inUse === undefined ? null : fingerprintSha256(cas[inUse].der),
  });
}

function caFlags(result: ChainEvaluation) {
  return result.certificateAuthorities.map((ca) => [
    ca.signing,
    ca.anchorsPath,
  ]);
}

const scenarios: Scenario[] = [
  {
    name: 'a kubeadm-like chain is trusted',
    arrange: () => simple(),
    verdict: 'trusted',
    severity: 'ok',
    reasons: [],
    serverDays: 200,
    caDays: 3000,
  },
  {
    name: 'a CA without key identifiers is trusted with an info reason',
    arrange: async () => {
      const { ca, leaf } = await buildClusterChain({ now: NOW, host: HOST });
      return chainInput([leaf], toCaData(ca));
    },
    verdict: 'trusted',
    severity: 'ok',
    reasons: ['CA_MISSING_KEY_IDENTIFIERS:info'],
    serverDays: 200,
    caDays: 3000,
  },
  {
    name: 'an expired leaf is CERT_EXPIRED, not UNKNOWN_ISSUER',
    arrange: () => simple({ notBefore: day(-375), notAfter: day(-10) }),
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['CERT_EXPIRED:critical'],
    serverDays: -10,
  },
  {
    name: 'a leaf that is not valid yet is CERT_NOT_YET_VALID',
    arrange: () => simple({ notBefore: day(2), notAfter: day(300) }),
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['CERT_NOT_YET_VALID:critical'],
    serverDays: 300,
  },
  {
    name: 'a leaf inside the warning window warns',
    arrange: () => simple({ notAfter: day(10) }),
    verdict: 'trusted',
    severity: 'warning',
    reasons: ['EXPIRES_SOON:warning'],
    serverDays: 10,
  },
  {
    name: 'a leaf exactly at the warning threshold does not warn',
    arrange: () => simple({ notAfter: day(14) }),
    verdict: 'trusted',
    severity: 'ok',
    reasons: [],
    serverDays: 14,
  },
  {
    name: 'a leaf inside the critical window is critical',
    arrange: () => simple({ notAfter: day(2) }),
    verdict: 'trusted',
    severity: 'critical',
    reasons: ['EXPIRES_SOON:critical'],
    serverDays: 2,
  },
  {
    name: 'a leaf that expires today is still valid and critical',
    arrange: () => simple({ notAfter: day(0.25) }),
    verdict: 'trusted',
    severity: 'critical',
    reasons: ['EXPIRES_SOON:critical'],
    serverDays: 0.25,
  },
  {
    name: 'a leaf signed by another CA with the same name is BAD_SIGNATURE',
    arrange: async () => {
      const ca = await issueCa();
      const impostor = await issueCa();
      return chainInput([await issueLeaf(impostor)], toCaData(ca));
    },
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['BAD_SIGNATURE:critical'],
    serverDays: 200,
    check: (result) => {
      expect(result.certificateAuthorities[0]?.anchorsPath).toBe(false);
      expect(result.reasons[0]?.message).toMatch(/another key/);
    },
  },
  {
    name: 'a leaf signed by an unrelated CA is UNKNOWN_ISSUER',
    arrange: async () => {
      const ca = await issueCa();
      const other = await issueCa({ subject: 'CN=someone-else' });
      return chainInput([await issueLeaf(other)], toCaData(ca));
    },
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['UNKNOWN_ISSUER:critical'],
    serverDays: 200,
  },
  {
    name: 'another host is HOSTNAME_MISMATCH',
    arrange: () =>
      simple({}, {}, { host: 'f00d.gr7.us-east-1.eks.amazonaws.com' }),
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['HOSTNAME_MISMATCH:critical'],
  },
  {
    name: 'without a host the names are not checked',
    arrange: () => simple({}, {}, { host: null }),
    verdict: 'trusted',
    severity: 'ok',
    reasons: ['HOST_NOT_CHECKED:info'],
  },
  {
    name: 'an IP host matches an IP SAN by value',
    arrange: () => simple({}, {}, { host: '10.100.0.1' }),
    verdict: 'trusted',
    severity: 'ok',
    reasons: [],
  },
  {
    name: 'in a two-CA bundle the first CA can sign',
    arrange: () => twoCaBundle(0),
    verdict: 'trusted',
    severity: 'ok',
    reasons: [],
    check: (result) =>
      expect(caFlags(result)).toEqual([
        [true, true],
        [false, false],
      ]),
  },
  {
    name: 'in a two-CA bundle the second CA can sign',
    arrange: () => twoCaBundle(1),
    verdict: 'trusted',
    severity: 'ok',
    reasons: [],
    check: (result) =>
      expect(caFlags(result)).toEqual([
        [false, false],
        [true, true],
      ]),
  },
  {
    name: 'the CA EKS reports IN_USE is the signing CA',
    arrange: () => twoCaBundle(1, 0),
    verdict: 'trusted',
    severity: 'ok',
    reasons: [],
    check: (result) =>
      expect(caFlags(result)).toEqual([
        [true, false],
        [false, true],
      ]),
  },
  {
    name: 'an intermediate between CA and leaf is trusted and reported',
    arrange: async () => {
      const ca = await issueCa();
      const middle = await issueIntermediate(ca);
      return chainInput([await issueLeaf(middle), middle], toCaData(ca));
    },
    verdict: 'trusted',
    severity: 'ok',
    reasons: [],
    check: (result) =>
      expect(result.intermediates.map((i) => i.subject)).toEqual([
        'CN=kubernetes-intermediate',
      ]),
  },
  {
    name: 'a missing intermediate is UNKNOWN_ISSUER',
    arrange: async () => {
      const ca = await issueCa();
      const middle = await issueIntermediate(ca);
      return chainInput([await issueLeaf(middle)], toCaData(ca));
    },
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['UNKNOWN_ISSUER:critical'],
  },
  {
    name: 'a server that also sends the CA is trusted',
    arrange: async () => {
      const ca = await issueCa();
      return chainInput([await issueLeaf(ca), ca], toCaData(ca));
    },
    verdict: 'trusted',
    severity: 'ok',
    reasons: [],
    check: (result) => expect(result.intermediates).toEqual([]),
  },
  {
    name: 'RSA 2048 keys are trusted',
    arrange: async () => {
      const { ca, leaf } = await buildClusterChain({
        now: NOW,
        host: HOST,
        key: { kind: 'RSA', bits: 2048 },
        caKeyIdentifiers: true,
      });
      return chainInput([leaf], toCaData(ca));
    },
    verdict: 'trusted',
    severity: 'ok',
    reasons: [],
    check: (result) => {
      expect(result.serverCertificate?.keyType).toBe('RSA');
      expect(result.serverCertificate?.keyBits).toBe(2048);
      expect(result.serverCertificate?.signatureAlgorithm).toBe(
        'sha256WithRSAEncryption',
      );
    },
  },
  {
    name: 'EC P-384 keys are trusted',
    arrange: () =>
      simple(
        { key: { kind: 'EC', curve: 'P-384' }, hash: 'SHA-384' },
        { key: { kind: 'EC', curve: 'P-384' } },
      ),
    verdict: 'trusted',
    severity: 'ok',
    reasons: [],
    check: (result) => {
      expect(result.serverCertificate?.keyType).toBe('EC');
      expect(result.serverCertificate?.keyBits).toBe(384);
      expect(result.serverCertificate?.signatureAlgorithm).toBe(
        'ecdsa-with-SHA384',
      );
    },
  },
  {
    name: 'a 1024-bit RSA leaf key is WEAK_KEY',
    arrange: () => simple({ key: { kind: 'RSA', bits: 1024 } }),
    verdict: 'trusted',
    severity: 'warning',
    reasons: ['WEAK_KEY:warning'],
  },
  {
    name: 'a SHA-1 signature on the leaf is WEAK_SIGNATURE',
    arrange: () => simple({ hash: 'SHA-1' }),
    verdict: 'trusted',
    severity: 'warning',
    reasons: ['WEAK_SIGNATURE:warning'],
  },
  {
    name: 'a CA inside its warning window warns',
    arrange: () => simple({ notAfter: day(90) }, { notAfter: day(100) }),
    verdict: 'trusted',
    severity: 'warning',
    reasons: ['CA_EXPIRES_SOON:warning'],
    caDays: 100,
  },
  {
    name: 'a CA inside its critical window is critical',
    arrange: () => simple({ notAfter: day(10) }, { notAfter: day(20) }),
    verdict: 'trusted',
    severity: 'critical',
    reasons: ['CA_EXPIRES_SOON:critical', 'EXPIRES_SOON:warning'],
    caDays: 20,
  },
  {
    name: 'an expired CA is CA_EXPIRED',
    arrange: () => simple({}, { notAfter: day(-5) }),
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['CA_EXPIRED:critical'],
    caDays: -5,
  },
  {
    name: 'a leaf only for client authentication is EKU_NOT_SERVER_AUTH',
    arrange: () => simple({ extendedKeyUsage: [EKU.clientAuth] }),
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['EKU_NOT_SERVER_AUTH:critical'],
  },
  {
    name: 'an unknown critical extension is refused',
    arrange: () =>
      simple({
        extraExtensions: [
          new x509.Extension(
            '1.3.6.1.4.1.55738.666.1',
            true,
            new Uint8Array([5, 0]),
          ),
        ],
      }),
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['UNSUPPORTED_CRITICAL_EXTENSION:critical'],
  },
  {
    name: 'an issuer without the CA flag is ISSUER_NOT_CA',
    arrange: async () => {
      const ca = await issueCa();
      const middle = await issueIntermediate(ca, {
        ca: false,
        keyUsage: x509.KeyUsageFlags.digitalSignature,
      });
      return chainInput([await issueLeaf(middle), middle], toCaData(ca));
    },
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['ISSUER_NOT_CA:critical'],
  },
  {
    name: 'an issuer whose key usage lacks keyCertSign is ISSUER_CANNOT_SIGN',
    arrange: async () => {
      const ca = await issueCa();
      const middle = await issueIntermediate(ca, {
        keyUsage: x509.KeyUsageFlags.digitalSignature,
      });
      return chainInput([await issueLeaf(middle), middle], toCaData(ca));
    },
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['ISSUER_CANNOT_SIGN:critical'],
  },
  {
    name: 'an intermediate below a pathLen:0 CA is PATH_LENGTH_EXCEEDED',
    arrange: async () => {
      const ca = await issueCa({ pathLength: 0 });
      const middle = await issueIntermediate(ca);
      return chainInput([await issueLeaf(middle), middle], toCaData(ca));
    },
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['PATH_LENGTH_EXCEEDED:critical'],
  },
  {
    name: 'two intermediates that sign each other end as PATH_BUILDING_LIMIT',
    arrange: async () => {
      const ca = await issueCa();
      const [a, b] = [await pretendIssuer('CN=a'), await pretendIssuer('CN=b')];
      const aByB = await issueCa({ subject: 'CN=a', keys: a.keys, issuer: b });
      const bByA = await issueCa({ subject: 'CN=b', keys: b.keys, issuer: a });
      return chainInput([await issueLeaf(a), aByB, bByA], toCaData(ca));
    },
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['PATH_BUILDING_LIMIT:critical'],
    check: (result) => expect(result.reasons[0]?.message).toMatch(/cycle/),
  },
  {
    name: 'a chain of 100 intermediates ends as PATH_BUILDING_LIMIT',
    arrange: async () => {
      const ca = await issueCa();
      const chain: Issued[] = [];
      let issuer = ca;
      for (let i = 99; i >= 0; i -= 1) {
        issuer = await issueIntermediate(issuer, { subject: `CN=link-${i}` });
        chain.unshift(issuer);
      }
      return chainInput([await issueLeaf(issuer), ...chain], toCaData(ca));
    },
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['PATH_BUILDING_LIMIT:critical'],
  },
  {
    name: 'thirty same-named CAs that sign each other exhaust the budget',
    arrange: async () => {
      const ca = await issueCa();
      const keys = await Promise.all(
        Array.from({ length: 30 }, () => pretendIssuer('CN=mesh')),
      );
      const mesh = await Promise.all(
        keys.map((own, i) =>
          issueCa({
            subject: 'CN=mesh',
            keys: own.keys,
            issuer: keys[(i + 1) % keys.length] as Issued,
          }),
        ),
      );
      const leaf = await issueLeaf(keys[0] as Issued);
      return chainInput([leaf, ...mesh.reverse()], toCaData(ca));
    },
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['PATH_BUILDING_LIMIT:critical'],
  },
  {
    name: 'a self-signed serving certificate that is its own CA is trusted',
    arrange: async () => {
      const self = await issueCertificate({
        subject: 'CN=kube-apiserver',
        notBefore: day(-1),
        notAfter: day(400),
        key: { kind: 'EC', curve: 'P-256' },
        ca: true,
        keyUsage:
          x509.KeyUsageFlags.digitalSignature |
          x509.KeyUsageFlags.keyEncipherment,
        subjectAltNames: [`DNS:${HOST}`],
      });
      return chainInput([self], toCaData(self));
    },
    verdict: 'trusted',
    severity: 'ok',
    reasons: [],
  },
  {
    name: 'an issuer-and-serial authority key identifier is accepted',
    arrange: async () => {
      const ca = await issueCa({ keyIdentifiers: false });
      const aki = await x509.AuthorityKeyIdentifierExtension.create({
        name: new x509.GeneralNames([{ type: 'dn', value: 'CN=kubernetes' }]),
        serialNumber: '01',
      });
      return chainInput(
        [await issueLeaf(ca, { extraExtensions: [aki] })],
        toCaData(ca),
      );
    },
    verdict: 'trusted',
    severity: 'ok',
    reasons: ['CA_MISSING_KEY_IDENTIFIERS:info'],
  },
  {
    name: 'a CA with name constraints is refused, not half-checked',
    arrange: () =>
      simple(
        {},
        {
          extraExtensions: [
            new x509.Extension(
              '2.5.29.30',
              true,
              Buffer.from(
                `3011a00f300d820b${Buffer.from('example.com').toString('hex')}`,
                'hex',
              ),
            ),
          ],
        },
      ),
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['UNSUPPORTED_CRITICAL_EXTENSION:critical'],
  },
  {
    name: 'duplicate extensions on the leaf are CERT_MALFORMED',
    arrange: () =>
      simple({
        extraExtensions: [new x509.ExtendedKeyUsageExtension([EKU.serverAuth])],
      }),
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['CERT_MALFORMED:critical'],
  },
  {
    name: 'an empty presented chain is UNKNOWN_ISSUER',
    arrange: async () => ({
      ...chainInput(null, toCaData(await issueCa())),
      presented: [],
    }),
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['UNKNOWN_ISSUER:critical'],
    serverDays: null,
  },
  {
    name: 'no CA data is skipped as unknown, with the leaf still reported',
    arrange: async () => {
      const ca = await issueCa();
      return chainInput([await issueLeaf(ca)], null);
    },
    verdict: 'skipped',
    severity: 'unknown',
    reasons: ['NO_CA_DATA:unknown'],
    serverDays: 200,
  },
  ...[
    ['not base64', '%%% not base64 %%%'],
    ['base64 of plain text', Buffer.from('hello').toString('base64')],
    [
      'PEM with broken base64',
      '-----BEGIN CERTIFICATE-----\nMII*\n-----END CERTIFICATE-----\n',
    ],
  ].map(
    ([kind, caData]): Scenario => ({
      name: `CA data that is ${kind} is an error, with the leaf still reported`,
      arrange: async () => {
        const ca = await issueCa();
        return chainInput([await issueLeaf(ca)], caData as string);
      },
      verdict: 'error',
      severity: 'critical',
      reasons: ['CA_DATA_INVALID:critical'],
      serverDays: 200,
    }),
  ),
  {
    name: 'a leaf as CA data is an error: the block is not a CA',
    arrange: async () => {
      const ca = await issueCa();
      const leaf = await issueLeaf(ca);
      return chainInput([leaf], toCaData(leaf));
    },
    verdict: 'error',
    severity: 'critical',
    reasons: ['CA_DATA_INVALID:critical'],
    check: (result) =>
      expect(result.reasons[0]?.message).toBe(
        'CA data block 1 (CN=kube-apiserver) is not a CA: basic constraints missing.',
      ),
  },
  {
    name: 'without a handshake only the CA bundle is judged',
    arrange: async () =>
      chainInput(null, toCaData(await issueCa({ notAfter: day(150) }))),
    verdict: 'skipped',
    severity: 'warning',
    reasons: ['CA_EXPIRES_SOON:warning'],
    serverDays: null,
    caDays: 150,
  },
  {
    name: 'a leaf that does not decode is CERT_MALFORMED',
    arrange: async () => {
      const ca = await issueCa();
      return {
        ...chainInput(null, toCaData(ca)),
        presented: [Buffer.from('3003020100', 'hex')],
      };
    },
    verdict: 'untrusted',
    severity: 'critical',
    reasons: ['CERT_MALFORMED:critical'],
    serverDays: null,
  },
];

describe('evaluateChain', () => {
  it.each(scenarios)('$name', async (scenario) => {
    const input = await scenario.arrange();

    const started = performance.now();
    const result = evaluateChain(input);
    const elapsed = performance.now() - started;

    expect(result.verdict).toBe(scenario.verdict);
    expect(severityOf(result.verdict, result.reasons)).toBe(scenario.severity);
    expect(result.reasons.map((r) => `${r.code}:${r.level}`)).toEqual(
      scenario.reasons,
    );
    expect(elapsed).toBeLessThan(500);
    if (scenario.serverDays === null) {
      expect(result.serverCertificate).toBeNull();
    } else if (scenario.serverDays !== undefined) {
      expect(result.serverCertificate?.daysToExpiry).toBeCloseTo(
        scenario.serverDays,
        9,
      );
    }
    if (scenario.caDays !== undefined) {
      const signing = result.certificateAuthorities.find((ca) => ca.signing);
      expect(signing?.daysToExpiry).toBeCloseTo(scenario.caDays, 9);
    }
    scenario.check?.(result);
  });

  it('gives every reason a message and the certificate it concerns', async () => {
    const ca = await issueCa({ notAfter: day(20) });
    const leaf = await issueLeaf(ca, {
      notAfter: day(-3),
      notBefore: day(-30),
      key: { kind: 'RSA', bits: 1024 },
    });

    const result = evaluateChain(chainInput([leaf], toCaData(ca)));

    expect(result.reasons).toEqual([
      {
        code: 'CERT_EXPIRED',
        level: 'critical',
        message:
          'The serving certificate CN=kube-apiserver expired at 2026-02-26T00:00:00Z, 3.0 days ago.',
        certificate: 'CN=kube-apiserver',
      },
      {
        code: 'CA_EXPIRES_SOON',
        level: 'critical',
        message:
          'The signing CA CN=kubernetes expires at 2026-03-21T00:00:00Z, in 20.0 days (critical under 30 days); clients that trust only this CA break then.',
        certificate: 'CN=kubernetes',
      },
      {
        code: 'WEAK_KEY',
        level: 'warning',
        message:
          'CN=kube-apiserver has a 1024-bit RSA key; at least 2048 bits are expected.',
        certificate: 'CN=kube-apiserver',
      },
    ]);
  });

  it('reports an untrusted chain in full', async () => {
    const ca = await issueCa();
    const middle = await issueIntermediate(ca, { notAfter: day(-1) });
    const leaf = await issueLeaf(middle);

    const result = evaluateChain(chainInput([leaf, middle], toCaData(ca)));

    expect(result.verdict).toBe('untrusted');
    expect(result.reasons.map((r) => r.code)).toEqual(['CERT_EXPIRED']);
    expect(result.reasons[0]?.certificate).toBe('CN=kubernetes-intermediate');
    expect(result.serverCertificate?.subject).toBe('CN=kube-apiserver');
    expect(result.intermediates[0]?.daysToExpiry).toBeCloseTo(-1, 9);
    expect(result.certificateAuthorities[0]).toMatchObject({
      subject: 'CN=kubernetes',
      signing: true,
      anchorsPath: true,
      rotation: null,
    });
  });

  it('accepts a leaf whose CA data is PEM text instead of base64', async () => {
    const ca = await issueCa();
    const leaf = await issueLeaf(ca);

    const result = evaluateChain(chainInput([leaf], ca.pem));

    expect(result.verdict).toBe('trusted');
  });

  it('trusts an anyExtendedKeyUsage leaf, as Go clients do', async () => {
    const ca = await issueCa();
    const leaf = await issueCertificate({
      subject: 'CN=kube-apiserver',
      issuer: ca,
      notBefore: day(-1),
      notAfter: day(30),
      extendedKeyUsage: ['2.5.29.37.0'],
      subjectAltNames: [`DNS:${HOST}`],
      key: { kind: 'EC', curve: 'P-256' },
    });

    const result = evaluateChain(chainInput([leaf], toCaData(ca)));

    expect(result.verdict).toBe('trusted');
  });

  it.each([
    [
      'RSASSA-PSS (SHA-256, 32-byte salt)',
      {
        name: 'RSA-PSS',
        hash: 'SHA-256',
        publicExponent: new Uint8Array([1, 0, 1]),
        modulusLength: 2048,
      },
      { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 },
      'RSASSA-PSS',
    ],
    ['Ed25519', { name: 'Ed25519' }, { name: 'Ed25519' }, 'ED25519'],
  ])(
    'verifies a CA that signs with %s',
    async (_kind, keyAlgorithm, signingAlgorithm, name) => {
      const caKeys = (await webcrypto.subtle.generateKey(keyAlgorithm, true, [
        'sign',
        'verify',
      ])) as webcrypto.CryptoKeyPair;
      const ca = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: '01',
        name: 'CN=kubernetes',
        notBefore: day(-1),
        notAfter: day(100),
        keys: caKeys,
        signingAlgorithm,
        extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
      });
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: '02',
        subject: 'CN=kube-apiserver',
        issuer: ca.subject,
        notBefore: day(-1),
        notAfter: day(30),
        publicKey: (await generateKeys({ kind: 'EC', curve: 'P-256' }))
          .publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm,
        extensions: [
          new x509.SubjectAlternativeNameExtension([
            { type: 'dns', value: HOST },
          ]),
        ],
      });

      const result = evaluateChain({
        ...chainInput(null, ca.toString('pem')),
        presented: [Buffer.from(leaf.rawData)],
      });

      expect(result.verdict).toBe('trusted');
      expect(result.serverCertificate?.signatureAlgorithm).toBe(name);
    },
  );
});
