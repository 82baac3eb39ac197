import { describe, expect, it } from 'vitest';
import { planRun, previewEmail } from '../../lambda/alerts/plan-run.js';
import { ACCOUNT, cluster, NOW, report, SHAPES } from './report-fixtures.js';

const CONFIG = {
  reminderHours: 24,
  unreachableAlertRuns: 2,
  dashboardUrl: null,
};

describe('previewEmail', () => {
  it('treats no state as a first run', () => {
    const audit = report([cluster('prod', SHAPES.expired)]);

    const preview = previewEmail(audit, ACCOUNT, CONFIG, null, NOW);

    expect(preview?.subject).toBe(
      '[CRITICAL] EKS certificates: prod needs action in 111122223333',
    );
    expect(preview?.body).toContain('Changed: first seen, critical');
  });

  it('is exactly the email a run would compose', () => {
    const audit = report([
      cluster('prod', SHAPES.expired),
      cluster('dev', SHAPES.caSoon),
    ]);

    const preview = previewEmail(audit, ACCOUNT, CONFIG, new Map(), NOW);
    const plan = planRun(
      audit,
      ACCOUNT,
      CONFIG,
      { states: new Map(), unreadable: new Set() },
      NOW,
    );

    expect(preview).toEqual({
      subject: plan.email?.subject,
      body: plan.email?.body,
    });
  });

  it('is null when no email would be sent', () => {
    const audit = report([cluster('prod')]);

    expect(previewEmail(audit, ACCOUNT, CONFIG, null, NOW)).toBeNull();
  });
});
