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

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----$/;
const END = /^-----END ([A-Z0-9 ]+)-----$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Reads every `-----BEGIN …-----` block of a text. Tolerates CRLF, blank
 * lines, indentation, white space inside the base64 and any text between
 * blocks; refuses a block without its END line, mismatched labels, PEM
 * headers and broken base64. Blocks are numbered from 1 in messages.
 */
export function readPemBlocks(text: string): PemReadResult {
  const blocks: PemBlock[] = [];
  let label: string | null = null;
  let body = '';
  let startLine = 0;
  const lines = text.split(/\r\n|\r|\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    const number = blocks.length + 1;
    if (label === null) {
      const begin = BEGIN.exec(line);
      if (begin) {
        label = begin[1] as string;
        body = '';
        startLine = index + 1;
      }
      continue;
    }
    if (BEGIN.test(line)) {
      return fail(`PEM block ${number} (line ${startLine}) has no END line`);
    }
    const end = END.exec(line);
    if (end) {
      if (end[1] !== label) {
        return fail(
          `PEM block ${number} begins as ${label} but ends as ${end[1]}`,
        );
      }
      if (body.length === 0 || body.length % 4 !== 0 || !BASE64.test(body)) {
        return fail(
          `PEM block ${number} (line ${startLine}) is not valid base64`,
        );
      }
      blocks.push({ label, der: Buffer.from(body, 'base64') });
      label = null;
      continue;
    }
    if (line.includes(':')) {
      return fail(
        `PEM block ${number} (line ${startLine}) has headers, which certificates do not use`,
      );
    }
    body += line.replace(/\s+/g, '');
  }
  if (label !== null) {
    return fail(
      `PEM block ${blocks.length + 1} (line ${startLine}) has no END line`,
    );
  }
  return { ok: true, blocks };
}

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
