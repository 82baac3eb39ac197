import { createAuditApp } from './audit-app.js';

const { app } = createAuditApp();
const emails = app.node.tryGetContext('alertEmails');

if (emails === undefined || String(emails).trim() === '') {
  // Deploying without recipients is allowed (subscribe later), but a
  // forgotten -c alertEmails=… should not go unnoticed.
  process.stderr.write(
    'eks-cert-audit: no alertEmails given: digests and alarms go to the SNS topic, which nobody is subscribed to. Deploy with -c alertEmails=you@example.org to get them by email.\n',
  );
}
