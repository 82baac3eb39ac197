import { createHash } from 'node:crypto';

/**
 * SHA-256 of a certificate's DER as upper-case hex pairs joined by colons
 * (`A2:ED:…:CA`), the form `openssl x509 -fingerprint -sha256` prints and
 * the report uses to name CAs.
 */
export function fingerprintSha256(der: Uint8Array): string {
  const digest = createHash('sha256').update(der).digest('hex').toUpperCase();
  return digest.match(/../g)?.join(':') ?? '';
}
