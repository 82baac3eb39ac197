import type { Reason } from '../types.js';
import { critical } from './critical-reason.js';
import type { ParsedCertificate } from './parse-certificate.js';

/**
 * RFC 5280 6.1.4 (l) and (m), with the anchor's own constraint applied:
 * each CA bounds the non-self-issued intermediates below it; the leaf is
 * never counted.
 */
export function pathLengthReason(
  certificates: readonly ParsedCertificate[],
): Reason | null {
  let remaining = Number.POSITIVE_INFINITY;
  let setBy: ParsedCertificate | null = null;
  for (let index = certificates.length - 1; index >= 1; index -= 1) {
    const cert = certificates[index] as ParsedCertificate;
    const isAnchor = index === certificates.length - 1;
    if (!isAnchor && !cert.selfIssued) {
      if (remaining <= 0 && setBy !== null) {
        return critical(
          'PATH_LENGTH_EXCEEDED',
          `${setBy.subject.display} allows ${setBy.basicConstraints?.pathLength} intermediate CA certificates below it, but ${cert.subject.display} is one more.`,
          setBy,
        );
      }
      remaining -= 1;
    }
    const limit = cert.basicConstraints?.pathLength;
    if (limit != null && limit < remaining) {
      remaining = limit;
      setBy = cert;
    }
  }
  return null;
}
