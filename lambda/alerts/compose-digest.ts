import { severityRank, worstSeverity } from '../engine/severity.js';
import type { AuditReport, Severity } from '../engine/types.js';
import type { ClusterAssessment } from './assess-changes.js';
import {
  renderClusterEntry,
  renderRecoveryLine,
  renderSummaryLine,
} from './cluster-entry.js';
import { digestSubject } from './digest-subject.js';
import { fitToByteCap } from './fit-to-byte-cap.js';
import { cleanText, plural, wrapText } from './text-layout.js';

/**
 * The body's byte budget: SNS allows 256 KiB for the whole Publish
 * request, and the subject and attributes need a little of it.
 */
export const MAX_BODY_BYTES = 240 * 1024;

/** What the digest is made from. */
export interface DigestInput {
  readonly report: AuditReport;
  /** The account the run audited. */
  readonly accountId: string;
  readonly assessments: readonly ClusterAssessment[];
  readonly dashboardUrl: string | null;
  readonly unreachableAlertRuns: number;
  /** @default MAX_BODY_BYTES */
  readonly maxBodyBytes?: number;
}

/** One digest email. */
export interface DigestEmail {
  readonly subject: string;
  readonly body: string;
  /** The worst severity among the clusters named; the `severity` attribute. */
  readonly severity: Severity;
  /** Keys of the clusters the digest names, in full, in short or counted. */
  readonly clusterKeys: readonly string[];
}

/**
 * Composes the run's digest, or returns `null` when nothing changed for
 * any cluster (no email is due). Pure: the same input gives the same text.
 *
 * The body lists the clusters that need action worst first (changed ones
 * before unchanged ones of the same severity), then the recoveries, then
 * the dashboard link. Within {@link MAX_BODY_BYTES} of UTF-8 the worst
 * clusters are shown in full, the rest in one line each, and what does not
 * fit even so is counted.
 */
export function composeDigest(input: DigestInput): DigestEmail | null {
  const { assessments } = input;
  if (!assessments.some((a) => a.triggers.length > 0)) return null;
  const listed = assessments
    .filter(
      (a) =>
        a.needsAction ||
        a.triggers.some((t) => t.kind !== 'recovered' && t.kind !== 'reminder'),
    )
    .sort(worstFirst);
  const recovered = assessments.filter((a) =>
    a.triggers.some((t) => t.kind === 'recovered'),
  );
  const needAction = listed.filter((a) => a.needsAction);
  const severity = worstSeverity(needAction.map((a) => a.cluster.severity));
  const onlyOne =
    needAction.length === 1
      ? needAction[0]
      : needAction.length === 0 && recovered.length === 1
        ? recovered[0]
        : undefined;
  const subject = digestSubject({
    severity,
    needAction: needAction.length,
    onlyName: onlyOne?.cluster.name ?? null,
    recovered: recovered.length,
    accountId: input.accountId,
  });
  const body = fitToByteCap({
    header: header(input, needAction.length, recovered.length),
    entries: listed.map((a) => ({
      full: renderClusterEntry(a),
      short: renderSummaryLine(a),
    })),
    recoveries: recovered.map(renderRecoveryLine),
    footer: footer(input.dashboardUrl),
    maxBytes: input.maxBodyBytes ?? MAX_BODY_BYTES,
  });
  return {
    subject,
    body,
    severity,
    clusterKeys: [...listed, ...recovered].map((a) => a.key),
  };
}

function worstFirst(a: ClusterAssessment, b: ClusterAssessment): number {
  const bySeverity =
    severityRank(b.cluster.severity) - severityRank(a.cluster.severity);
  if (bySeverity !== 0) return bySeverity;
  const byChange =
    Number(b.triggers.length > 0) - Number(a.triggers.length > 0);
  if (byChange !== 0) return byChange;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function header(
  input: DigestInput,
  needAction: number,
  recovered: number,
): string {
  const { report, assessments } = input;
  const account = cleanText(input.accountId, 80);
  const bySeverity = (['critical', 'unknown', 'warning'] as const)
    .map((level) => ({
      level,
      count: assessments.filter(
        (a) => a.needsAction && a.cluster.severity === level,
      ).length,
    }))
    .filter(({ count }) => count > 0)
    .map(({ level, count }) => `${count.toLocaleString('en-US')} ${level}`);
  const lines = [
    `EKS certificate audit of account ${account}, run of ${report.checkedAt}`,
    '',
    needAction > 0
      ? `${plural(needAction, 'cluster')} need action: ${bySeverity.join(', ')}.`
      : 'No cluster needs action.',
  ];
  if (recovered > 0) {
    lines.push(`${plural(recovered, 'cluster')} recovered.`);
  }
  const notes: string[] = [];
  const unreadable = assessments.filter((a) => a.stateUnreadable).length;
  if (unreadable > 0) {
    notes.push(
      `The alert state could not be read for ${plural(unreadable, 'cluster')}: ` +
        'every one of them that needs action is reported as if it were new, ' +
        'and recoveries among them cannot be told.',
    );
  }
  const waiting = assessments.filter((a) => !a.counts).length;
  if (waiting > 0) {
    notes.push(
      `${plural(waiting, 'cluster')} did not answer in this run and ` +
        `${waiting === 1 ? 'is' : 'are'} not reported yet: unreachable ` +
        `clusters count after ${input.unreachableAlertRuns} unreachable ` +
        'runs in a row.',
    );
  }
  const failed = report.regions.filter((r) => r.status === 'failed');
  if (report.partial) {
    const where =
      failed.length > 0
        ? ` (failed regions: ${failed.map((r) => cleanText(r.region, 40)).join(', ')})`
        : '';
    notes.push(
      `This run was partial${where}: clusters it did not reach are not in ` +
        'this digest.',
    );
  }
  for (const note of notes) lines.push('', ...wrapText(note, '', ''));
  lines.push(
    '',
    `Audited ${plural(report.summary.clusters, 'cluster')}; worst first below.`,
  );
  return `${lines.join('\n')}\n`;
}

function footer(dashboardUrl: string | null): string {
  const lines = [
    '',
    'eks-cert-audit sends this digest only when something changed for a',
    'cluster, or when a critical one is due for its reminder.',
  ];
  if (dashboardUrl !== null) {
    lines.push('', 'Dashboard:', `  ${cleanText(dashboardUrl, 2000)}`);
  }
  return `${lines.join('\n')}\n`;
}
