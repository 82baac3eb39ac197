import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  REASON_CODES,
  type ReasonCode,
  type ReasonLevel,
  SEVERITIES,
  type Severity,
  VERDICTS,
  type Verdict,
} from '../engine/types.js';
import type { ClusterAlertState, StoredReason } from './alert-state.js';

/** A DynamoDB item in the low-level attribute-value form. */
export type StateItem = Record<string, AttributeValue>;

const LEVELS: readonly ReasonLevel[] = [
  'info',
  'warning',
  'unknown',
  'critical',
];

/**
 * The DynamoDB item of a state record. The partition key is `clusterKey`
 * (S) and the TTL attribute `expiresAt` (N, epoch seconds), as the CDK
 * stack creates the table.
 */
export function toStateItem(state: ClusterAlertState): StateItem {
  return {
    clusterKey: { S: state.clusterKey },
    severity: { S: state.severity },
    verdict: { S: state.verdict },
    reasons: {
      L: state.reasons.map((reason) => ({
        M: { code: { S: reason.code }, level: { S: reason.level } },
      })),
    },
    serverCertificateFingerprint: nullableString(
      state.serverCertificateFingerprint,
    ),
    caFingerprints: { L: state.caFingerprints.map((f) => ({ S: f })) },
    signingCaFingerprint: nullableString(state.signingCaFingerprint),
    consecutiveUnreachableRuns: {
      N: String(state.consecutiveUnreachableRuns),
    },
    changedAt: { S: state.changedAt },
    notifiedAt: nullableString(state.notifiedAt),
    expiresAt: { N: String(state.expiresAt) },
  };
}

/**
 * The state record of an item, or `null` when the item does not have the
 * shape {@link toStateItem} writes (an older or foreign record): its
 * cluster is then treated as unknown. Reason codes this version does not
 * know are skipped.
 */
export function fromStateItem(item: StateItem): ClusterAlertState | null {
  const clusterKey = item.clusterKey?.S;
  const severity = item.severity?.S;
  const verdict = item.verdict?.S;
  const changedAt = item.changedAt?.S;
  const streak = Number(item.consecutiveUnreachableRuns?.N);
  const expiresAt = Number(item.expiresAt?.N);
  const reasons = item.reasons?.L;
  const caFingerprints = item.caFingerprints?.L;
  if (
    clusterKey === undefined ||
    !isOneOf(SEVERITIES, severity) ||
    !isOneOf(VERDICTS, verdict) ||
    changedAt === undefined ||
    !Number.isInteger(streak) ||
    streak < 0 ||
    !Number.isFinite(expiresAt) ||
    reasons === undefined ||
    caFingerprints === undefined
  ) {
    return null;
  }
  const stored: StoredReason[] = [];
  for (const entry of reasons) {
    const code = entry.M?.code?.S;
    const level = entry.M?.level?.S;
    if (isOneOf(REASON_CODES, code) && isOneOf(LEVELS, level)) {
      stored.push({ code: code as ReasonCode, level: level as ReasonLevel });
    }
  }
  return {
    clusterKey,
    severity: severity as Severity,
    verdict: verdict as Verdict,
    reasons: stored,
    serverCertificateFingerprint: optionalString(
      item.serverCertificateFingerprint,
    ),
    caFingerprints: caFingerprints
      .map((entry) => entry.S)
      .filter((value): value is string => value !== undefined),
    signingCaFingerprint: optionalString(item.signingCaFingerprint),
    consecutiveUnreachableRuns: streak,
    changedAt,
    notifiedAt: optionalString(item.notifiedAt),
    expiresAt,
  };
}

function nullableString(value: string | null): AttributeValue {
  return value === null ? { NULL: true } : { S: value };
}

function optionalString(value: AttributeValue | undefined): string | null {
  return value?.S ?? null;
}

function isOneOf(
  values: readonly string[],
  value: string | undefined,
): value is string {
  return value !== undefined && values.includes(value);
}
