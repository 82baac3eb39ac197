/**
 * The report contract of eks-cert-audit (JSON `schemaVersion` 1).
 *
 * Field names, `null` for absent facts, ISO-8601 UTC times to the second
 * with `Z`, upper-case colon-joined fingerprints, RFC 4514 names and
 * unrounded fractional days are promised to users' scripts, the dashboard
 * and the alerts: extend these types, never rename a field.
 */

/** Severities from best to worst; the index is the `Severity` metric rank. */
export const SEVERITIES = Object.freeze([
  'ok',
  'warning',
  'unknown',
  'critical',
] as const);

/** How bad a cluster's state is: `ok`, `warning`, `unknown` or `critical`. */
export type Severity = (typeof SEVERITIES)[number];

/** The level of one reason; `info` is reported but never raises severity. */
export type ReasonLevel = 'info' | Exclude<Severity, 'ok'>;

/** The one-word outcome for a cluster. */
export const VERDICTS = Object.freeze([
  'trusted',
  'untrusted',
  'unreachable',
  'skipped',
  'error',
] as const);

/** The one-word outcome for a cluster, see design section 4. */
export type Verdict = (typeof VERDICTS)[number];

/** Every reason code the tool emits. Codes are extended, never renamed. */
export const REASON_CODES = Object.freeze([
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'UNKNOWN_ISSUER',
  'BAD_SIGNATURE',
  'ISSUER_NOT_CA',
  'ISSUER_CANNOT_SIGN',
  'PATH_LENGTH_EXCEEDED',
  'EKU_NOT_SERVER_AUTH',
  'UNSUPPORTED_CRITICAL_EXTENSION',
  'PATH_BUILDING_LIMIT',
  'HOSTNAME_MISMATCH',
  'CA_EXPIRED',
  'CA_DATA_INVALID',
  'NO_CA_DATA',
  'INSECURE_SKIP_TLS_VERIFY',
  'EXPIRES_SOON',
  'CA_EXPIRES_SOON',
  'WEAK_KEY',
  'WEAK_SIGNATURE',
  'CA_MISSING_KEY_IDENTIFIERS',
  'HOST_NOT_CHECKED',
  'SUCCESSOR_CA_PRESENT',
  'CA_AUTO_ACTIVATION_SOON',
  'CA_DISTRIBUTION_FAILED',
  'NOT_SIGNED_BY_SIGNING_CA',
  'SIGNING_CA_CHANGED',
  'CA_ROTATION_STATE_UNAVAILABLE',
  'TIMEOUT',
  'CONNECTION_REFUSED',
  'CONNECTION_RESET',
  'DNS_FAILURE',
  'TLS_HANDSHAKE_FAILED',
  'PRIVATE_ENDPOINT',
  'PUBLIC_ACCESS_RESTRICTED',
  'CLUSTER_NOT_ACTIVE',
  'NO_ENDPOINT',
  'CONNECTED_CLUSTER',
  'OUTPOSTS_CLUSTER',
  'TIME_BUDGET_EXHAUSTED',
  'API_ERROR',
  'AUDIT_FAILED',
  // A certificate on the path breaks the X.509 encoding or profile rules
  // (duplicate extensions, contradictory CA flags, a malformed extension):
  // critical, like the other path failures.
  'CERT_MALFORMED',
] as const);

/** One machine-readable reason code. */
export type ReasonCode = (typeof REASON_CODES)[number];

/** One finding about a cluster, with the certificate it concerns. */
export interface Reason {
  readonly code: ReasonCode;
  readonly level: ReasonLevel;
  /** Plain words for a person: what is wrong, with the facts behind it. */
  readonly message: string;
  /** RFC 4514 subject of the certificate concerned, or `null`. */
  readonly certificate: string | null;
}

