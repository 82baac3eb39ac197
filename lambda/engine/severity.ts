import {
  type Reason,
  type ReasonLevel,
  SEVERITIES,
  type Severity,
  type Verdict,
} from './types.js';

/** Rank of a severity: 0 ok, 1 warning, 2 unknown, 3 critical. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** The worst of some severities; `ok` for none. */
export function worstSeverity(severities: Iterable<Severity>): Severity {
  let worst: Severity = 'ok';
  for (const severity of severities) {
    if (severityRank(severity) > severityRank(worst)) worst = severity;
  }
  return worst;
}

/** The severity a reason level raises a cluster to; `info` raises nothing. */
export function severityOfLevel(level: ReasonLevel): Severity {
  return level === 'info' ? 'ok' : level;
}

/**
 * The severity of a cluster from its verdict and reasons (design section 4):
 * `untrusted` is always critical; every other verdict takes the worst level
 * among its reasons, so `unreachable` is at least `unknown` through its
 * connection reason.
 */
export function severityOf(
  verdict: Verdict,
  reasons: readonly Reason[],
): Severity {
  if (verdict === 'untrusted') return 'critical';
  return worstSeverity(reasons.map((reason) => severityOfLevel(reason.level)));
}

/** Exit status of the CLI: the monitoring-plugin codes. */
export const EXIT_CODES: Readonly<Record<Severity, number>> = Object.freeze({
  ok: 0,
  warning: 1,
  critical: 2,
  unknown: 3,
});
