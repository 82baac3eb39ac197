import type { Reason } from './types.js';
import {
  type ParsedCertificate,
  parseCertificate,
} from './x509/parse-certificate.js';
import { readPemBlocks } from './x509/pem.js';

/** The CAs of a cluster's CA data, or the reason it is unusable. */
export type CaBundleResult =
  | { readonly ok: true; readonly cas: readonly ParsedCertificate[] }
  | { readonly ok: false; readonly reason: Reason };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Most certificates one CA bundle may hold. EKS holds one, or two during a
 * rotation; a kubeconfig's CA file may carry a corporate bundle. The bound
 * keeps a hostile bundle from costing seconds of parsing per cluster.
 */
export const MAX_CA_CERTIFICATES = 64;

/**
 * Parses `certificateAuthority.data` (base64 of PEM, as DescribeCluster
 * returns it) or PEM text into CA certificates, in bundle order, without
 * duplicates. CRLF, blank lines, white space inside the base64 and text
 * around the blocks are tolerated.
 *
 * Fails with `CA_DATA_INVALID` (critical) when there is no certificate,
 * the base64, PEM or DER is broken, or a block is not a CA (basic
 * constraints missing or CA:FALSE). Other X.509 rules (validity, key
 * usage, critical extensions) are judged on the path, not here.
 */
export function parseCaData(text: string): CaBundleResult {
  const pem = toPem(text);
  if (typeof pem !== 'string') return pem;
  const read = readPemBlocks(pem);
  if (!read.ok) return invalid(`CA data is not valid PEM: ${read.message}.`);
  if (read.blocks.length === 0) {
    return invalid('CA data holds no PEM block, so no certificate.');
  }
  if (read.blocks.length > MAX_CA_CERTIFICATES) {
    return invalid(
      `CA data holds ${read.blocks.length} PEM blocks, more than the ${MAX_CA_CERTIFICATES} a cluster CA bundle may have.`,
    );
  }
  const cas: ParsedCertificate[] = [];
  for (const [index, block] of read.blocks.entries()) {
    const name = `CA data block ${index + 1}`;
    if (block.label !== 'CERTIFICATE') {
      return invalid(`${name} is a ${block.label}, not a CERTIFICATE.`);
    }
    const parsed = parseCertificate(block.der);
    if (!parsed.ok) {
      return invalid(
        `${name} is not a valid DER certificate: ${parsed.error}.`,
      );
    }
    const ca = parsed.certificate;
    const constraints = ca.basicConstraints;
    if (constraints === null || !constraints.ca) {
      const seen =
        constraints === null
          ? 'basic constraints missing'
          : 'basic constraints say CA:FALSE';
      return invalid(`${name} (${ca.subject.text}) is not a CA: ${seen}.`, ca);
    }
    if (!cas.some((c) => c.fingerprintSha256 === ca.fingerprintSha256)) {
      cas.push(ca);
    }
  }
  return { ok: true, cas };
}

function toPem(text: string): string | CaBundleResult {
  if (text.trim().length === 0) {
    return invalid('CA data is empty: it holds no certificate.');
  }
  if (text.includes('-----BEGIN')) return text;
  const compact = text.replace(/\s+/g, '');
  const bad = /[^A-Za-z0-9+/=]/.exec(compact);
  if (bad) {
    return invalid(
      `CA data is neither PEM nor base64: unexpected character ${JSON.stringify(bad[0])} at position ${bad.index + 1}.`,
    );
  }
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
    return invalid(
      'CA data is not valid base64: its length or padding is wrong (truncated?).',
    );
  }
  const decoded = Buffer.from(compact, 'base64');
  const asText = decoded.toString('latin1');
  if (asText.includes('-----BEGIN')) return asText;
  return invalid(
    decoded[0] === 0x30
      ? 'CA data is base64 of DER; it must be base64 of PEM, as DescribeCluster returns it.'
      : 'CA data decodes from base64 but holds no PEM block.',
  );
}

function invalid(message: string, ca?: ParsedCertificate): CaBundleResult {
  return {
    ok: false,
    reason: {
      code: 'CA_DATA_INVALID',
      level: 'critical',
      message,
      certificate: ca?.subject.text ?? null,
    },
  };
}
