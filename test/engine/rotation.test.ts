import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CA_KEY_USAGE,
  type Issued,
  issueCertificate,
  toCaData,
} from '../../lambda/demo/certificate-factory.js';
import type {
  RotationCa,
  RotationState,
} from '../../lambda/engine/inventory.js';
import { isoSeconds } from '../../lambda/engine/report.js';
import {
  caDataFingerprint,
  evaluateRotation,
  signingCaFingerprint,
} from '../../lambda/engine/rotation.js';
import {
  type CertificateAuthorityFacts,
  DEFAULT_THRESHOLDS,
  type RotationFacts,
} from '../../lambda/engine/types.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const DAY_MS = 86_400_000;

function days(n: number): string {
  return isoSeconds(new Date(NOW.getTime() + n * DAY_MS));
}

let oldCa: Issued;
let newCa: Issued;

beforeAll(async () => {
  const ca = async (from: number, to: number) =>
    issueCertificate({
      subject: 'CN=kubernetes',
      notBefore: new Date(NOW.getTime() + from * DAY_MS),
      notAfter: new Date(NOW.getTime() + to * DAY_MS),
      key: { kind: 'EC', curve: 'P-256' },
      ca: true,
      keyUsage: CA_KEY_USAGE,
      keyIdentifiers: false,
    });
  oldCa = await ca(-3000, 600);
  newCa = await ca(-10, 3640);
});

function fingerprint(ca: Issued): string {
  return new X509Certificate(ca.pem).fingerprint256;
}

/** The facts the chain evaluator reports for one CA of the bundle. */
function facts(
  ca: Issued,
  flags: { signing?: boolean; anchorsPath?: boolean } = {},
): CertificateAuthorityFacts {
  const notAfter = isoSeconds(ca.certificate.notAfter);
  return {
    subject: 'CN=kubernetes',
    issuer: 'CN=kubernetes',
    notBefore: isoSeconds(ca.certificate.notBefore),
    notAfter,
    daysToExpiry: (Date.parse(notAfter) - NOW.getTime()) / DAY_MS,
    fingerprintSha256: fingerprint(ca),
    subjectAltNames: [],
    keyType: 'EC',
    keyBits: 256,
    signatureAlgorithm: 'ecdsa-with-SHA256',
    signing: flags.signing ?? false,
    anchorsPath: flags.anchorsPath ?? false,
    rotation: null,
  };
}

/** What DescribeCertificateAuthority says about one CA. */
function api(
  ca: Issued,
  id: string,
  rotation: Partial<RotationFacts> = {},
): RotationCa {
  return {
    facts: {
      id,
      signingStatus: 'NOT_USED',
      distributionStatus: 'COMPLETE',
      firstAutoActivation: null,
      finalAutoActivation: null,
      rollbackAvailable: false,
      ...rotation,
    },
    data: toCaData(ca),
    notBefore: isoSeconds(ca.certificate.notBefore),
    notAfter: isoSeconds(ca.certificate.notAfter),
  };
}

interface Scenario {
  readonly bundle: CertificateAuthorityFacts[];
  readonly rotation: RotationState | null;
  readonly trusted: boolean | null;
}

const IN_USE = { signingStatus: 'IN_USE' } as const;

/** Old CA signing and anchoring, new CA a successor with these facts. */
function successor(rotation: Partial<RotationFacts>): Scenario {
  return {
    bundle: [facts(oldCa, { signing: true, anchorsPath: true }), facts(newCa)],
    rotation: {
      available: true,
      cas: [api(oldCa, 'ca-old', IN_USE), api(newCa, 'ca-new', rotation)],
    },
    trusted: true,
  };
}

const cases: ReadonlyArray<
  [string, () => Scenario, ReadonlyArray<readonly [string, string]>]
