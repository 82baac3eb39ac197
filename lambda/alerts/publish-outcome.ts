import { AuditError } from '../engine/errors.js';
import type { AuditReport } from '../engine/types.js';

/** What a run published. */
export interface PublishOutcome {
  /** The report with `SIGNING_CA_CHANGED` added where the state says so. */
  readonly report: AuditReport;
  readonly metrics: {
    /** Datums CloudWatch accepted, the heartbeat included. */
    readonly sent: number;
    readonly failedBatches: number;
    /** Datums left out for an invalid dimension value. */
    readonly dropped: number;
    readonly heartbeatSent: boolean;
  };
  /** The digest of this run, sent or not; `null` when nothing changed. */
  readonly email: { readonly subject: string; readonly body: string } | null;
  readonly emailSent: boolean;
  /** State records saved. */
  readonly stateWritten: number;
  /** One line per part that failed; empty on success. */
  readonly errors: readonly string[];
}

/**
 * `PUBLISH_FAILED`, thrown by `publishRun` after everything that
 * could be published was; `outcome` holds what did go out.
 */
export class PublishError extends AuditError {
  readonly outcome: PublishOutcome;

  constructor(outcome: PublishOutcome) {
    super(
      'PUBLISH_FAILED',
      `publishing the audit failed: ${outcome.errors.join('; ')}`,
    );
    this.name = 'PublishError';
    this.outcome = outcome;
  }
}
