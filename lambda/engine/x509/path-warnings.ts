import type { Reason } from '../types.js';
import type { ParsedCertificate } from './parse-certificate.js';
import { describeSignature } from './verify-signature.js';

/**
 * Weak keys on the path (anchor included) and weak signatures on it (the
 * anchor's own signature excluded): warnings, never failures.
 */
export function pathWarnings(
  certificates: readonly ParsedCertificate[],
  anchor: ParsedCertificate | null,
): Reason[] {
  const reasons: Reason[] = [];
  for (const cert of certificates) {
    const weakKey = weakKeyReason(cert);
    if (weakKey !== null) reasons.push(weakKey);
  }
  for (const cert of certificates) {
    if (cert === anchor) continue;
    const signature = describeSignature(cert);
    if (signature.hash === 'md5' || signature.hash === 'sha1') {
      reasons.push({
        code: 'WEAK_SIGNATURE',
        level: 'warning',
        message: `${cert.subject.display} is signed with ${signature.name}; ${signature.hash.toUpperCase()} is broken for signatures, SHA-256 or better is expected.`,
        certificate: cert.subject.text,
      });
    }
  }
  return reasons;
}

/** `WEAK_KEY` for RSA under 2048 bits or EC under 256, else `null`. */
export function weakKeyReason(cert: ParsedCertificate): Reason | null {
  const { keyType, keyBits } = cert.publicKey;
  const minimum = keyType === 'RSA' ? 2048 : keyType === 'EC' ? 256 : null;
  if (minimum === null || keyBits === null || keyBits >= minimum) return null;
  return {
    code: 'WEAK_KEY',
    level: 'warning',
    message: `${cert.subject.display} has a ${keyBits}-bit ${keyType} key; at least ${minimum} bits are expected.`,
    certificate: cert.subject.text,
  };
}
