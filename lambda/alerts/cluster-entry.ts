import type {
  CertificateFacts,
  ClusterReport,
  ReasonCode,
} from '../engine/types.js';
import type { ChangeTrigger, ClusterAssessment } from './assess-changes.js';
import { remedyFor } from './remedies.js';
import {
  cleanText,
  daysInWords,
  fingerprintLines,
  shellWord,
  wrapText,
} from './text-layout.js';

const RULE = '-'.repeat(72);

/**
 * The full digest entry of one cluster: what changed, where it is, what is
 * wrong in plain words, the certificate facts, what to do, and the command
 * that reproduces the check. Lines stay within 76 characters except an
 * unbreakable endpoint URL or word.
 */
export function renderClusterEntry(assessment: ClusterAssessment): string {
  const { cluster } = assessment;
  const lines: string[] = [
    `${cluster.severity.toUpperCase()}: ${clusterLabel(cluster)}`,
    RULE,
    ...wrapText(describeChange(assessment), 'Changed: ', '  '),
    `Account: ${cleanText(cluster.accountId ?? 'unknown', 80)}`,
    `Region: ${cleanText(cluster.region ?? 'none', 80)}`,
    'Endpoint:',
    `  ${cleanText(cluster.endpoint ?? 'none', 300)}`,
    `Verdict: ${cluster.verdict}, severity ${cluster.severity}`,
  ];
  const reasons = cluster.reasons.filter((reason) => reason.level !== 'info');
  const notes = cluster.reasons.filter((reason) => reason.level === 'info');
  // Info reasons are facts, not problems: they go under their own
  // heading so that "What is wrong" holds only what needs action.
  const sections: Array<[string, typeof reasons]> = [
    ['What is wrong:', reasons],
    ['Also noted:', notes],
  ];
  for (const [heading, list] of sections) {
    if (list.length === 0) continue;
    lines.push('', heading);
    for (const reason of list) {
      lines.push(
        ...wrapText(
          `${reason.code} (${reason.level}): ${reason.message}`,
          '  - ',
          '    ',
        ),
      );
    }
  }
  lines.push('', 'Facts:', ...certificateFacts(cluster));
  const codes = uniqueCodes(cluster);
  if (codes.length > 0) {
    lines.push('', 'What to do:');
    for (const code of codes) {
      lines.push(...wrapText(`${code}: ${remedyFor(code)}`, '  - ', '    '));
    }
  }
  const command = reproduceCommand(cluster);
  if (command !== null) lines.push('', 'Check again with:', `  ${command}`);
  return `${lines.join('\n')}\n`;
}

/** One line for a cluster the digest has no room to show in full. */
export function renderSummaryLine(assessment: ClusterAssessment): string {
  const { cluster } = assessment;
  const codes = cluster.reasons
    .filter((reason) => reason.level !== 'info')
    .map((reason) => reason.code);
  const what = codes.length > 0 ? codes.join(', ') : cluster.verdict;
  const severity = cluster.severity.toUpperCase().padEnd(8);
  return `  ${severity} ${clusterLabel(cluster)}: ${cleanText(what, 300)}\n`;
}

/** One line for a cluster that recovered to `ok`. */
export function renderRecoveryLine(assessment: ClusterAssessment): string {
  const recovered = assessment.triggers.find(
    (trigger) => trigger.kind === 'recovered',
  );
  const from = recovered?.kind === 'recovered' ? recovered.from : 'not ok';
  const account = cleanText(assessment.cluster.accountId ?? 'unknown', 80);
  return `  ${clusterLabel(assessment.cluster)}, account ${account}: ok again, was ${from}\n`;
}

/** `name (region)`, made safe for one line. */
export function clusterLabel(cluster: ClusterReport): string {
  const name = cleanText(cluster.name ?? cluster.endpoint ?? '(unnamed)', 120);
  return cluster.region === null
    ? name
    : `${name} (${cleanText(cluster.region, 40)})`;
}

