import { parseCaData } from './ca-bundle.js';
import type {
  CertificateAuthorityFacts,
  CertificateFacts,
  Reason,
  Thresholds,
  Verdict,
} from './types.js';
import {
  type CandidatePath,
  DEFAULT_PATH_LIMITS,
  type PathLimits,
  searchPaths,
} from './x509/build-paths.js';
import { certificateFacts } from './x509/certificate-facts.js';
import { chainReasons, noPathReason } from './x509/chain-reasons.js';
import { leafFailures, pathFailures } from './x509/check-path.js';
import type { ParsedCertificate } from './x509/parse-certificate.js';
import { parsePresented, presentedFacts } from './x509/presented-chain.js';

/** What the verifier judges: a presented chain against a CA bundle. */
export interface ChainEvaluationInput {
  /**
   * DER certificates the server presented, leaf first; `null` when no
   * handshake happened (a skipped or unreachable cluster): then only the
   * CA bundle is evaluated.
   */
  readonly presented: readonly Uint8Array[] | null;
  /**
   * Raw CA data: base64 of PEM (DescribeCluster) or PEM text; `null`
   * when there is none.
   */
  readonly caData: string | null;
  /**
   * Expected host name or IP; `null` means not checked (reason
   * `HOST_NOT_CHECKED`, info).
   */
  readonly host: string | null;
  readonly now: Date;
  readonly thresholds: Thresholds;
  /**
   * SHA-256 fingerprint (upper-case, colon-separated) of the CA that EKS
   * reports `IN_USE`, when known; it decides which CA is the signing CA
   * (design section 3).
   */
  readonly signingCaFingerprint?: string | null;
}

/** The verdict on one chain, its reasons and the facts behind them. */
export interface ChainEvaluation {
  /**
   * `trusted` or `untrusted` when a chain was presented; `error` for
   * unusable CA data (`CA_DATA_INVALID`); `skipped` when nothing was
   * presented, and when there is no CA data (`NO_CA_DATA`, unknown).
   */
  readonly verdict: Verdict;
  readonly reasons: readonly Reason[];
  readonly serverCertificate: CertificateFacts | null;
  readonly intermediates: readonly CertificateFacts[];
  /** Every CA of the bundle, rotation: null (the caller fills rotation in). */
  readonly certificateAuthorities: readonly CertificateAuthorityFacts[];
}

/**
 * The verifier of design sections 3 and 4: pure, no I/O, the clock is
 * `now`. Parses the CA data, builds paths from the leaf to each CA of
 * the bundle through the presented intermediates (with a work budget and
 * cycle detection), applies the path rules, and reports the verdict with
 * the reasons of the verified path or of the best candidate.
 *
 * Not checked: revocation (CRL, OCSP), certificate policies, name
 * constraints (a CA that carries them is refused), the extended key
 * usage of intermediates and CAs, and the leaf's key usage against the
 * TLS key exchange. The common name is never read.
 */
export function evaluateChain(input: ChainEvaluationInput): ChainEvaluation {
  if (input.caData === null || input.caData.trim() === '') {
    return {
      verdict: 'skipped',
      reasons: [
        {
          code: 'NO_CA_DATA',
          level: 'unknown',
          message:
            'There is no CA data for this cluster, so its chain cannot be verified.',
          certificate: null,
        },
      ],
      ...presentedFacts(input.presented, input.now),
      certificateAuthorities: [],
    };
  }
  const bundle = parseCaData(input.caData);
  if (!bundle.ok) {
    return {
      verdict: 'error',
      reasons: [bundle.reason],
      ...presentedFacts(input.presented, input.now),
      certificateAuthorities: [],
    };
  }
  return evaluateWithAnchors({ ...input, anchors: bundle.cas });
}

/** The verifier with trust anchors already parsed. */
export interface AnchoredChainInput
  extends Omit<ChainEvaluationInput, 'caData'> {
  /** The CAs to anchor paths in; not required to pass the CA data checks. */
  readonly anchors: readonly ParsedCertificate[];
  /** @default DEFAULT_PATH_LIMITS */
  readonly limits?: PathLimits;
}

