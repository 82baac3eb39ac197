import { readBoundedFile } from '../adapters/read-bounded-file.js';
import { AuditError } from '../engine/errors.js';
import type { AuditLogger, LogFields } from '../engine/logger.js';
import { EXIT_CODES } from '../engine/severity.js';
import type { AuditReport } from '../engine/types.js';
import { renderTextReport } from '../output/text-report.js';

/** Where a command writes, and what it may know of its terminal. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** `true` when stderr is a terminal: progress lines go there. */
  readonly interactive: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Current time; tests pin it. */
  readonly now: () => Date;
}

/** Prints a report as JSON or as the table, and returns the exit code. */
export function printReport(
  io: CommandIo,
  report: AuditReport,
  json: boolean,
): number {
  io.stdout(
    json ? `${JSON.stringify(report, null, 2)}\n` : renderTextReport(report),
  );
  return EXIT_CODES[report.summary.worstSeverity];
}

/** Reads a text file named on the command line. */
export function readInputFile(path: string, what: string): string {
  try {
    return readBoundedFile(path).toString('utf8');
  } catch (cause) {
    throw new AuditError(
      'INPUT_UNREADABLE',
      `cannot read ${what} ${path}: ${(cause as Error).message}`,
      { cause },
    );
  }
}

/**
 * Takes the CA data from `--ca-data` (base64) or `--ca` (a file of PEM or
 * base64 text); exactly one must be given.
 */
export function caDataFrom(values: {
  'ca-data'?: string | undefined;
  ca?: string | undefined;
}): string {
  const given = [values['ca-data'], values.ca].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw new AuditError(
      'USAGE',
      'give the cluster CA with exactly one of --ca-data BASE64 or --ca FILE',
    );
  }
  if (values['ca-data'] !== undefined) {
    if (values['ca-data'].trim() === '') {
      throw new AuditError('USAGE', '--ca-data is empty');
    }
    return values['ca-data'];
  }
  const path = values.ca as string;
  let bytes: Buffer;
  try {
    bytes = readBoundedFile(path);
  } catch (cause) {
    throw new AuditError(
      'INPUT_UNREADABLE',
      `cannot read CA file ${path}: ${(cause as Error).message}`,
      { cause },
    );
  }
  if (bytes.toString('utf8').trim() === '') {
    throw new AuditError('INPUT_UNREADABLE', `CA file ${path} is empty`);
  }
  // A binary DER certificate (a SEQUENCE with a long-form length) read as
  // text is noise; as base64 it reaches the CA parser, whose message says
  // to convert it to PEM.
  const der = bytes[0] === 0x30 && (bytes[1] ?? 0) >= 0x80;
  return der ? bytes.toString('base64') : bytes.toString('utf8');
}

const ZONED_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Parses `--at`: ISO-8601 with `Z` or an offset, a real calendar date; no
 * zone is an error. Fractions of a second are dropped, as in the report.
 */
export function parseAt(value: string): Date {
  const match = ZONED_TIME.exec(value);
  const date = new Date(value);
  if (
    match === null ||
    Number.isNaN(date.getTime()) ||
    !isCalendarTime(match)
  ) {
    throw new AuditError(
      'USAGE',
      `--at must be an ISO-8601 time with Z or an offset, such as 2019-01-01T00:00:00Z, got ${JSON.stringify(value)}`,
    );
  }
  return wholeSecond(date);
}

function isCalendarTime(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = match
    .slice(1, 7)
    .map((part) => Number(part ?? 0));
  const lastDay = new Date(
    Date.UTC(year as number, month as number, 0),
  ).getUTCDate();
  return (
    (month as number) >= 1 &&
    (month as number) <= 12 &&
    (day as number) >= 1 &&
    (day as number) <= lastDay &&
    (hour as number) <= 23 &&
    (minute as number) <= 59 &&
    (second as number) <= 59
  );
}

/**
 * Drops the milliseconds: every time in a report is to the second, so the
 * verdict and the figures are computed at exactly the time printed.
 */
export function wholeSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/**
 * Checks `--host`: a host name or IP address, not a URL or `host:port`
 * (DescribeCluster's endpoint is a URL, and pasting it is easy).
 */
export function parseHost(value: string): string {
  const looksLikeUrl = value.includes('://') || value.includes('/');
  const hostPort = /^[^:\s]+:\d+$/.test(value);
  if (looksLikeUrl || hostPort || value.trim() === '') {
    throw new AuditError(
      'USAGE',
      `--host takes a host name or IP address, such as 715065595AECC5FB4F2F3811FBA82A45.yl4.us-west-2.eks.amazonaws.com, not a URL or host:port, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * A logger that writes JSON lines to stderr, at warn and above unless
 * `verbose`: the CLI's stdout stays the report alone.
 */
export function stderrLogger(io: CommandIo, verbose = false): AuditLogger {
  const write =
    (level: string, enabled: boolean) =>
    (message: string, fields?: LogFields): void => {
      if (!enabled) return;
      io.stderr(
        `${JSON.stringify({ level, message, ...serializable(fields) })}\n`,
      );
    };
  return {
    debug: write('debug', false),
    info: write('info', verbose),
    warn: write('warn', true),
    error: write('error', true),
  };
}

function serializable(fields: LogFields | undefined): LogFields {
  if (fields === undefined) return {};
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [
      key,
      value instanceof Error
        ? { name: value.name, message: value.message }
        : value,
    ]),
  );
}
