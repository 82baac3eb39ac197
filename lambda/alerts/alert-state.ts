import type {
  ClusterReport,
  ReasonCode,
  ReasonLevel,
  Severity,
  Verdict,
} from '../engine/types.js';

/**
 * Reason codes about CA rotation. They are kept in the alert state
 * whatever their level, so that a successor CA seen for the first time or
 * an activation deadline crossing into a higher level can be told apart
 * from one already reported.
 */
export const ROTATION_CODES: readonly ReasonCode[] = Object.freeze([
  'SUCCESSOR_CA_PRESENT',
  'SIGNING_CA_CHANGED',
  'CA_AUTO_ACTIVATION_SOON',
  'CA_DISTRIBUTION_FAILED',
  'NOT_SIGNED_BY_SIGNING_CA',
]);

/** Days a record lives after the last run that saw its cluster. */
export const STATE_TTL_DAYS = 30;

/** One reason as the alert state remembers it. */
export interface StoredReason {
  readonly code: ReasonCode;
  readonly level: ReasonLevel;
}

/**
 * What the alert state remembers about one cluster between runs: the
 * baseline that the next run compares against, and the observations that
 * carry over (fingerprints, unreachable streak).
 */
export interface ClusterAlertState {
  /** `${accountId}/${region}/${clusterName}`, `-` for an unknown part. */
  readonly clusterKey: string;
  /** Severity at the last run that counted for alerting. */
  readonly severity: Severity;
  readonly verdict: Verdict;
  /** Warning, unknown and critical reasons, and rotation ones of any level. */
  readonly reasons: readonly StoredReason[];
  readonly serverCertificateFingerprint: string | null;
  readonly caFingerprints: readonly string[];
  readonly signingCaFingerprint: string | null;
  readonly consecutiveUnreachableRuns: number;
  /** ISO-8601 UTC: when the severity or the stored reasons last changed. */
  readonly changedAt: string;
  /** ISO-8601 UTC: when a digest last named this cluster; `null` never. */
  readonly notifiedAt: string | null;
  /** Epoch seconds at which DynamoDB may delete the record (TTL). */
  readonly expiresAt: number;
}

/**
 * The alert state read at the start of a run. A key in `unreadable` had a
 * record that could not be read or parsed: its cluster is treated as
 * unknown, and reported if it needs action rather than kept silent.
 */
export interface StateSnapshot {
  readonly states: ReadonlyMap<string, ClusterAlertState>;
  readonly unreadable: ReadonlySet<string>;
}

/** A snapshot with no records: what a first run sees. */
export const EMPTY_SNAPSHOT: StateSnapshot = Object.freeze({
  states: new Map<string, ClusterAlertState>(),
  unreadable: new Set<string>(),
});

/**
 * The partition key of a cluster's record. `fallbackAccountId` is the
 * run's account, used when the cluster's own account is unknown.
 */
export function clusterKey(
  cluster: Pick<ClusterReport, 'accountId' | 'region' | 'name'>,
  fallbackAccountId: string | null,
): string {
  const part = (value: string | null): string =>
    value === null || value === '' ? '-' : value;
  return [
    part(cluster.accountId ?? fallbackAccountId),
    part(cluster.region),
    part(cluster.name),
  ].join('/');
}

/** The reasons of a cluster that the alert state keeps. */
export function storedReasons(cluster: ClusterReport): StoredReason[] {
  const kept = cluster.reasons.filter(
    (reason) => reason.level !== 'info' || ROTATION_CODES.includes(reason.code),
  );
  const seen = new Set<string>();
  const result: StoredReason[] = [];
  for (const { code, level } of kept) {
    const id = `${code}:${level}`;
    if (seen.has(id)) continue;
    seen.add(id);
    result.push({ code, level });
  }
  return result;
}

/** The SHA-256 fingerprint of the cluster's signing CA, or `null`. */
export function signingCaFingerprint(cluster: ClusterReport): string | null {
  const signing = cluster.certificateAuthorities.find((ca) => ca.signing);
  return signing?.fingerprintSha256 ?? null;
}

/** Epoch seconds {@link STATE_TTL_DAYS} days after `now`. */
export function expiresAtFrom(now: Date): number {
  return Math.floor(now.getTime() / 1000) + STATE_TTL_DAYS * 86_400;
}