/**
 * {@link evaluateChain} after the CA data step: for callers that hold
 * parsed trust anchors, such as the x509-limbo conformance suite, whose
 * anchors need not be CAs (the path rules then say why not).
 */
export function evaluateWithAnchors(
  input: AnchoredChainInput,
): ChainEvaluation {
  const { anchors, now } = input;
  const knownSigning =
    anchors.find((ca) => ca.fingerprintSha256 === input.signingCaFingerprint) ??
    null;
  const presented = parsePresented(input.presented);
  if (presented === null) {
    const signing = knownSigning ?? earliestExpiring(anchors);
    return {
      verdict: 'skipped',
      reasons: chainReasons({ ...input, signing, path: null, leaf: null }),
      serverCertificate: null,
      intermediates: [],
      certificateAuthorities: caFacts(anchors, signing, null, now),
    };
  }

  const context = {
    host: input.host,
    now,
    signingCaFingerprint: knownSigning?.fingerprintSha256 ?? null,
  };
  const leaf = presented.leaf;
  if (leaf === null) {
    const signing = knownSigning ?? earliestExpiring(anchors);
    return {
      verdict: 'untrusted',
      reasons: [
        ...(presented.leafError === null ? [] : [presented.leafError]),
        ...chainReasons({ ...input, signing, path: null, leaf: null }),
      ],
      ...presentedFacts(input.presented, now),
      certificateAuthorities: caFacts(anchors, signing, null, now),
    };
  }

  const ordered = knownSigning
    ? [knownSigning, ...anchors.filter((ca) => ca !== knownSigning)]
    : anchors;
  const failures = new Map<CandidatePath, Reason[]>();
  const search = searchPaths(
    leaf,
    presented.intermediates,
    ordered,
    (path) => {
      const found = pathFailures(path, context);
      failures.set(path, found);
      return found.length === 0;
    },
    input.limits ?? DEFAULT_PATH_LIMITS,
  );
  const path = search.accepted ?? bestPath(search.paths, failures);
  const signing = knownSigning ?? path?.anchor ?? earliestExpiring(anchors);
  const pathReasons =
    path === null
      ? [
          noPathReason(search, leaf, anchors, presented.unreadable),
          ...leafFailures(leaf, context),
        ]
      : (failures.get(path) ?? []);
  const caExpired = pathReasons.some((r) => r.code === 'CA_EXPIRED');
  return {
    verdict: search.accepted ? 'trusted' : 'untrusted',
    reasons: [
      ...pathReasons,
      ...chainReasons({ ...input, signing, path, leaf }).filter(
        (r) => !(caExpired && r.code === 'CA_EXPIRED'),
      ),
    ],
    serverCertificate: certificateFacts(leaf, now),
    intermediates: (path === null
      ? presented.intermediates
      : path.certificates.slice(1, -1)
    ).map((cert) => certificateFacts(cert, now)),
    certificateAuthorities: caFacts(anchors, signing, path, now),
  };
}

function caFacts(
  anchors: readonly ParsedCertificate[],
  signing: ParsedCertificate | null,
  path: CandidatePath | null,
  now: Date,
): CertificateAuthorityFacts[] {
  return anchors.map((ca) => ({
    ...certificateFacts(ca, now),
    signing: ca === signing,
    anchorsPath: path?.anchor === ca,
    rotation: null,
  }));
}

/** The failing path with the fewest failures; the first of equals. */
function bestPath(
  paths: readonly CandidatePath[],
  failures: ReadonlyMap<CandidatePath, readonly Reason[]>,
): CandidatePath | null {
  let best: CandidatePath | null = null;
  let fewest = Number.POSITIVE_INFINITY;
  for (const path of paths) {
    const count = failures.get(path)?.length ?? 0;
    if (count < fewest) {
      best = path;
      fewest = count;
    }
  }
  return best;
}

function earliestExpiring(
  anchors: readonly ParsedCertificate[],
): ParsedCertificate | null {
  let earliest: ParsedCertificate | null = null;
  for (const ca of anchors) {
    if (earliest === null || ca.notAfter < earliest.notAfter) earliest = ca;
  }
  return earliest;
}
