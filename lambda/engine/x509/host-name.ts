import { isIPv4 } from 'node:net';
import type { GeneralName } from './general-names.js';

/** Whether a certificate's names cover the expected host, and why not. */
export type HostMatch =
  | { readonly matched: true; readonly by: string }
  | { readonly matched: false; readonly why: string };

/**
 * Matches an expected host against subject alternative names only
 * (RFC 6125 6.4, no common-name fallback):
 *
 * - an IP address (IPv4 dotted quad, IPv6 in any valid text form, with or
 *   without brackets) matches `IP:` entries by value and nothing else;
 * - a DNS name matches `DNS:` entries case-insensitively, ignoring one
 *   trailing dot; `*` only as the whole left-most label of a pattern with
 *   at least two more labels, standing for exactly one label.
 *
 * Names that are not valid preferred-syntax DNS names (RFC 1034 3.5 and
 * RFC 1123 2.1: letters, digits and hyphens) never match, on either side.
 */
export function matchHost(
  names: readonly GeneralName[] | null,
  host: string,
): HostMatch {
  if (names === null || names.length === 0) {
    return {
      matched: false,
      why: 'it has no subject alternative names (the common name is never used)',
    };
  }
  const address = parseIpAddress(host);
  if (address !== null) {
    const hit = names.find(
      (name) => name.type === 'IP' && name.address.equals(address),
    );
    return hit
      ? { matched: true, by: `IP:${hit.text}` }
      : { matched: false, why: mismatch(names) };
  }
  const wanted = dnsLabels(host);
  if (wanted === null) {
    return {
      matched: false,
      why: `${host} is not a valid DNS host name`,
    };
  }
  const hit = names.find(
    (name) =>
      name.type === 'DNS' && name.valid && dnsPatternMatches(name.text, wanted),
  );
  return hit
    ? { matched: true, by: `DNS:${hit.text}` }
    : { matched: false, why: mismatch(names) };
}

/**
 * The octets of an IP address literal, or `null` when `text` is not one.
 * IPv4 must be four decimal octets without leading zeros.
 */
export function parseIpAddress(text: string): Buffer | null {
  const bare =
    text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIPv4(bare)) return Buffer.from(bare.split('.').map(Number));
  if (!bare.includes(':') || bare.includes('%')) return null;
  return parseIpv6(bare);
}

function parseIpv6(text: string): Buffer | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        if (!isIPv4(piece)) return null;
        const [a, b, c, d] = piece.split('.').map(Number) as number[];
        out.push(((a as number) << 8) | (b as number));
        out.push(((c as number) << 8) | (d as number));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        out.push(Number.parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = Buffer.alloc(16);
  for (const [index, group] of all.entries()) {
    bytes.writeUInt16BE(group, index * 2);
  }
  return bytes;
}

/** Lower-case labels of a valid DNS name, or `null`. */
function dnsLabels(name: string, allowWildcard = false): string[] | null {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed.length === 0 || trimmed.length > 253) return null;
  const labels = trimmed.toLowerCase().split('.');
  const valid = labels.every(
    (label, index) =>
      (allowWildcard && index === 0 && label === '*') ||
      /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label),
  );
  return valid ? labels : null;
}

function dnsPatternMatches(
  pattern: string,
  wanted: readonly string[],
): boolean {
  const labels = dnsLabels(pattern, true);
  if (labels === null || labels.length !== wanted.length) return false;
  if (labels[0] === '*' && labels.length < 3) return false;
  return labels.every(
    (label, index) => (index === 0 && label === '*') || label === wanted[index],
  );
}

function mismatch(names: readonly GeneralName[]): string {
  const listed = names
    .filter((name) => name.type === 'DNS' || name.type === 'IP')
    .map((name) => `${name.type}:${name.text}`);
  return listed.length === 0
    ? 'it has no DNS or IP subject alternative names (the common name is never used)'
    : `its subject alternative names are ${listed.join(', ')}`;
}
