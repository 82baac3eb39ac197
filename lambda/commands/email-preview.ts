import { previewEmail } from '../alerts/plan-run.js';
import type { AuditConfig } from '../config.js';
import type { AuditReport } from '../engine/types.js';

/**
 * The text `--email-preview` prints: the subject and body of the digest
 * this run would send as a first run (no stored alert state is read), or a
 * line saying that no email would be sent.
 */
export function renderEmailPreview(
  report: AuditReport,
  accountId: string,
  config: AuditConfig,
  now: Date,
): string {
  const email = previewEmail(report, accountId, config, null, now);
  return formatEmail(email, 'no cluster needs action');
}

/** Formats a composed digest, or its absence, for the terminal. */
export function formatEmail(
  email: { readonly subject: string; readonly body: string } | null,
  whyNone: string,
): string {
  if (email === null) return `No email: ${whyNone}.\n`;
  const body = email.body.endsWith('\n') ? email.body : `${email.body}\n`;
  return `Subject: ${email.subject}\n\n${body}`;
}