/** What changed for a cluster since the last run, in plain words. */
export function describeChange(assessment: ClusterAssessment): string {
  if (assessment.triggers.length === 0) {
    const since = assessment.previous?.changedAt;
    return since === undefined
      ? 'nothing new since the last digest'
      : `nothing new; unchanged since ${since}`;
  }
  // A cluster seen for the first time has nothing but new findings; they
  // are listed under "What is wrong" and need no words here.
  const firstSeen = assessment.triggers.some(
    (t) => t.kind === 'severity-rose' && t.from === null,
  );
  return assessment.triggers
    .filter((t) => !(firstSeen && t.kind === 'reason-gained'))
    .map(describeTrigger)
    .join('; ');
}

function describeTrigger(trigger: ChangeTrigger): string {
  switch (trigger.kind) {
    case 'severity-rose':
      return trigger.from === null
        ? `first seen, ${trigger.to}`
        : `severity rose from ${trigger.from} to ${trigger.to}`;
    case 'reason-gained':
      return trigger.from === null
        ? `new finding ${trigger.code} (${trigger.level})`
        : `${trigger.code} rose from ${trigger.from} to ${trigger.level}`;
    case 'rotation':
      return trigger.from === null || trigger.code === 'SIGNING_CA_CHANGED'
        ? `CA rotation: ${trigger.code} (${trigger.level})`
        : `CA rotation: ${trigger.code} rose from ${trigger.from} to ` +
            trigger.level;
    case 'recovered':
      return `recovered, was ${trigger.from}`;
    case 'reminder':
      return trigger.notifiedAt === null
        ? 'still critical (reminder)'
        : `still critical since the digest of ${trigger.notifiedAt} (reminder)`;
    case 'state-unreadable':
      return 'alert state unreadable, so reported as if new';
  }
}

function certificateFacts(cluster: ClusterReport): string[] {
  const lines: string[] = [];
  if (cluster.serverCertificate !== null) {
    lines.push(
      ...certificateLines('Serving certificate', cluster.serverCertificate),
    );
  } else {
    lines.push('  Serving certificate: none seen');
  }
  for (const ca of cluster.certificateAuthorities) {
    const role = ca.signing ? 'Signing CA' : 'Other CA of the bundle';
    lines.push(...certificateLines(role, ca));
    const rotation = ca.rotation;
    if (rotation?.finalAutoActivation) {
      lines.push(
        `    final automatic activation ${cleanText(rotation.finalAutoActivation, 40)}`,
      );
    }
  }
  if (cluster.certificateAuthorities.length === 0) {
    lines.push('  Cluster CA: none usable');
  }
  return lines;
}

function certificateLines(role: string, facts: CertificateFacts): string[] {
  const [first = '', ...rest] = fingerprintLines(facts.fingerprintSha256);
  const issuer =
    facts.issuer === facts.subject
      ? []
      : wrapText(cleanText(facts.issuer, 300), '    issued by ', '      ');
  return [
    ...wrapText(cleanText(facts.subject, 300), `  ${role}: `, '    '),
    ...issuer,
    `    not after ${facts.notAfter} (${daysInWords(facts.daysToExpiry)})`,
    `    SHA-256 ${first}`,
    ...rest.map((line) => `            ${line}`),
  ];
}

function uniqueCodes(cluster: ClusterReport): ReasonCode[] {
  const codes = cluster.reasons
    .filter(
      (reason) =>
        reason.level !== 'info' || reason.code === 'SUCCESSOR_CA_PRESENT',
    )
    .map((reason) => reason.code);
  return [...new Set(codes)];
}

/** The CLI command that runs the same check for this cluster, or `null`. */
export function reproduceCommand(cluster: ClusterReport): string | null {
  if (cluster.name !== null && cluster.region !== null) {
    return (
      `eks-cert-audit check ${shellWord(cleanText(cluster.name, 300))} ` +
      `--region ${shellWord(cleanText(cluster.region, 40))}`
    );
  }
  if (cluster.endpoint !== null) {
    return (
      `eks-cert-audit probe ${shellWord(cleanText(cluster.endpoint, 300))} ` +
      '--ca CA_FILE'
    );
  }
  return null;
}
