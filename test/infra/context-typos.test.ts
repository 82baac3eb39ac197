import { describe, expect, it } from 'vitest';
import { createAuditApp } from '../../infra/audit-app.js';
import { misspeltContextKeys } from '../../infra/context.js';

describe('misspeltContextKeys', () => {
  it.each([
    [['alertEmail'], [{ key: 'alertEmail', suggestion: 'alertEmails' }]],
    [['regionz'], [{ key: 'regionz', suggestion: 'regions' }]],
    [['Schedule'], [{ key: 'Schedule', suggestion: 'schedule' }]],
    [['alertEmails', 'regions'], []],
    [['cli-telemetry', 'aws:cdk:enable-path-metadata', '@aws-cdk/core:x'], []],
  ])('finds the typos in %j', (keys, expected) => {
    expect(misspeltContextKeys(keys)).toEqual(expected);
  });
});

describe('createAuditApp', () => {
  it('stops on a misspelt context key instead of ignoring the setting', () => {
    const act = () =>
      createAuditApp({ context: { alertEmail: 'oncall@example.org' } });

    expect(act).toThrow(
      'unknown context key alertEmail: did you mean alertEmails?',
    );
  });
});
