import { describe, expect, it } from 'vitest';
import type {
  ClusterAlertState,
  StateSnapshot,
} from '../../lambda/alerts/alert-state.js';
import { planRun, statesAfterRun } from '../../lambda/alerts/plan-run.js';
import type { AuditReport } from '../../lambda/engine/types.js';
import {
  ACCOUNT,
  authority,
  cluster,
  later,
  NOW,
  reason,
  report,
  SHAPES,
} from './report-fixtures.js';

const CONFIG = Object.freeze({
  reminderHours: 24,
  unreachableAlertRuns: 2,
  dashboardUrl: null,
});

/** The body with every run of white space as one space. */
function flat(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ');
}

/** Runs reports one after another over one in-memory alert state. */
function fleetHistory() {
  const states = new Map<string, ClusterAlertState>();
  return {
    states,
    run(
      audit: AuditReport,
      at: Date,
      options: { emailSent?: boolean; unreadable?: readonly string[] } = {},
    ) {
      const snapshot: StateSnapshot = {
        states,
        unreadable: new Set(options.unreadable ?? []),
      };
      const plan = planRun(audit, ACCOUNT, CONFIG, snapshot, at);
      const emailSent = plan.email !== null && (options.emailSent ?? true);
      for (const state of statesAfterRun(
        plan,
        { emailSent, topicConfigured: true },
        at,
      )) {
        states.set(state.clusterKey, state);
      }
      return plan;
    },
  };
}

