import { remedyFor } from '../alerts/remedies.js';
import type {
  AuditReport,
  CertificateFacts,
  ClusterReport,
  Reason,
} from '../engine/types.js';

/**
 * Renders a report for a terminal: a table of the clusters, worst first,
 * then the reasons and certificate facts of each cluster that is not ok
 * (of every cluster when there is only one).
 */
export function renderTextReport(report: AuditReport): string {
  const lines: string[] = [];
  const single = report.clusters.length === 1 && report.regions.length === 0;

  if (!single) {
    lines.push(...renderTable(report.clusters), '');
  }
  const detailed = single
    ? report.clusters
    : report.clusters.filter((c) => c.severity !== 'ok' || hasNotice(c));
  for (const cluster of detailed) {
    lines.push(...renderCluster(cluster), '');
  }
  for (const region of report.regions) {
    if (region.status === 'failed') {
      lines.push(`Region ${region.region} failed: ${region.error}`);
    } else if (region.rotationStateAvailable === false) {
      lines.push(
        `Region ${region.region}: CA rotation state unavailable (the rotation calls were denied or unknown).`,
      );
    }
  }
  lines.push(renderSummary(report));
  return `${lines.map(printable).join('\n')}\n`;
}

// C0 and C1 controls, DEL, line and paragraph separators and bidirectional
// overrides: what a terminal would act on instead of printing.
const CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Escapes control characters as `\xNN` / `\uNNNN`. Names and messages come
 * from certificates a hostile server chose: printed raw, a line break or
 * an escape sequence in a SAN could draw a fake "TRUSTED" line or rewrite
 * the screen.
 */
export function printable(line: string): string {
  return line.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function hasNotice(cluster: ClusterReport): boolean {
  return cluster.verdict !== 'trusted';
}

function renderTable(clusters: readonly ClusterReport[]): string[] {
  const header = [
    'CLUSTER',
    'REGION',
    'VERDICT',
    'SEVERITY',
    'CERT DAYS',
    'CA DAYS',
    'REASONS',
  ];
  const rows = clusters.map((cluster) => [
    cluster.name ?? cluster.endpoint ?? '-',
    cluster.region ?? '-',
    cluster.verdict,
    cluster.severity,
    days(cluster.serverCertificate?.daysToExpiry ?? null),
    days(
      cluster.certificateAuthorities.find((ca) => ca.signing)?.daysToExpiry ??
        null,
    ),
    cluster.reasons
      .filter((r) => r.level !== 'info')
      .map((r) => r.code)
      .join(',') || '-',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const format = (row: readonly string[]): string =>
    row
      .map((cell, column) =>
        column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)];
}

function renderCluster(cluster: ClusterReport): string[] {
  const title = [cluster.name, cluster.region].filter(Boolean).join(' in ');
  const lines = [
    `${title || cluster.endpoint || 'certificate chain'}: ${cluster.verdict.toUpperCase()} (${cluster.severity})`,
  ];
  if (cluster.endpoint !== null)
    lines.push(`  endpoint     ${cluster.endpoint}`);
  if (cluster.tls !== null) {
    lines.push(
      `  tls          ${cluster.tls.protocol ?? '?'} ${cluster.tls.cipher ?? ''}`.trimEnd(),
    );
  }
  for (const reason of cluster.reasons) lines.push(renderReason(reason));
  const actionable = [
    ...new Set(
      cluster.reasons.filter((r) => r.level !== 'info').map((r) => r.code),
    ),
  ];
  for (const code of actionable) {
    lines.push(`  WHAT TO DO (${code}): ${remedyFor(code)}`);
  }
  if (cluster.serverCertificate !== null) {
    lines.push(...renderCertificate('serving', cluster.serverCertificate));
  }
  for (const intermediate of cluster.intermediates) {
    lines.push(...renderCertificate('intermediate', intermediate));
  }
  for (const ca of cluster.certificateAuthorities) {
    const role = [
      ca.signing ? 'signing' : null,
      ca.anchorsPath ? 'anchors the chain' : null,
      ca.rotation?.signingStatus ?? null,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(...renderCertificate(`CA${role ? ` (${role})` : ''}`, ca));
  }
  return lines;
}

function renderReason(reason: Reason): string {
  return `  ${reason.level.toUpperCase().padEnd(8)} ${reason.code}: ${reason.message}`;
}

function renderCertificate(label: string, facts: CertificateFacts): string[] {
  const key =
    facts.keyBits === null
      ? facts.keyType
      : `${facts.keyType} ${facts.keyBits}`;
  return [
    `  ${label}: ${facts.subject} (issuer ${facts.issuer})`,
    `    valid ${facts.notBefore} to ${facts.notAfter} (${lifeLeft(facts.daysToExpiry)})`,
    `    ${key}, ${facts.signatureAlgorithm}, SHA-256 ${facts.fingerprintSha256}`,
    ...(facts.subjectAltNames.length > 0
      ? [`    SANs ${facts.subjectAltNames.join(', ')}`]
      : []),
  ];
}

function renderSummary(report: AuditReport): string {
  const { summary } = report;
  const verdicts = Object.entries(summary.byVerdict)
    .filter(([, count]) => count > 0)
    .map(([verdict, count]) => `${count} ${verdict}`)
    .join(', ');
  const partial = report.partial ? ' (partial run)' : '';
  return `${summary.clusters} checked at ${report.checkedAt}: ${verdicts || 'nothing found'}; worst severity ${summary.worstSeverity}${partial}.`;
}

function lifeLeft(daysToExpiry: number): string {
  return daysToExpiry < 0
    ? `expired ${days(-daysToExpiry)} days ago`
    : `${days(daysToExpiry)} days left`;
}

function days(value: number | null): string {
  return value === null ? '-' : value.toFixed(1);
}