> = [
  [
    'no successor',
    () => ({
      bundle: [facts(oldCa, { signing: true, anchorsPath: true })],
      rotation: { available: true, cas: [api(oldCa, 'ca-old', IN_USE)] },
      trusted: true,
    }),
    [],
  ],
  [
    'a successor appended and distributing',
    () =>
      successor({
        distributionStatus: 'IN_PROGRESS',
        firstAutoActivation: days(200),
        finalAutoActivation: days(500),
      }),
    [['SUCCESSOR_CA_PRESENT', 'info']],
  ],
  [
    'a successor whose first automatic activation has passed',
    () =>
      successor({
        firstAutoActivation: days(-1),
        finalAutoActivation: days(300),
      }),
    [['SUCCESSOR_CA_PRESENT', 'warning']],
  ],
  [
    'a failed distribution',
    () => successor({ distributionStatus: 'FAILED' }),
    [
      ['CA_DISTRIBUTION_FAILED', 'critical'],
      ['SUCCESSOR_CA_PRESENT', 'info'],
    ],
  ],
  [
    'the final activation in 40 days',
    () =>
      successor({
        firstAutoActivation: days(1),
        finalAutoActivation: days(40),
      }),
    [['SUCCESSOR_CA_PRESENT', 'info']],
  ],
  [
    'the final activation in exactly 30 days',
    () =>
      successor({
        firstAutoActivation: days(1),
        finalAutoActivation: days(30),
      }),
    [
      ['SUCCESSOR_CA_PRESENT', 'info'],
      ['CA_AUTO_ACTIVATION_SOON', 'warning'],
    ],
  ],
  [
    'the final activation in 20 days',
    () =>
      successor({
        firstAutoActivation: days(1),
        finalAutoActivation: days(20),
      }),
    [
      ['SUCCESSOR_CA_PRESENT', 'info'],
      ['CA_AUTO_ACTIVATION_SOON', 'warning'],
    ],
  ],
  [
    'the final activation in exactly 7 days',
    () =>
      successor({ firstAutoActivation: days(1), finalAutoActivation: days(7) }),
    [
      ['SUCCESSOR_CA_PRESENT', 'info'],
      ['CA_AUTO_ACTIVATION_SOON', 'critical'],
    ],
  ],
  [
    'the final activation in 5 days',
    () =>
      successor({ firstAutoActivation: days(1), finalAutoActivation: days(5) }),
    [
      ['SUCCESSOR_CA_PRESENT', 'info'],
      ['CA_AUTO_ACTIVATION_SOON', 'critical'],
    ],
  ],
  [
    'the final activation overdue while the successor is unused',
    () =>
      successor({
        firstAutoActivation: days(-30),
        finalAutoActivation: days(-2),
      }),
    [
      ['SUCCESSOR_CA_PRESENT', 'warning'],
      ['CA_AUTO_ACTIVATION_SOON', 'critical'],
    ],
  ],
  [
    'a served chain that anchors in the non-signing CA',
    () => ({
      ...successor({}),
      bundle: [
        facts(oldCa, { signing: true }),
        facts(newCa, { anchorsPath: true }),
      ],
    }),
    [
      ['SUCCESSOR_CA_PRESENT', 'info'],
      ['NOT_SIGNED_BY_SIGNING_CA', 'warning'],
    ],
  ],
  [
    'a served chain that anchors in the CA being activated',
    () => ({
      ...successor({ signingStatus: 'ACTIVATING' }),
      bundle: [
        facts(oldCa, { signing: true }),
        facts(newCa, { anchorsPath: true }),
      ],
    }),
    [
      ['SUCCESSOR_CA_PRESENT', 'info'],
      ['NOT_SIGNED_BY_SIGNING_CA', 'info'],
    ],
  ],
  [
    'an untrusted chain that anchors in the non-signing CA',
    () => ({
      ...successor({}),
      bundle: [
        facts(oldCa, { signing: true }),
        facts(newCa, { anchorsPath: true }),
      ],
      trusted: false,
    }),
    [['SUCCESSOR_CA_PRESENT', 'info']],
  ],
  [
    'the old CA retired after the rotation',
    () => ({
      bundle: [
        facts(oldCa),
        facts(newCa, { signing: true, anchorsPath: true }),
      ],
      rotation: {
        available: true,
        cas: [
          api(oldCa, 'ca-old', { rollbackAvailable: true }),
          api(newCa, 'ca-new', IN_USE),
        ],
      },
      trusted: true,
    }),
    [],
  ],
  [
    'a successor the rotation API lists but the bundle lacks',
    () => ({
      bundle: [facts(oldCa, { signing: true, anchorsPath: true })],
      rotation: {
        available: true,
        cas: [
          api(oldCa, 'ca-old', IN_USE),
          api(newCa, 'ca-new', { distributionStatus: 'IN_PROGRESS' }),
        ],
      },
      trusted: true,
    }),
    [['SUCCESSOR_CA_PRESENT', 'info']],
  ],
  [
    'the rotation state unavailable with two CAs in the bundle',
    () => ({
      bundle: [
        facts(oldCa, { signing: true, anchorsPath: true }),
        facts(newCa),
      ],
      rotation: { available: false, message: 'The calls are denied.' },
      trusted: true,
    }),
    [
      ['CA_ROTATION_STATE_UNAVAILABLE', 'info'],
      ['SUCCESSOR_CA_PRESENT', 'info'],
    ],
  ],
  [
    'the rotation state unavailable with one CA',
    () => ({
      bundle: [facts(oldCa, { signing: true, anchorsPath: true })],
      rotation: { available: false, message: 'The calls are denied.' },
      trusted: null,
    }),
    [['CA_ROTATION_STATE_UNAVAILABLE', 'info']],
  ],
  [
    'a kubeconfig source without rotation API and two CAs',
    () => ({
      bundle: [
        facts(oldCa, { signing: true, anchorsPath: true }),
        facts(newCa),
      ],
      rotation: null,
      trusted: true,
    }),
    [['SUCCESSOR_CA_PRESENT', 'info']],
  ],
];

