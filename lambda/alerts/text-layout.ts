/** Width the digest wraps prose at, so that it reads well in any client. */
export const LINE_WIDTH = 76;

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators,
// bidirectional overrides and isolates: anything that could fake a line
// break or reorder what a reader sees.
const UNSAFE_TEXT = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]+/gu;

/**
 * Text from a report made safe for one line of the plain-text body:
 * control and layout characters become one space, and anything longer than
 * `max` characters is cut with `...`. Non-ASCII letters stay (the body is
 * UTF-8).
 */
export function cleanText(text: string, max = 2000): string {
  const clean = text.replace(UNSAFE_TEXT, ' ').replace(/ {2,}/g, ' ').trim();
  const chars = [...clean];
  if (chars.length <= max) return clean;
  return `${chars.slice(0, Math.max(0, max - 3)).join('')}...`;
}

/**
 * Wraps prose at word boundaries into lines of at most `width` characters
 * (a single word longer than that keeps its own line), the first line
 * prefixed with `first` and the others with `rest`.
 */
export function wrapText(
  text: string,
  first: string,
  rest: string,
  width = LINE_WIDTH,
): string[] {
  const words = cleanText(text)
    .split(' ')
    .filter((word) => word !== '');
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line = empty ? line + word : `${line} ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines.map((each) => each.trimEnd());
}

/**
 * A colon-joined fingerprint split into lines of 16 bytes (47 characters),
 * so that a SHA-256 fingerprint fits two lines instead of one of 95.
 */
export function fingerprintLines(fingerprint: string): string[] {
  const pairs = fingerprint.split(':');
  const lines: string[] = [];
  for (let at = 0; at < pairs.length; at += 16) {
    lines.push(pairs.slice(at, at + 16).join(':'));
  }
  return lines;
}

/** Days to expiry in words: `12.3 days left` or `expired 4.0 days ago`. */
export function daysInWords(days: number): string {
  if (!Number.isFinite(days)) return 'days unknown';
  if (days < 0) return `expired ${(-days).toFixed(1)} days ago`;
  return `${days.toFixed(1)} days left`;
}

/** Quotes a shell word for POSIX shells when it needs it. */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9._\-/:=@+]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** `1 cluster` or `3 clusters`. */
export function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}
