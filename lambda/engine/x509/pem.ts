import { AuditError } from '../errors.js';
import { parseCertificate } from './parse-certificate.js';

/** One PEM block: its label (`CERTIFICATE`) and decoded contents. */
export interface PemBlock {
  readonly label: string;
  readonly der: Buffer;
}

/** The blocks of a PEM text, or what is wrong with it. */
export type PemReadResult =
  | { readonly ok: true; readonly blocks: readonly PemBlock[] }
  | { readonly ok: false; readonly message: string };

const MARKER = /-----(BEGIN|END) ([A-Z0-9 ]+)-----/g;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Reads every `-----BEGIN …-----` block of a text. Tolerates CRLF, blank
 * lines, indentation, white space inside the base64, blocks glued
 * together (`-----END …----------BEGIN …-----`, from concatenated files
 * without a final newline) and any text between blocks; refuses a block
 * without its END line, mismatched labels, PEM headers and broken
 * base64. Blocks are numbered from 1 in messages.
 */
export function readPemBlocks(text: string): PemReadResult {
  const blocks: PemBlock[] = [];
  let open: { label: string; bodyStart: number; line: number } | null = null;
  // Line numbers are counted as the markers go by, so that a text of many
  // blocks is read in one pass (counting from the start for each block
  // made a 4,000-block bundle take seconds).
  let line = 1;
  let counted = 0;
  for (const marker of text.matchAll(MARKER)) {
    const [whole, kind, label] = marker as unknown as [string, string, string];
    const index = marker.index ?? 0;
    const number = blocks.length + 1;
    if (kind === 'BEGIN') {
      if (open !== null) {
        return fail(`PEM block ${number} (line ${open.line}) has no END line`);
      }
      line += countLineBreaks(text, counted, index);
      counted = index;
      open = { label, bodyStart: index + whole.length, line };
      continue;
    }
    if (open === null) continue;
    if (label !== open.label) {
      return fail(
        `PEM block ${number} begins as ${open.label} but ends as ${label}`,
      );
    }
    const body = text.slice(open.bodyStart, index);
    if (body.includes(':')) {
      return fail(
        `PEM block ${number} (line ${open.line}) has headers, which certificates do not use`,
      );
    }
    const base64 = body.replace(/\s+/g, '');
    if (
      base64.length === 0 ||
      base64.length % 4 !== 0 ||
      !BASE64.test(base64)
    ) {
      return fail(
        `PEM block ${number} (line ${open.line}) is not valid base64`,
      );
    }
    blocks.push({ label: open.label, der: Buffer.from(base64, 'base64') });
    open = null;
  }
  if (open !== null) {
    return fail(
      `PEM block ${blocks.length + 1} (line ${open.line}) has no END line`,
    );
  }
  return { ok: true, blocks };
}

/** Most certificates a chain file for `verify` may hold. */
export const MAX_PRESENTED_CERTIFICATES = 32;

/**
 * Parses PEM text with one or more CERTIFICATE blocks, leaf first, into
 * DER buffers, for `verify --cert`. Each block must hold a certificate
 * whose structure decodes; profile problems are left to the verifier.
 *
 * @throws AuditError `INPUT_UNREADABLE` with the block and what is wrong.
 */
export function parsePemCertificates(text: string): Buffer[] {
  const read = readPemBlocks(text);
  if (!read.ok) throw new AuditError('INPUT_UNREADABLE', read.message);
  if (read.blocks.length === 0) {
    throw new AuditError(
      'INPUT_UNREADABLE',
      'no PEM certificate found: expected -----BEGIN CERTIFICATE----- blocks',
    );
  }
  // As many as a live probe keeps: no server sends more.
  if (read.blocks.length > MAX_PRESENTED_CERTIFICATES) {
    throw new AuditError(
      'INPUT_UNREADABLE',
      `the file holds ${read.blocks.length} certificates, more than the ${MAX_PRESENTED_CERTIFICATES} of a presented chain`,
    );
  }
  return read.blocks.map((block, index) => {
    if (block.label !== 'CERTIFICATE') {
      throw new AuditError(
        'INPUT_UNREADABLE',
        `PEM block ${index + 1} is a ${block.label}, expected a CERTIFICATE`,
      );
    }
    const parsed = parseCertificate(block.der);
    if (!parsed.ok) {
      throw new AuditError(
        'INPUT_UNREADABLE',
        `PEM block ${index + 1} is not a DER certificate: ${parsed.error}`,
      );
    }
    return block.der;
  });
}

function fail(message: string): PemReadResult {
  return { ok: false, message };
}

function countLineBreaks(text: string, from: number, to: number): number {
  let breaks = 0;
  for (let i = from; i < to; i += 1) {
    const code = text.charCodeAt(i);
    // CRLF counts once: the CR is counted, the LF after it is not.
    if (code === 0x0d || (code === 0x0a && text.charCodeAt(i - 1) !== 0x0d)) {
      breaks += 1;
    }
  }
  return breaks;
}
