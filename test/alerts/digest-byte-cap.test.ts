import { describe, expect, it } from 'vitest';
import { EMPTY_SNAPSHOT } from '../../lambda/alerts/alert-state.js';
import { MAX_BODY_BYTES } from '../../lambda/alerts/compose-digest.js';
import { fitToByteCap } from '../../lambda/alerts/fit-to-byte-cap.js';
import { planRun } from '../../lambda/alerts/plan-run.js';
import type { ClusterReport } from '../../lambda/engine/types.js';
import {
  ACCOUNT,
  cluster,
  NOW,
  reason,
  report,
  SHAPES,
} from './report-fixtures.js';

const CONFIG = {
  reminderHours: 24,
  unreachableAlertRuns: 2,
  dashboardUrl: 'https://example.com/dashboard',
};

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** 2,000 failing clusters: 300 critical, 1,700 warning, non-ASCII names. */
function failingFleet(): ClusterReport[] {
  const long = 'The certificate authority expires soon; '.repeat(8);
  return Array.from({ length: 2000 }, (_, i) => {
    const name = `クラスタ-${String(i).padStart(4, '0')}`;
    return i % 20 < 3
      ? cluster(name, SHAPES.expired)
      : cluster(name, {
          caDays: 90,
          reasons: [
            reason('CA_EXPIRES_SOON', 'warning', long),
            reason('WEAK_SIGNATURE', 'warning', long),
          ],
        });
  });
}

describe('the digest byte cap', () => {
  it('keeps 2,000 failing clusters within 240 KiB, worst first', () => {
    const audit = report(failingFleet());

    const email = planRun(audit, ACCOUNT, CONFIG, EMPTY_SNAPSHOT, NOW).email;

    const body = email?.body ?? '';
    expect(bytes(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(email?.subject).toBe(
      '[CRITICAL] EKS certificates: 2000 clusters need action in 111122223333',
    );
    const [fullPart = '', shortPart = ''] = body.split(
      'More clusters that need action, in short:',
    );
    const fullCritical = fullPart.match(/^CRITICAL: /gm)?.length ?? 0;
    expect(fullCritical).toBeGreaterThan(0);
    expect(fullPart).toContain('Check again with:');
    expect(shortPart).not.toContain('Check again with:');
    const lastCritical = Math.max(
      body.lastIndexOf('CRITICAL: '),
      body.lastIndexOf('  CRITICAL '),
    );
    const firstWarning = Math.min(
      ...[body.indexOf('WARNING: '), body.indexOf('  WARNING ')].filter(
        (at) => at >= 0,
      ),
    );
    expect(lastCritical).toBeLessThan(firstWarning);
    const named = (body.match(/クラスタ-\d{4}/g) ?? []).length;
    const counted = Number(
      body.match(/\.\.\. and ([\d,]+) more, left out/)?.[1]?.replace(',', '') ??
        0,
    );
    expect(named + counted).toBeGreaterThanOrEqual(2000);
    expect(body.endsWith('Dashboard:\n  https://example.com/dashboard\n')).toBe(
      true,
    );
  });

  it('counts what does not fit even as one line', () => {
    const audit = report(failingFleet());

    const email = planRun(audit, ACCOUNT, CONFIG, EMPTY_SNAPSHOT, NOW);
    const small = fitToByteCap({
      header: 'header\n',
      entries: (email.email ? audit.clusters : []).map((c) => ({
        full: `FULL ${c.name}\n${'x'.repeat(2000)}\n`,
        short: `  short ${c.name}\n`,
      })),
      recoveries: [],
      footer: 'footer\n',
      maxBytes: 20 * 1024,
    });

    expect(bytes(small)).toBeLessThanOrEqual(20 * 1024);
    expect(small).toMatch(/^FULL /m);
    expect(small).toMatch(/^ {2}short /m);
    expect(small).toMatch(/\.\.\. and [\d,]+ more, left out for lack of room/);
    expect(small.endsWith('footer\n')).toBe(true);
  });

  it('shows every cluster in full when they fit', () => {
    const body = fitToByteCap({
      header: 'h\n',
      entries: [
        { full: 'A full\n', short: 'A\n' },
        { full: 'B full\n', short: 'B\n' },
      ],
      recoveries: ['  r\n'],
      footer: 'f\n',
      maxBytes: 1000,
    });

    expect(body).toBe('h\n\nA full\n\nB full\n\nRecovered:\n  r\nf\n');
  });

  it('never returns more bytes than the cap, whatever the parts hold', () => {
    const body = fitToByteCap({
      header: '€'.repeat(500),
      entries: [],
      recoveries: [],
      footer: '',
      maxBytes: 300,
    });

    expect(bytes(body)).toBeLessThanOrEqual(300);
    expect(body.endsWith('[cut to fit the size limit]\n')).toBe(true);
  });

  it('keeps the lines of a digest short enough for any mail client', () => {
    const email = planRun(
      report([cluster('prod', SHAPES.expired), cluster('dev', SHAPES.caSoon)]),
      ACCOUNT,
      CONFIG,
      EMPTY_SNAPSHOT,
      NOW,
    ).email;

    const long = (email?.body ?? '')
      .split('\n')
      .filter((line) => line.length > 78);
    expect(long).toEqual([]);
  });
});
