/** Where `now` falls against a certificate's validity period. */
export type ValidityState = 'valid' | 'expired' | 'not-yet-valid';

const DAY_MS = 86_400_000;

/**
 * RFC 5280 4.1.2.5: valid from `notBefore` through `notAfter`, both ends
 * inclusive. Certificate times have whole seconds, so `now` is compared
 * at that granularity (floored): 00:00:00.999 is still 00:00:00, which is
 * what x509-limbo's `notafter-fractional` and `notbefore-fractional` ask.
 */
export function validityAt(
  period: { readonly notBefore: Date; readonly notAfter: Date },
  now: Date,
): ValidityState {
  const second = Math.floor(now.getTime() / 1000) * 1000;
  if (second < period.notBefore.getTime()) return 'not-yet-valid';
  if (second > period.notAfter.getTime()) return 'expired';
  return 'valid';
}

/** `(notAfter - now) / 86400 s`, unrounded; negative once expired. */
export function daysToExpiry(notAfter: Date, now: Date): number {
  return (notAfter.getTime() - now.getTime()) / DAY_MS;
}

/** Days between two instants, unrounded. */
export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / DAY_MS;
}