describe('the digest over state transitions', () => {
  it('reports every cluster that needs action on a first run, worst first', () => {
    const history = fleetHistory();

    const plan = history.run(
      report([
        cluster('staging', SHAPES.caSoon),
        cluster('prod', SHAPES.expired),
        cluster('quiet'),
      ]),
      NOW,
    );

    expect(plan.email?.subject).toBe(
      '[CRITICAL] EKS certificates: 2 clusters need action in 111122223333',
    );
    const body = plan.email?.body ?? '';
    expect(body.indexOf('CRITICAL: prod')).toBeGreaterThan(0);
    expect(body.indexOf('WARNING: staging')).toBeGreaterThan(
      body.indexOf('CRITICAL: prod'),
    );
    expect(body).not.toContain('quiet');
    expect(body).toContain('eks-cert-audit check prod --region eu-west-1');
    expect(plan.email?.severity).toBe('critical');
  });

  it('sends nothing when nothing changed since the last run', () => {
    const history = fleetHistory();
    const audit = report([cluster('prod', SHAPES.expired)]);
    history.run(audit, NOW);

    const plan = history.run(audit, later(6));

    expect(plan.email).toBeNull();
  });

  it('reports a cluster whose severity rose', () => {
    const history = fleetHistory();
    history.run(report([cluster('prod', SHAPES.caSoon)]), NOW);

    const plan = history.run(
      report([cluster('prod', SHAPES.caCritical)]),
      later(6),
    );

    expect(plan.assessments[0]?.triggers).toContainEqual({
      kind: 'severity-rose',
      from: 'warning',
      to: 'critical',
    });
    expect(plan.email?.body).toContain(
      'severity rose from warning to critical',
    );
  });

  it('reports a gained warning reason at an unchanged severity', () => {
    const history = fleetHistory();
    history.run(report([cluster('prod', SHAPES.caSoon)]), NOW);
    const weak = {
      ...SHAPES.caSoon,
      reasons: [
        ...(SHAPES.caSoon.reasons ?? []),
        reason('WEAK_SIGNATURE', 'warning'),
      ],
    };

    const plan = history.run(report([cluster('prod', weak)]), later(6));

    expect(plan.email?.body).toContain('new finding WEAK_SIGNATURE (warning)');
  });

  it('reports a recovery to ok in its own section', () => {
    const history = fleetHistory();
    history.run(
      report([cluster('prod', SHAPES.expired), cluster('dev', SHAPES.caSoon)]),
      NOW,
    );

    const plan = history.run(
      report([cluster('prod'), cluster('dev', SHAPES.caSoon)]),
      later(6),
    );

    expect(plan.email?.subject).toBe(
      '[WARNING] EKS certificates: dev needs action in 111122223333',
    );
    expect(plan.email?.body).toMatch(
      /Recovered:\n {2}prod \(eu-west-1\), account 111122223333: ok again, was critical/,
    );
  });

  it('names a recovery in the subject when it is the only news', () => {
    const history = fleetHistory();
    history.run(report([cluster('prod', SHAPES.caSoon)]), NOW);

    const plan = history.run(report([cluster('prod')]), later(6));

    expect(plan.email?.subject).toBe(
      '[OK] EKS certificates: prod recovered in 111122223333',
    );
  });

  it('reminds of a still-critical cluster once the reminder is due', () => {
    const history = fleetHistory();
    const audit = report([cluster('prod', SHAPES.expired)]);
    history.run(audit, NOW);

    const quiet = [6, 12, 18].map((h) => history.run(audit, later(h)).email);
    const reminder = history.run(audit, later(24));
    const after = history.run(audit, later(30));

    expect(quiet).toEqual([null, null, null]);
    expect(reminder.email?.body).toContain(
      'still critical since the digest of 2026-03-01T06:00:00Z (reminder)',
    );
    expect(after.email).toBeNull();
  });

  it('does not remind of a warning', () => {
    const history = fleetHistory();
    const audit = report([cluster('prod', SHAPES.caSoon)]);
    history.run(audit, NOW);

    expect(history.run(audit, later(48)).email).toBeNull();
  });

  it('waits for the second unreachable run in a row before reporting it', () => {
    const history = fleetHistory();
    const down = report([cluster('prod', SHAPES.unreachable)]);

    const once = history.run(down, NOW);
    const twice = history.run(down, later(6));
    const thrice = history.run(down, later(12));

    expect(once.email).toBeNull();
    expect(twice.email?.subject).toBe(
      '[UNKNOWN] EKS certificates: prod needs action in 111122223333',
    );
    expect(thrice.email).toBeNull();
  });

  it('forgets an unreachable run that the next run contradicts', () => {
    const history = fleetHistory();
    history.run(report([cluster('prod', SHAPES.unreachable)]), NOW);
    history.run(report([cluster('prod')]), later(6));

    const plan = history.run(
      report([cluster('prod', SHAPES.unreachable)]),
      later(12),
    );

    expect(plan.email).toBeNull();
    expect(plan.assessments[0]?.consecutiveUnreachableRuns).toBe(1);
  });

  it('tells of unreachable clusters that are not reported yet', () => {
    const history = fleetHistory();

    const plan = history.run(
      report([
        cluster('prod', SHAPES.expired),
        cluster('gone', SHAPES.unreachable),
      ]),
      NOW,
    );

    expect(plan.email?.body).toContain(
      '1 cluster did not answer in this run and is not reported yet',
    );
    expect(plan.email?.body).not.toContain('UNKNOWN: gone');
  });

  it('reports a successor CA the first time it is seen, though info', () => {
    const history = fleetHistory();
    history.run(report([cluster('prod')]), NOW);
    const successor = {
      extraCas: [authority(3650, 'CB', false)],
      reasons: [reason('SUCCESSOR_CA_PRESENT', 'info')],
    };

    const first = history.run(report([cluster('prod', successor)]), later(6));
    const again = history.run(report([cluster('prod', successor)]), later(12));

    expect(first.email?.subject).toBe(
      '[OK] EKS certificates: CA rotation news in 111122223333',
    );
    expect(first.email?.body).toContain(
      'CA rotation: SUCCESSOR_CA_PRESENT (info)',
    );
    expect(again.email).toBeNull();
  });

  it('adds SIGNING_CA_CHANGED when the signing CA differs from the last run', () => {
    const history = fleetHistory();
    history.run(report([cluster('prod', { caByte: 'C1' })]), NOW);

    const plan = history.run(
      report([cluster('prod', { caByte: 'C2' })]),
      later(6),
    );

    const prod = plan.report.clusters[0];
    expect(prod?.reasons.map((r) => r.code)).toEqual(['SIGNING_CA_CHANGED']);
    expect(prod?.severity).toBe('warning');
    expect(plan.report.summary.bySeverity.warning).toBe(1);
    expect(flat(plan.email?.body)).toContain(
      'CA rotation: SIGNING_CA_CHANGED (warning)',
    );
  });

  it('reports an activation deadline crossing into a higher level', () => {
    const history = fleetHistory();
    const soon = (level: 'warning' | 'critical') => ({
      reasons: [reason('CA_AUTO_ACTIVATION_SOON', level)],
    });
    history.run(report([cluster('prod', soon('warning'))]), NOW);

    const same = history.run(
      report([cluster('prod', soon('warning'))]),
      later(6),
    );
    const higher = history.run(
      report([cluster('prod', soon('critical'))]),
      later(12),
    );

    expect(same.email).toBeNull();
    expect(flat(higher.email?.body)).toContain(
      'CA rotation: CA_AUTO_ACTIVATION_SOON rose from warning to critical',
    );
  });

  it('reports every cluster that needs action when state is unreadable', () => {
    const history = fleetHistory();
    const audit = report([cluster('prod', SHAPES.caSoon), cluster('dev')]);
    history.run(audit, NOW);

    const plan = history.run(audit, later(6), {
      unreadable: ['111122223333/eu-west-1/prod', '111122223333/eu-west-1/dev'],
    });

    expect(plan.email?.subject).toBe(
      '[WARNING] EKS certificates: prod needs action in 111122223333',
    );
    expect(plan.email?.body).toContain(
      'The alert state could not be read for 2 clusters',
    );
    expect(plan.email?.body).toContain(
      'alert state unreadable, so reported as if new',
    );
    expect(plan.email?.body).not.toContain('dev (eu-west-1)');
  });

  it('sends no mail for info reasons', () => {
    const history = fleetHistory();
    const plan = history.run(
      report([
        cluster('prod', {
          reasons: [reason('CA_MISSING_KEY_IDENTIFIERS', 'info')],
        }),
        cluster('private', {
          verdict: 'skipped',
          serverDays: null,
          reasons: [reason('PRIVATE_ENDPOINT', 'info')],
        }),
      ]),
      NOW,
    );

    expect(plan.email).toBeNull();
  });

  it('does not call a cluster absent from the report recovered', () => {
    const history = fleetHistory();
    history.run(
      report([cluster('prod', SHAPES.expired), cluster('dev', SHAPES.caSoon)]),
      NOW,
    );

    const plan = history.run(report([cluster('dev', SHAPES.caSoon)]), later(6));

    expect(plan.email).toBeNull();
    expect(history.states.get('111122223333/eu-west-1/prod')?.severity).toBe(
      'critical',
    );
  });

  it('finds the same change again after a digest that was not sent', () => {
    const history = fleetHistory();
    const audit = report([cluster('prod', SHAPES.expired)]);
    history.run(audit, NOW, { emailSent: false });

    const retry = history.run(audit, later(6));

    expect(retry.email?.subject).toBe(
      '[CRITICAL] EKS certificates: prod needs action in 111122223333',
    );
  });

  it('says when the run was partial', () => {
    const plan = fleetHistory().run(
      report([cluster('prod', SHAPES.expired)], {
        partial: true,
        regions: [
          {
            region: 'us-east-1',
            status: 'failed',
            error: 'AccessDenied',
            rotationStateAvailable: null,
          },
        ],
      }),
      NOW,
    );

    expect(plan.email?.body).toContain(
      'This run was partial (failed regions: us-east-1)',
    );
  });
});