/** Facts about one certificate, reported whatever the verdict. */
export interface CertificateFacts {
  /** RFC 4514 string, for example `CN=kube-apiserver`. */
  readonly subject: string;
  readonly issuer: string;
  /** ISO-8601 UTC to the second, for example `2019-06-13T21:56:25Z`. */
  readonly notBefore: string;
  readonly notAfter: string;
  /** `(notAfter - now) / 86400 s`, unrounded, negative once expired. */
  readonly daysToExpiry: number;
  /** SHA-256 of the DER, upper-case hex pairs joined by colons. */
  readonly fingerprintSha256: string;
  /** `DNS:name` and `IP:address` entries, in certificate order. */
  readonly subjectAltNames: readonly string[];
  /** `RSA`, `EC`, `Ed25519`, `Ed448`, or another algorithm name. */
  readonly keyType: string;
  /** Modulus bits for RSA, curve size for EC; `null` when unknown. */
  readonly keyBits: number | null;
  /** OpenSSL-style name, for example `sha256WithRSAEncryption`. */
  readonly signatureAlgorithm: string;
}

/** What the EKS CA rotation API said about one CA of the bundle. */
export interface RotationFacts {
  readonly id: string | null;
  /** `IN_USE`, `ACTIVATING` or `NOT_USED`. */
  readonly signingStatus: string | null;
  /** `IN_PROGRESS`, `COMPLETE`, `FAILED` or `DELETING`. */
  readonly distributionStatus: string | null;
  readonly firstAutoActivation: string | null;
  readonly finalAutoActivation: string | null;
  readonly rollbackAvailable: boolean | null;
}

/** Facts about one CA of the cluster's bundle. */
export interface CertificateAuthorityFacts extends CertificateFacts {
  /** The CA that signs for the cluster now (see design section 3). */
  readonly signing: boolean;
  /** Whether the verified (or best candidate) path ends at this CA. */
  readonly anchorsPath: boolean;
  readonly rotation: RotationFacts | null;
}

/** What the TLS handshake negotiated; `null` offline. */
export interface TlsFacts {
  readonly protocol: string | null;
  readonly cipher: string | null;
}

/** The audit result of one cluster (or one `verify` / `probe` target). */
export interface ClusterReport {
  readonly name: string | null;
  readonly region: string | null;
  readonly accountId: string | null;
  readonly endpoint: string | null;
  readonly verdict: Verdict;
  readonly severity: Severity;
  readonly reasons: readonly Reason[];
  readonly tls: TlsFacts | null;
  readonly serverCertificate: CertificateFacts | null;
  readonly intermediates: readonly CertificateFacts[];
  readonly certificateAuthorities: readonly CertificateAuthorityFacts[];
}

/** The outcome of listing one region's clusters. */
export interface RegionReport {
  readonly region: string;
  readonly status: 'ok' | 'failed';
  readonly error: string | null;
  /** `false` when the CA rotation calls were denied or unknown there. */
  readonly rotationStateAvailable: boolean | null;
}

/** Counts over the clusters of one report. */
export interface ReportSummary {
  readonly clusters: number;
  readonly worstSeverity: Severity;
  readonly byVerdict: Readonly<Record<Verdict, number>>;
  readonly bySeverity: Readonly<Record<Severity, number>>;
}

/** The whole report that `--json` prints, schema version 1. */
export interface AuditReport {
  readonly schemaVersion: 1;
  readonly checkedAt: string;
  /** `true` when a region failed or the time budget ran out. */
  readonly partial: boolean;
  readonly regions: readonly RegionReport[];
  readonly clusters: readonly ClusterReport[];
  readonly summary: ReportSummary;
}

/** Day thresholds for the expiry and activation reasons. */
export interface Thresholds {
  readonly serverCertWarningDays: number;
  readonly serverCertCriticalDays: number;
  readonly caWarningDays: number;
  readonly caCriticalDays: number;
  readonly caActivationWarningDays: number;
  readonly caActivationCriticalDays: number;
}

/** The documented defaults of design section 5. */
export const DEFAULT_THRESHOLDS: Thresholds = Object.freeze({
  serverCertWarningDays: 14,
  serverCertCriticalDays: 3,
  caWarningDays: 180,
  caCriticalDays: 30,
  caActivationWarningDays: 30,
  caActivationCriticalDays: 7,
});
