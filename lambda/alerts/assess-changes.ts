import { severityOfLevel, severityRank } from '../engine/severity.js';
import type {
  AuditReport,
  ClusterReport,
  ReasonCode,
  ReasonLevel,
  Severity,
} from '../engine/types.js';
import {
  type ClusterAlertState,
  clusterKey,
  ROTATION_CODES,
  type StateSnapshot,
  type StoredReason,
  storedReasons,
} from './alert-state.js';

/** The alerting settings that decide what counts as a change. */
export interface AlertPolicy {
  /** Hours after which a still-critical cluster is named again. */
  readonly reminderHours: number;
  /** Consecutive unreachable runs before an unreachable cluster counts. */
  readonly unreachableAlertRuns: number;
}

/**
 * Why a cluster is in this run's digest. `severity-rose` with `from: null`
 * is a cluster the state has never seen.
 */
export type ChangeTrigger =
  | {
      readonly kind: 'severity-rose';
      readonly from: Severity | null;
      readonly to: Severity;
    }
  | {
      readonly kind: 'reason-gained' | 'rotation';
      readonly code: ReasonCode;
      readonly level: ReasonLevel;
      /** The level the last run had it at; `null` when it is new. */
      readonly from: ReasonLevel | null;
    }
  | { readonly kind: 'recovered'; readonly from: Severity }
  | { readonly kind: 'reminder'; readonly notifiedAt: string | null }
  | { readonly kind: 'state-unreadable' };

/** One cluster of the report judged against its alert state. */
export interface ClusterAssessment {
  readonly key: string;
  readonly cluster: ClusterReport;
  /** The remembered baseline; `null` when new or unreadable. */
  readonly previous: ClusterAlertState | null;
  readonly stateUnreadable: boolean;
  /** Unreachable runs in a row, this one included; 0 when reached. */
  readonly consecutiveUnreachableRuns: number;
  /**
   * `false` for an unreachable cluster below the alerting streak: it
   * neither triggers nor appears in the digest, and its baseline is kept.
   */
  readonly counts: boolean;
  /** It counts and its severity is not `ok`. */
  readonly needsAction: boolean;
  /** Empty when nothing changed for this cluster. */
  readonly triggers: readonly ChangeTrigger[];
}

// A reminder is due this long before the full interval has passed, so that
// a schedule whose period divides the interval does not slip by one run
// when a run starts a few seconds earlier than the last one did.
const REMINDER_SLACK_MS = 5 * 60 * 1000;

/**
 * Judges every cluster of `report` against `snapshot` (design section 7):
 * severity rose, a warning or critical reason gained or escalated, a
 * rotation event, recovery to `ok`, a reminder due, or unreadable state
 * for a cluster that needs action. Clusters absent from the report are not
 * looked at, so they never count as recovered.
 *
 * Info reasons never trigger, with one exception the rotation rules name:
 * `SUCCESSOR_CA_PRESENT` seen for the first time.
 */
export function assessChanges(
  report: AuditReport,
  accountId: string | null,
  snapshot: StateSnapshot,
  policy: AlertPolicy,
  now: Date,
): ClusterAssessment[] {
  return report.clusters.map((cluster) => {
    const key = clusterKey(cluster, accountId);
    const stateUnreadable = snapshot.unreadable.has(key);
    const previous = stateUnreadable
      ? null
      : (snapshot.states.get(key) ?? null);
    const streak =
      cluster.verdict === 'unreachable'
        ? (previous?.consecutiveUnreachableRuns ?? 0) + 1
        : 0;
    const counts =
      cluster.verdict !== 'unreachable' ||
      stateUnreadable ||
      streak >= policy.unreachableAlertRuns;
    const needsAction = counts && cluster.severity !== 'ok';
    let triggers: ChangeTrigger[] = [];
    if (counts && stateUnreadable) {
      if (needsAction) triggers = [{ kind: 'state-unreadable' }];
    } else if (counts) {
      triggers = triggersFor(cluster, previous, policy, now);
    }
    return {
      key,
      cluster,
      previous,
      stateUnreadable,
      consecutiveUnreachableRuns: streak,
      counts,
      needsAction,
      triggers,
    };
  });
}

function triggersFor(
  cluster: ClusterReport,
  previous: ClusterAlertState | null,
  policy: AlertPolicy,
  now: Date,
): ChangeTrigger[] {
  const before = previous?.severity ?? 'ok';
  const triggers: ChangeTrigger[] = [];
  if (severityRank(cluster.severity) > severityRank(before)) {
    triggers.push({
      kind: 'severity-rose',
      from: previous === null ? null : before,
      to: cluster.severity,
    });
  }
  for (const reason of storedReasons(cluster)) {
    const from = highestLevel(previous?.reasons ?? [], reason.code);
    const rose =
      levelRank(reason.level) > (from === null ? -1 : levelRank(from));
    if (ROTATION_CODES.includes(reason.code)) {
      const mailable =
        reason.level !== 'info' || reason.code === 'SUCCESSOR_CA_PRESENT';
      if (reason.code === 'SIGNING_CA_CHANGED' || (rose && mailable)) {
        triggers.push({ kind: 'rotation', ...reason, from });
      }
    } else if (
      rose &&
      (reason.level === 'warning' || reason.level === 'critical')
    ) {
      triggers.push({ kind: 'reason-gained', ...reason, from });
    }
  }
  if (previous !== null && before !== 'ok' && cluster.severity === 'ok') {
    triggers.push({ kind: 'recovered', from: before });
  }
  if (
    triggers.length === 0 &&
    cluster.severity === 'critical' &&
    before === 'critical' &&
    reminderDue(previous?.notifiedAt ?? null, policy.reminderHours, now)
  ) {
    triggers.push({
      kind: 'reminder',
      notifiedAt: previous?.notifiedAt ?? null,
    });
  }
  return triggers;
}

function reminderDue(
  notifiedAt: string | null,
  reminderHours: number,
  now: Date,
): boolean {
  if (notifiedAt === null) return true;
  const last = Date.parse(notifiedAt);
  if (Number.isNaN(last)) return true;
  const interval = reminderHours * 3_600_000;
  return now.getTime() - last >= interval - REMINDER_SLACK_MS;
}

function highestLevel(
  reasons: readonly StoredReason[],
  code: ReasonCode,
): ReasonLevel | null {
  let highest: ReasonLevel | null = null;
  for (const reason of reasons) {
    if (
      reason.code === code &&
      (highest === null || levelRank(reason.level) > levelRank(highest))
    ) {
      highest = reason.level;
    }
  }
  return highest;
}

function levelRank(level: ReasonLevel): number {
  return severityRank(severityOfLevel(level));
}
