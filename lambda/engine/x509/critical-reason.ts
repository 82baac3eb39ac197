import type { Reason } from '../types.js';
import type { ParsedCertificate } from './parse-certificate.js';

/** A critical reason about one certificate. */
export function critical(
  code: Reason['code'],
  message: string,
  cert: ParsedCertificate,
): Reason {
  return { code, level: 'critical', message, certificate: cert.subject.text };
}
