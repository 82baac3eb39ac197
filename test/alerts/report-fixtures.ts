import type { AuditLogger, LogFields } from '../../lambda/engine/logger.js';
import { buildReport } from '../../lambda/engine/report.js';
import { severityOf } from '../../lambda/engine/severity.js';
import type {
  AuditReport,
  CertificateAuthorityFacts,
  CertificateFacts,
  ClusterReport,
  Reason,
  ReasonCode,
  ReasonLevel,
  RegionReport,
  Verdict,
} from '../../lambda/engine/types.js';

/** The pinned clock of the alert tests. */
export const NOW = new Date('2026-03-01T06:00:00Z');

export const ACCOUNT = '111122223333';

const DAY_MS = 86_400_000;

/** A fingerprint made of one repeated byte, e.g. `AB:AB:…` (32 bytes). */
export function fingerprint(byte: string): string {
  return Array.from({ length: 32 }, () => byte).join(':');
}

/** Certificate facts expiring `days` after {@link NOW}. */
export function certificate(
  subject: string,
  days: number,
  byte = 'AA',
): CertificateFacts {
  const notAfter = new Date(NOW.getTime() + days * DAY_MS);
  return {
    subject,
    issuer: 'CN=kubernetes',
    notBefore: '2025-01-01T00:00:00Z',
    notAfter: `${notAfter.toISOString().slice(0, 19)}Z`,
    daysToExpiry: days,
    fingerprintSha256: fingerprint(byte),
    subjectAltNames: ['DNS:kubernetes'],
    keyType: 'RSA',
    keyBits: 2048,
    signatureAlgorithm: 'sha256WithRSAEncryption',
  };
}

/** A CA of the bundle, signing unless told otherwise. */
export function authority(
  days: number,
  byte = 'CA',
  signing = true,
): CertificateAuthorityFacts {
  return {
    ...certificate('CN=kubernetes', days, byte),
    signing,
    anchorsPath: signing,
    rotation: null,
  };
}

/** A reason with a plain message. */
export function reason(
  code: ReasonCode,
  level: ReasonLevel,
  message = `${code} found`,
): Reason {
  return { code, level, message, certificate: null };
}

/** What a hand-made cluster differs in from a healthy one. */
export interface ClusterShape {
  readonly verdict?: Verdict;
  readonly reasons?: readonly Reason[];
  readonly region?: string | null;
  readonly accountId?: string | null;
  readonly serverDays?: number | null;
  readonly caDays?: number | null;
  readonly caByte?: string;
  readonly extraCas?: readonly CertificateAuthorityFacts[];
}

/** A cluster report; severity follows from verdict and reasons. */
export function cluster(
  name: string | null,
  shape: ClusterShape = {},
): ClusterReport {
  const verdict = shape.verdict ?? 'trusted';
  const reasons = shape.reasons ?? [];
  const serverDays = shape.serverDays === undefined ? 200 : shape.serverDays;
  const caDays = shape.caDays === undefined ? 1000 : shape.caDays;
  const region = shape.region === undefined ? 'eu-west-1' : shape.region;
  return {
    name,
    region,
    accountId: shape.accountId === undefined ? ACCOUNT : shape.accountId,
    endpoint: `https://${(name ?? 'X').toUpperCase()}0123.gr7.${region}.eks.amazonaws.com`,
    verdict,
    severity: severityOf(verdict, reasons),
    reasons,
    tls:
      verdict === 'trusted' || verdict === 'untrusted'
        ? { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256' }
        : null,
    serverCertificate:
      serverDays === null || verdict === 'unreachable'
        ? null
        : certificate('CN=kube-apiserver', serverDays),
    intermediates: [],
    certificateAuthorities: [
      ...(caDays === null ? [] : [authority(caDays, shape.caByte ?? 'CA')]),
      ...(shape.extraCas ?? []),
    ],
  };
}

/** Shapes of the common cluster states. */
export const SHAPES = Object.freeze({
  healthy: {} as ClusterShape,
  expired: {
    verdict: 'untrusted',
    serverDays: -2,
    reasons: [reason('CERT_EXPIRED', 'critical')],
  } as ClusterShape,
  caSoon: {
    caDays: 90,
    reasons: [reason('CA_EXPIRES_SOON', 'warning')],
  } as ClusterShape,
  caCritical: {
    caDays: 20,
    reasons: [reason('CA_EXPIRES_SOON', 'critical')],
  } as ClusterShape,
  unreachable: {
    verdict: 'unreachable',
    reasons: [reason('TIMEOUT', 'unknown')],
  } as ClusterShape,
});

/** A report of `clusters` checked at {@link NOW}. */
export function report(
  clusters: readonly ClusterReport[],
  options: { partial?: boolean; regions?: readonly RegionReport[] } = {},
): AuditReport {
  return buildReport({
    checkedAt: NOW,
    partial: options.partial ?? false,
    regions: options.regions ?? [
      {
        region: 'eu-west-1',
        status: 'ok',
        error: null,
        rotationStateAvailable: true,
      },
    ],
    clusters,
  });
}

/** `hours` after {@link NOW}. */
export function later(hours: number): Date {
  return new Date(NOW.getTime() + hours * 3_600_000);
}

/** A logger that keeps what it was told, for assertions. */
export function recordingLogger(): AuditLogger & {
  readonly lines: { level: string; message: string; fields?: LogFields }[];
} {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const record =
    (level: string) =>
    (message: string, fields?: LogFields): void => {
      lines.push({ level, message, ...(fields && { fields }) });
    };
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}
