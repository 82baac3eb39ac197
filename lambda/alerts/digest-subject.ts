import type { Severity } from '../engine/types.js';

/** SNS takes subjects of fewer than 100 characters. */
export const MAX_SUBJECT_LENGTH = 99;

const FALLBACK_SUBJECT = 'EKS certificate audit';

/** What the subject line summarises. */
export interface SubjectFacts {
  /** Worst severity among the clusters that need action. */
  readonly severity: Severity;
  readonly needAction: number;
  /** The one cluster's name when exactly one needs action or recovered. */
  readonly onlyName: string | null;
  readonly recovered: number;
  readonly accountId: string;
}

/**
 * The digest's subject: printable ASCII, 1 to 99 characters, no line
 * breaks, whatever the names contain. A long cluster name is shortened
 * first so that the severity and the account stay readable.
 */
export function digestSubject(facts: SubjectFacts): string {
  const tag = `[${facts.severity.toUpperCase()}] EKS certificates:`;
  const account = ` in ${asciiOnly(facts.accountId) || 'unknown account'}`;
  let what: (name: string) => string;
  if (facts.needAction > 0) {
    what = (name) =>
      facts.needAction === 1 && name !== ''
        ? `${name} needs action`
        : `${facts.needAction} clusters need action`;
  } else if (facts.recovered > 0) {
    what = (name) =>
      facts.recovered === 1 && name !== ''
        ? `${name} recovered`
        : `${facts.recovered} clusters recovered`;
  } else {
    what = () => 'CA rotation news';
  }
  const name = asciiOnly(facts.onlyName ?? '');
  const full = asciiOnly(`${tag} ${what(name)}${account}`);
  if (full.length <= MAX_SUBJECT_LENGTH) return full;
  const room = MAX_SUBJECT_LENGTH - (full.length - name.length);
  if (name !== '' && room >= 8) {
    const short = `${name.slice(0, room - 3)}...`;
    return asciiOnly(`${tag} ${what(short)}${account}`);
  }
  return sanitizeSubject(full);
}

/**
 * Any text made into a valid SNS subject: accents dropped, other
 * non-ASCII characters as `?`, control characters and line breaks as one
 * space, cut to {@link MAX_SUBJECT_LENGTH} characters with `...`; an empty
 * result becomes a fixed subject.
 */
export function sanitizeSubject(text: string): string {
  const clean = asciiOnly(text);
  if (clean === '') return FALLBACK_SUBJECT;
  if (clean.length <= MAX_SUBJECT_LENGTH) return clean;
  return `${clean.slice(0, MAX_SUBJECT_LENGTH - 3).trimEnd()}...`;
}

function asciiOnly(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .replace(/[^\u0020-\u007e]/gu, '?')
    .replace(/ {2,}/g, ' ')
    .trim();
}
