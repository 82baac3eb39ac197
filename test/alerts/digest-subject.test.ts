import { describe, expect, it } from 'vitest';
import {
  digestSubject,
  sanitizeSubject,
} from '../../lambda/alerts/digest-subject.js';

const VALID_SUBJECT = /^[\x20-\x7e]{1,99}$/;

describe('digestSubject', () => {
  it.each([
    [
      'ASCII name',
      'prod',
      '[CRITICAL] EKS certificates: prod needs action in 111122223333',
    ],
    [
      'accented name',
      'prödúction',
      '[CRITICAL] EKS certificates: production needs action in 111122223333',
    ],
    [
      'CJK name',
      '集群-a',
      '[CRITICAL] EKS certificates: ??-a needs action in 111122223333',
    ],
    [
      'emoji name',
      'prod🔥',
      '[CRITICAL] EKS certificates: prod? needs action in 111122223333',
    ],
    [
      'name with a line break',
      'prod\r\nBcc: x@example.com',
      '[CRITICAL] EKS certificates: prod Bcc: x@example.com needs action in 111122223333',
    ],
    [
      'name with a tab and NUL',
      'a\tb\u0000c',
      '[CRITICAL] EKS certificates: a b c needs action in 111122223333',
    ],
    [
      'name with a line separator',
      'a\u2028b',
      '[CRITICAL] EKS certificates: a b needs action in 111122223333',
    ],
  ])('keeps a subject printable ASCII for a %s', (_label, name, expected) => {
    const subject = digestSubject({
      severity: 'critical',
      needAction: 1,
      onlyName: name,
      recovered: 0,
      accountId: '111122223333',
    });

    expect(subject).toBe(expected);
    expect(subject).toMatch(VALID_SUBJECT);
  });

  it('shortens a very long name and keeps the severity and account', () => {
    const subject = digestSubject({
      severity: 'warning',
      needAction: 1,
      onlyName: 'x'.repeat(500),
      recovered: 0,
      accountId: '111122223333',
    });

    expect(subject).toMatch(VALID_SUBJECT);
    expect(subject).toHaveLength(99);
    expect(subject.startsWith('[WARNING] EKS certificates: xxx')).toBe(true);
    expect(subject.endsWith('... needs action in 111122223333')).toBe(true);
  });

  it('counts clusters when more than one needs action', () => {
    const subject = digestSubject({
      severity: 'unknown',
      needAction: 1234,
      onlyName: null,
      recovered: 3,
      accountId: '111122223333',
    });

    expect(subject).toBe(
      '[UNKNOWN] EKS certificates: 1234 clusters need action in 111122223333',
    );
  });

  it('cuts a subject that is too long even without a name', () => {
    const subject = digestSubject({
      severity: 'critical',
      needAction: 2,
      onlyName: null,
      recovered: 0,
      accountId: `9${'\n'.repeat(3)}${'9'.repeat(200)}`,
    });

    expect(subject).toMatch(VALID_SUBJECT);
    expect(subject.endsWith('...')).toBe(true);
  });
});

describe('sanitizeSubject', () => {
  it.each([
    ['', 'EKS certificate audit'],
    ['\n\t\u0007', 'EKS certificate audit'],
    ['Résumé\nline two', 'Resume line two'],
    ['  padded  ', 'padded'],
  ])('makes %j a valid subject', (text, expected) => {
    expect(sanitizeSubject(text)).toBe(expected);
  });

  it('cuts text beyond 99 characters with an ellipsis', () => {
    const subject = sanitizeSubject('é'.repeat(300));

    expect(subject).toBe(`${'e'.repeat(96)}...`);
  });
});
