import type { CertificateFacts, Reason } from '../types.js';
import { certificateFacts } from './certificate-facts.js';
import {
  type ParsedCertificate,
  parseCertificate,
} from './parse-certificate.js';

/** The certificates a server presented, decoded. */
export interface PresentedChain {
  /** The leaf, or `null` when there is none or it does not decode. */
  readonly leaf: ParsedCertificate | null;
  /** Why there is no leaf (critical); `null` when there is one. */
  readonly leafError: Reason | null;
  /** The other certificates that decode, in the order presented. */
  readonly intermediates: readonly ParsedCertificate[];
  /** How many of the other certificates do not decode. */
  readonly unreadable: number;
}

/** Decodes a presented chain, leaf first; `null` for no handshake. */
export function parsePresented(
  presented: readonly Uint8Array[] | null,
): PresentedChain | null {
  if (presented === null) return null;
  const [first, ...rest] = presented;
  const leaf = first === undefined ? null : parseCertificate(first);
  const others = rest.map(parseCertificate);
  return {
    leaf: leaf?.ok ? leaf.certificate : null,
    leafError: leaf?.ok ? null : leafError(leaf),
    intermediates: others.flatMap((r) => (r.ok ? [r.certificate] : [])),
    unreadable: others.filter((r) => !r.ok).length,
  };
}

/** The serving certificate and intermediate facts of a presented chain. */
export function presentedFacts(
  presented: readonly Uint8Array[] | null,
  now: Date,
): {
  readonly serverCertificate: CertificateFacts | null;
  readonly intermediates: readonly CertificateFacts[];
} {
  const chain = parsePresented(presented);
  return {
    serverCertificate:
      chain?.leaf == null ? null : certificateFacts(chain.leaf, now),
    intermediates: (chain?.intermediates ?? []).map((cert) =>
      certificateFacts(cert, now),
    ),
  };
}

function leafError(result: ReturnType<typeof parseCertificate> | null): Reason {
  if (result === null) {
    return {
      code: 'UNKNOWN_ISSUER',
      level: 'critical',
      message:
        'The server presented no certificate, so nothing chains to the cluster CA.',
      certificate: null,
    };
  }
  return {
    code: 'CERT_MALFORMED',
    level: 'critical',
    message: `The server's certificate cannot be decoded: ${result.ok ? '' : result.error}.`,
    certificate: null,
  };
}
