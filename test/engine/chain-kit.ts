import * as x509 from '@peculiar/x509';
import {
  CA_KEY_USAGE,
  type CertificateSpec,
  EKU,
  generateKeys,
  type Issued,
  issueCertificate,
  SERVER_KEY_USAGE,
} from '../../lambda/demo/certificate-factory.js';
import type { ChainEvaluationInput } from '../../lambda/engine/evaluate-chain.js';
import { DEFAULT_THRESHOLDS } from '../../lambda/engine/types.js';

/** The pinned clock of the engine tests. */
export const NOW = new Date('2026-03-01T00:00:00Z');

/** An EKS-style endpoint host (upper-case hex, as EKS prints it). */
export const HOST =
  'ABCDEF0123456789ABCDEF0123456789.gr7.us-east-1.eks.amazonaws.com';

const DAY_MS = 86_400_000;

/** `NOW` moved by some days. */
export function day(offset: number): Date {
  return new Date(NOW.getTime() + offset * DAY_MS);
}

/** A kubeadm-like CA, `CN=kubernetes`, EC P-256, with key identifiers. */
export function issueCa(spec: Partial<CertificateSpec> = {}): Promise<Issued> {
  return issueCertificate({
    subject: 'CN=kubernetes',
    notBefore: day(-400),
    notAfter: day(3000),
    key: { kind: 'EC', curve: 'P-256' },
    ca: true,
    keyUsage: CA_KEY_USAGE | x509.KeyUsageFlags.digitalSignature,
    keyIdentifiers: true,
    ...spec,
  });
}

/** An intermediate CA signed by `issuer`. */
export function issueIntermediate(
  issuer: Issued,
  spec: Partial<CertificateSpec> = {},
): Promise<Issued> {
  return issueCa({ subject: 'CN=kubernetes-intermediate', issuer, ...spec });
}

/** A `CN=kube-apiserver` serving certificate with EKS-style SANs. */
export function issueLeaf(
  issuer: Issued,
  spec: Partial<CertificateSpec> = {},
): Promise<Issued> {
  return issueCertificate({
    subject: 'CN=kube-apiserver',
    issuer,
    notBefore: day(-1),
    notAfter: day(200),
    key: { kind: 'EC', curve: 'P-256' },
    keyUsage: SERVER_KEY_USAGE,
    extendedKeyUsage: [EKU.serverAuth],
    subjectAltNames: [
      'DNS:kubernetes',
      'DNS:kubernetes.default.svc.cluster.local',
      `DNS:${HOST.toLowerCase()}`,
      'IP:10.100.0.1',
    ],
    keyIdentifiers: false,
    ...spec,
  });
}

/**
 * A stand-in issuer: a name and a key pair without a certificate, for
 * certificates that sign each other (cycles), which no real order of
 * issuing can make.
 */
export async function pretendIssuer(subject: string): Promise<Issued> {
  const keys = await generateKeys({ kind: 'EC', curve: 'P-256' });
  return {
    certificate: { subject } as x509.X509Certificate,
    keys,
    pem: '',
    keyPem: '',
    der: Buffer.alloc(0),
  };
}

/** An `evaluateChain` input at `NOW` for `HOST` with default thresholds. */
export function chainInput(
  presented: readonly Issued[] | null,
  caData: string | null,
  extra: Partial<ChainEvaluationInput> = {},
): ChainEvaluationInput {
  return {
    presented: presented?.map((cert) => cert.der) ?? null,
    caData,
    host: HOST,
    now: NOW,
    thresholds: DEFAULT_THRESHOLDS,
    ...extra,
  };
}
