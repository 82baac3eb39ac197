/** The parts of a digest body, each already rendered. */
export interface BodyParts {
  readonly header: string;
  /** Clusters in order, worst first: a full entry and a one-line form. */
  readonly entries: readonly {
    readonly full: string;
    readonly short: string;
  }[];
  /** One line per recovered cluster. */
  readonly recoveries: readonly string[];
  readonly footer: string;
  readonly maxBytes: number;
}

const SHORT_HEADING = '\nMore clusters that need action, in short:\n';
const RECOVERY_HEADING = '\nRecovered:\n';

/**
 * Assembles a body of at most `maxBytes` bytes of UTF-8.
 *
 * Recoveries get at most an eighth of the budget. Of the rest, as many
 * entries as possible are shown in full while every remaining one still
 * fits as a line; when even the lines of all of them do not fit, half the
 * room goes to full entries, the rest to lines, and what remains is
 * counted. The worst clusters, which come first, are always the ones shown
 * in full.
 */
export function fitToByteCap(parts: BodyParts): string {
  const { entries, maxBytes } = parts;
  const recoveries = fitLines(
    parts.recoveries,
    Math.floor(maxBytes / 8),
    RECOVERY_HEADING,
    (n) => `  ... and ${n.toLocaleString('en-US')} more recovered.\n`,
  );
  const room =
    maxBytes - bytes(parts.header) - bytes(parts.footer) - bytes(recoveries);
  const full = entries.map((entry) => bytes(`\n${entry.full}`));
  const short = entries.map((entry) => bytes(entry.short));
  const n = entries.length;
  const fullUpTo = prefixSums(full);
  const shortUpTo = prefixSums(short);
  const restAsLines = (k: number): number =>
    k === n ? 0 : bytes(SHORT_HEADING) + (shortUpTo[n] - shortUpTo[k]);

  let shown = -1;
  for (let k = n; k >= Math.min(1, n); k -= 1) {
    if (fullUpTo[k] + restAsLines(k) <= room) {
      shown = k;
      break;
    }
  }
  let listed = n;
  if (shown < 0) {
    const reserve = bytes(SHORT_HEADING) + bytes(moreLine(n));
    shown = 0;
    while (shown < n && fullUpTo[shown + 1] <= room / 2) shown += 1;
    if (shown === 0 && n > 0 && fullUpTo[1] + reserve <= room) shown = 1;
    listed = shown;
    while (
      listed < n &&
      fullUpTo[shown] + reserve + (shortUpTo[listed + 1] - shortUpTo[shown]) <=
        room
    ) {
      listed += 1;
    }
  }

  let body = parts.header;
  for (const entry of entries.slice(0, shown)) body += `\n${entry.full}`;
  if (shown < n) {
    body += SHORT_HEADING;
    for (const entry of entries.slice(shown, listed)) body += entry.short;
    if (listed < n) body += moreLine(n - listed);
  }
  body += recoveries + parts.footer;
  return cutToBytes(body, maxBytes);
}

function moreLine(count: number): string {
  return (
    `  ... and ${count.toLocaleString('en-US')} more, left out for ` +
    'lack of room: see the dashboard or run eks-cert-audit audit.\n'
  );
}

function fitLines(
  lines: readonly string[],
  budget: number,
  heading: string,
  more: (count: number) => string,
): string {
  if (lines.length === 0) return '';
  let text = heading;
  let used = bytes(heading) + bytes(more(lines.length));
  let count = 0;
  for (const line of lines) {
    const size = bytes(line);
    if (used + size > budget) break;
    text += line;
    used += size;
    count += 1;
  }
  return count < lines.length ? text + more(lines.length - count) : text;
}

function prefixSums(sizes: readonly number[]): number[] {
  const sums = [0];
  for (const size of sizes) sums.push((sums.at(-1) ?? 0) + size);
  return sums;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

// The last guard: the parts above are sized to fit, but a body must never
// leave this function larger than the cap, whatever it holds.
function cutToBytes(text: string, maxBytes: number): string {
  if (bytes(text) <= maxBytes) return text;
  const marker = '\n[cut to fit the size limit]\n';
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (bytes(text.slice(0, mid)) + bytes(marker) <= maxBytes) low = mid;
    else high = mid - 1;
  }
  let cut = text.slice(0, low);
  // Never end on the first half of a surrogate pair.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + marker;
}
