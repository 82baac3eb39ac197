import { sameName } from './distinguished-name.js';
import type { ParsedCertificate } from './parse-certificate.js';
import { type SignatureCheck, verifySignature } from './verify-signature.js';

/**
 * The work budget of one path search. A server we audit is untrusted
 * input: a cycle of cross-signed intermediates or a hundred same-named
 * certificates must end quickly, not loop or explode.
 */
export interface PathLimits {
  /** Distinct signature verifications (each costs up to a millisecond). */
  readonly maxSignatureChecks: number;
  /** Certificates pushed onto a candidate path, over the whole search. */
  readonly maxSteps: number;
  /** Intermediates between the leaf and the CA on one path. */
  readonly maxIntermediates: number;
}

/** Generous for real chains (two or three intermediates), small for abuse. */
export const DEFAULT_PATH_LIMITS: PathLimits = Object.freeze({
  maxSignatureChecks: 200,
  maxSteps: 1000,
  maxIntermediates: 8,
});

/** A chain from the leaf to a CA of the bundle whose signatures verify. */
export interface CandidatePath {
  /** Leaf first, the anchoring CA last; just the leaf when it is a CA. */
  readonly certificates: readonly ParsedCertificate[];
  readonly anchor: ParsedCertificate;
}

/** A name link whose signature did not verify. */
export interface BrokenLink {
  readonly child: ParsedCertificate;
  readonly issuer: ParsedCertificate;
  readonly check: Exclude<SignatureCheck, { status: 'valid' }>;
}

/** Everything a search saw, for the verdict and its reasons. */
export interface PathSearch {
  /** The path `accept` took, or `null`. */
  readonly accepted: CandidatePath | null;
  /** Every complete path found, in search order. */
  readonly paths: readonly CandidatePath[];
  readonly brokenLinks: readonly BrokenLink[];
  /** The budget that ran out first, or `null`. */
  readonly limit: 'signatures' | 'steps' | 'depth' | null;
  /** The first cycle of intermediates met (its certificates), or `null`. */
  readonly cycle: readonly ParsedCertificate[] | null;
  /** The longest signature-checked partial path from the leaf. */
  readonly longest: readonly ParsedCertificate[];
  readonly signatureChecks: number;
}

/**
 * Searches, depth first, for paths from `leaf` to any of `anchors`
 * through `intermediates`, trying anchors before intermediates at every
 * step. Issuers are matched by name and then by signature, never by key
 * identifiers. A certificate appears at most once on a path. The search
 * stops at the first complete path `accept` takes, or when the budget
 * runs out.
 */
export function searchPaths(
  leaf: ParsedCertificate,
  intermediates: readonly ParsedCertificate[],
  anchors: readonly ParsedCertificate[],
  accept: (path: CandidatePath) => boolean,
  limits: PathLimits = DEFAULT_PATH_LIMITS,
): PathSearch {
  const taken = new Set(anchors.map((a) => a.fingerprintSha256));
  taken.add(leaf.fingerprintSha256);
  const pool = unique(intermediates).filter(
    (cert) => !taken.has(cert.fingerprintSha256),
  );
  const cache = new Map<string, SignatureCheck>();
  const paths: CandidatePath[] = [];
  const brokenLinks: BrokenLink[] = [];
  let accepted: CandidatePath | null = null;
  let limit: PathSearch['limit'] = null;
  let cycle: ParsedCertificate[] | null = null;
  let longest: ParsedCertificate[] = [leaf];
  let steps = 0;

  const check = (child: ParsedCertificate, issuer: ParsedCertificate) => {
    const key = `${child.fingerprintSha256}>${issuer.fingerprintSha256}`;
    const known = cache.get(key);
    if (known !== undefined) return known;
    if (cache.size >= limits.maxSignatureChecks) {
      limit = 'signatures';
      return null;
    }
    const result = verifySignature(child, issuer);
    cache.set(key, result);
    if (result.status !== 'valid') {
      brokenLinks.push({ child, issuer, check: result });
    }
    return result;
  };

  const complete = (path: CandidatePath): boolean => {
    paths.push(path);
    if (!accept(path)) return false;
    accepted = path;
    return true;
  };

  // Returns true when the search must stop (accepted or out of budget).
  const extend = (path: ParsedCertificate[]): boolean => {
    const current = path[path.length - 1] as ParsedCertificate;
    for (const anchor of anchors) {
      if (!sameName(current.issuer, anchor.subject)) continue;
      if (anchor.fingerprintSha256 === current.fingerprintSha256) continue;
      const result = check(current, anchor);
      if (result === null) return true;
      if (result.status !== 'valid') continue;
      if (complete({ certificates: [...path, anchor], anchor })) return true;
    }
    for (const candidate of pool) {
      if (!sameName(current.issuer, candidate.subject)) continue;
      if (path.includes(candidate)) {
        if (candidate !== current && cycle === null) {
          cycle = path.slice(path.indexOf(candidate));
        }
        continue;
      }
      if (path.length > limits.maxIntermediates) {
        limit ??= 'depth';
        return false;
      }
      steps += 1;
      if (steps > limits.maxSteps) {
        limit = 'steps';
        return true;
      }
      const result = check(current, candidate);
      if (result === null) return true;
      if (result.status !== 'valid') continue;
      path.push(candidate);
      if (path.length > longest.length) longest = [...path];
      if (extend(path)) return true;
      path.pop();
    }
    return false;
  };

  const leafAnchor = anchors.find(
    (anchor) => anchor.fingerprintSha256 === leaf.fingerprintSha256,
  );
  const done =
    leafAnchor !== undefined &&
    complete({ certificates: [leaf], anchor: leafAnchor });
  if (!done) extend([leaf]);
  return {
    accepted,
    paths,
    brokenLinks,
    limit,
    cycle,
    longest,
    signatureChecks: cache.size,
  };
}

function unique(
  certificates: readonly ParsedCertificate[],
): ParsedCertificate[] {
  const seen = new Set<string>();
  return certificates.filter((cert) => {
    if (seen.has(cert.fingerprintSha256)) return false;
    seen.add(cert.fingerprintSha256);
    return true;
  });
}
