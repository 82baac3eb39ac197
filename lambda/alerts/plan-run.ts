import type { AuditReport } from '../engine/types.js';
import {
  type ClusterAlertState,
  EMPTY_SNAPSHOT,
  type StateSnapshot,
} from './alert-state.js';
import { assessChanges, type ClusterAssessment } from './assess-changes.js';
import { composeDigest, type DigestEmail } from './compose-digest.js';
import { nextAlertState } from './next-alert-state.js';
import type { PublishConfig } from './publish-config.js';
import { applySigningCaChanges } from './signing-ca-change.js';

/** The settings a plan depends on. */
export type PlanConfig = Pick<
  PublishConfig,
  'reminderHours' | 'unreachableAlertRuns' | 'dashboardUrl'
>;

/** Everything a run will publish, worked out before any call. */
export interface RunPlan {
  /** The report with `SIGNING_CA_CHANGED` added where the state says so. */
  readonly report: AuditReport;
  readonly assessments: readonly ClusterAssessment[];
  /** The digest to send, or `null` when nothing changed. */
  readonly email: DigestEmail | null;
}

/**
 * Works out a run's publishing from its report and the alert state read
 * at its start: adds `SIGNING_CA_CHANGED`, judges what changed for each
 * cluster, and composes the digest. Pure; `now` is the run's start.
 */
export function planRun(
  report: AuditReport,
  accountId: string,
  config: PlanConfig,
  snapshot: StateSnapshot,
  now: Date,
): RunPlan {
  const updated = applySigningCaChanges(report, accountId, snapshot);
  const assessments = assessChanges(updated, accountId, snapshot, config, now);
  const email = composeDigest({
    report: updated,
    accountId,
    assessments,
    dashboardUrl: config.dashboardUrl,
    unreachableAlertRuns: config.unreachableAlertRuns,
  });
  return { report: updated, assessments, email };
}

/**
 * The email a run would send, without any AWS call: what `--email-preview`
 * prints. `previousStates` is the alert state by cluster key; `null`
 * treats the run as the first one. Returns `null` when no email would be
 * sent.
 */
export function previewEmail(
  report: AuditReport,
  accountId: string,
  config: PlanConfig,
  previousStates: StateSnapshot | ReadonlyMap<string, ClusterAlertState> | null,
  now: Date,
): { readonly subject: string; readonly body: string } | null {
  const snapshot =
    previousStates === null
      ? EMPTY_SNAPSHOT
      : previousStates instanceof Map
        ? { states: previousStates, unreadable: new Set<string>() }
        : (previousStates as StateSnapshot);
  const { email } = planRun(report, accountId, config, snapshot, now);
  return email === null ? null : { subject: email.subject, body: email.body };
}

/** How the digest of a run went. */
export interface RunDelivery {
  /** SNS accepted the digest. */
  readonly emailSent: boolean;
  /** A topic was configured, so there was someone to tell. */
  readonly topicConfigured: boolean;
}

/**
 * The records to save after a run, one per assessed cluster (see
 * {@link nextAlertState}): the clusters the digest named get `notifiedAt`
 * when it was sent, and a digest that failed keeps their old baseline.
 */
export function statesAfterRun(
  plan: RunPlan,
  delivery: RunDelivery,
  now: Date,
): ClusterAlertState[] {
  const named = new Set(plan.email?.clusterKeys ?? []);
  const delivered =
    plan.email === null || delivery.emailSent || !delivery.topicConfigured;
  return plan.assessments.map((assessment) =>
    nextAlertState(
      assessment,
      { notified: delivery.emailSent && named.has(assessment.key), delivered },
      now,
    ),
  );
}