describe('evaluateRotation', () => {
  it.each(cases)('reports %s', (_name, scenario, expected) => {
    const { bundle, rotation, trusted } = scenario();

    const result = evaluateRotation({
      certificateAuthorities: bundle,
      rotation,
      trusted,
      now: NOW,
      thresholds: DEFAULT_THRESHOLDS,
    });

    expect(result.reasons.map((r) => [r.code, r.level])).toEqual(expected);
  });

  it('fills each CA of the bundle with the rotation facts of its data', () => {
    const scenario = successor({ distributionStatus: 'IN_PROGRESS' });

    const result = evaluateRotation({
      certificateAuthorities: scenario.bundle,
      rotation: scenario.rotation,
      trusted: true,
      now: NOW,
      thresholds: DEFAULT_THRESHOLDS,
    });

    expect(result.certificateAuthorities.map((ca) => ca.rotation?.id)).toEqual([
      'ca-old',
      'ca-new',
    ]);
    expect(result.certificateAuthorities[1]?.rotation).toMatchObject({
      signingStatus: 'NOT_USED',
      distributionStatus: 'IN_PROGRESS',
    });
    expect(scenario.bundle[0]?.rotation).toBeNull();
  });

  it('says when the activation is, what breaks and what to do', () => {
    const scenario = successor({
      firstAutoActivation: days(1),
      finalAutoActivation: days(20),
    });

    const result = evaluateRotation({
      certificateAuthorities: scenario.bundle,
      rotation: scenario.rotation,
      trusted: true,
      now: NOW,
      thresholds: DEFAULT_THRESHOLDS,
    });

    const soon = result.reasons.find(
      (r) => r.code === 'CA_AUTO_ACTIVATION_SOON',
    );
    expect(soon?.message).toContain(days(20));
    expect(soon?.message).toContain('in 20.0 days');
    expect(soon?.message).toContain('kubeconfigs, CI secrets, GitOps');
    expect(soon?.message).toContain('certificateAuthority.data');
    expect(soon?.message).toContain('id ca-new');
    expect(soon?.certificate).toBe('CN=kubernetes');
  });

  it('uses the thresholds it is given', () => {
    const scenario = successor({ finalAutoActivation: days(40) });

    const result = evaluateRotation({
      certificateAuthorities: scenario.bundle,
      rotation: scenario.rotation,
      trusted: true,
      now: NOW,
      thresholds: { ...DEFAULT_THRESHOLDS, caActivationWarningDays: 60 },
    });

    expect(result.reasons.map((r) => [r.code, r.level])).toContainEqual([
      'CA_AUTO_ACTIVATION_SOON',
      'warning',
    ]);
  });
});

describe('signingCaFingerprint', () => {
  it('returns the fingerprint of the IN_USE CA', () => {
    const rotation: RotationState = {
      available: true,
      cas: [api(newCa, 'ca-new'), api(oldCa, 'ca-old', IN_USE)],
    };

    expect(signingCaFingerprint(rotation, null)).toBe(fingerprint(oldCa));
  });

  it('falls back to the CA whose id DescribeCluster names active', () => {
    const rotation: RotationState = {
      available: true,
      cas: [api(oldCa, 'ca-old'), api(newCa, 'ca-new')],
    };

    expect(signingCaFingerprint(rotation, 'ca-new')).toBe(fingerprint(newCa));
  });

  it.each([
    ['no rotation API', null],
    ['an unavailable rotation state', { available: false, message: 'x' }],
    ['no CA in use', { available: true, cas: [] }],
  ] as const)('returns null for %s', (_name, rotation) => {
    expect(signingCaFingerprint(rotation, 'ca-old')).toBeNull();
  });
});

describe('caDataFingerprint', () => {
  it.each([
    ['base64 of PEM', () => toCaData(oldCa)],
    ['PEM text', () => oldCa.pem],
    ['base64 of DER', () => oldCa.der.toString('base64')],
  ])('reads %s', (_name, data) => {
    expect(caDataFingerprint(data())).toBe(fingerprint(oldCa));
  });

  it.each([
    ['garbage', 'bm90IGEgY2VydGlmaWNhdGU='],
    ['nothing', null],
  ])('returns null for %s', (_name, data) => {
    expect(caDataFingerprint(data)).toBeNull();
  });
});
