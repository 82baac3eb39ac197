import { X509Certificate } from 'node:crypto';
import type { RotationCa, RotationState } from './inventory.js';
import type {
  CertificateAuthorityFacts,
  Reason,
  RotationFacts,
  Thresholds,
} from './types.js';

const DAY_MS = 86_400_000;
const PEM_BLOCK =
  /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** Who breaks when the signing CA changes, and what they need. */
const WHO_BREAKS =
  'every client that pinned only the old CA data (kubeconfigs, CI secrets, GitOps cluster secrets) fails to connect';
const WHAT_TO_DO =
  "Distribute the cluster's current CA bundle, its DescribeCluster certificateAuthority.data, which carries both CAs, to those clients before then.";

/**
 * SHA-256 fingerprint of the first certificate in CA data, upper-case hex
 * pairs joined by colons; `null` when the data holds no readable
 * certificate. Accepts base64 of PEM (what EKS returns), PEM text, or
 * base64 of DER.
 */
export function caDataFingerprint(data: string | null): string | null {
  if (data === null) return null;
  try {
    const text = data.includes('-----BEGIN')
      ? data
      : Buffer.from(data, 'base64').toString('latin1');
    const block = PEM_BLOCK.exec(text)?.[0];
    const source = block ?? Buffer.from(data, 'base64');
    return new X509Certificate(source).fingerprint256;
  } catch {
    return null;
  }
}

/**
 * Fingerprint of the CA that signs for the cluster now: the rotation API's
 * `IN_USE` CA, else the one whose id is DescribeCluster's
 * `certificateAuthority.active.id`. `null` when the rotation state is
 * missing or the CA's data is unreadable; the chain evaluator then falls
 * back to the anchor of the verified path.
 */
export function signingCaFingerprint(
  rotation: RotationState | null,
  activeCaId: string | null,
): string | null {
  if (rotation === null || !rotation.available) return null;
  const ca =
    rotation.cas.find((c) => c.facts.signingStatus === 'IN_USE') ??
    rotation.cas.find((c) => activeCaId !== null && c.facts.id === activeCaId);
  return ca === undefined ? null : caDataFingerprint(ca.data);
}

/** Inputs of {@link evaluateRotation}. */
export interface RotationInput {
  /** The bundle's CAs as the chain evaluator reported them. */
  readonly certificateAuthorities: readonly CertificateAuthorityFacts[];
  /** `null` when the source has no rotation API (kubeconfig, demo). */
  readonly rotation: RotationState | null;
  /** Whether the presented chain verified; `null` without a handshake. */
  readonly trusted: boolean | null;
  readonly now: Date;
  readonly thresholds: Thresholds;
}

/** The rotation findings and the CAs with their rotation facts filled. */
export interface RotationEvaluation {
  readonly reasons: Reason[];
  readonly certificateAuthorities: CertificateAuthorityFacts[];
}

/** One CA known from the bundle, the rotation API, or both. */
interface CaView {
  readonly subject: string | null;
  readonly notAfter: string | null;
  readonly rotation: RotationFacts | null;
  readonly bundle: CertificateAuthorityFacts | null;
}

/**
 * Judges where CA rotation stands (design section 4): a successor CA
 * (SUCCESSOR_CA_PRESENT), its final automatic activation coming
 * (CA_AUTO_ACTIVATION_SOON, inclusive thresholds: exactly 30 days left is
 * a warning), a failed distribution (CA_DISTRIBUTION_FAILED), a served
 * chain that anchors only in a CA other than the signing one
 * (NOT_SIGNED_BY_SIGNING_CA) and a missing rotation state
 * (CA_ROTATION_STATE_UNAVAILABLE).
 *
 * A successor is a CA other than the signing one that is ACTIVATING or
 * outlives the signing CA; an older CA still in the bundle after a
 * rotation (or one being deleted) is a retired CA and raises nothing.
 * Without rotation state the bundle alone decides, and the dates that
 * only the API knows are not judged.
 */
export function evaluateRotation(input: RotationInput): RotationEvaluation {
  const apiCas = input.rotation?.available ? input.rotation.cas : [];
  const byFingerprint = new Map<string, RotationCa>();
  for (const ca of apiCas) {
    const fingerprint = caDataFingerprint(ca.data);
    if (fingerprint !== null) byFingerprint.set(fingerprint, ca);
  }
  const matched = new Set<RotationCa>();
  const certificateAuthorities = input.certificateAuthorities.map((ca) => {
    const api = byFingerprint.get(ca.fingerprintSha256);
    if (api === undefined) return { ...ca };
    matched.add(api);
    return { ...ca, rotation: api.facts };
  });
  const views: CaView[] = [
    ...certificateAuthorities.map((ca) => ({
      subject: ca.subject,
      notAfter: ca.notAfter,
      rotation: ca.rotation,
      bundle: ca,
    })),
    ...apiCas
      .filter((ca) => !matched.has(ca))
      .map((ca) => ({
        subject: null,
        notAfter: ca.notAfter,
        rotation: ca.facts,
        bundle: null,
      })),
  ];

  const reasons: Reason[] = [];
  if (input.rotation !== null && !input.rotation.available) {
    reasons.push({
      code: 'CA_ROTATION_STATE_UNAVAILABLE',
      level: 'info',
      message: input.rotation.message,
      certificate: null,
    });
  }
  for (const view of views) {
    if (view.rotation?.distributionStatus === 'FAILED') {
      reasons.push(distributionFailed(view));
    }
  }
  const signing = signingView(views);
  for (const successor of successorsOf(views, signing)) {
    reasons.push(successorPresent(successor, signing, input.now));
    const soon = activationSoon(successor, input.now, input.thresholds);
    if (soon !== null) reasons.push(soon);
  }
  const notSigned = notSignedBySigningCa(views, signing, input.trusted);
  if (notSigned !== null) reasons.push(notSigned);
  return { reasons, certificateAuthorities };
}

/** The CA that signs now: by rotation status when known, else the flag. */
function signingView(views: readonly CaView[]): CaView | null {
  const statusKnown = views.some((v) => v.rotation?.signingStatus);
  const inUse = views.find((v) =>
    statusKnown ? v.rotation?.signingStatus === 'IN_USE' : v.bundle?.signing,
  );
  return inUse ?? null;
}

function successorsOf(
  views: readonly CaView[],
  signing: CaView | null,
): CaView[] {
  const reference = signing ?? earliestExpiring(views);
  if (reference === null) return [];
  return views.filter((view) => {
    if (view === reference) return false;
    const status = view.rotation?.signingStatus;
    if (status === 'IN_USE') return false;
    if (status === 'ACTIVATING') return true;
    if (view.rotation?.distributionStatus === 'DELETING') return false;
    // Unknown dates count as a successor: a false alarm beats a missed
    // activation that breaks every pinned client.
    if (view.notAfter === null || reference.notAfter === null) return true;
    return Date.parse(view.notAfter) > Date.parse(reference.notAfter);
  });
}

function earliestExpiring(views: readonly CaView[]): CaView | null {
  let earliest: CaView | null = null;
  for (const view of views) {
    if (view.notAfter === null) continue;
    if (
      earliest?.notAfter == null ||
      Date.parse(view.notAfter) < Date.parse(earliest.notAfter)
    ) {
      earliest = view;
    }
  }
  return earliest;
}

function successorPresent(
  successor: CaView,
  signing: CaView | null,
  now: Date,
): Reason {
  const first = successor.rotation?.firstAutoActivation ?? null;
  const final = successor.rotation?.finalAutoActivation ?? null;
  const started = first !== null && Date.parse(first) <= now.getTime();
  const beside =
    signing === null ? '' : ` beside the signing CA ${label(signing)}`;
  const window =
    successor.rotation === null
      ? 'Without the rotation state, when EKS activates it is not known here.'
      : first === null
        ? 'The rotation API gives no activation dates for it.'
        : `EKS may activate it automatically from ${first}${final === null ? '' : ` and does so by ${final} at the latest`}${started ? '; that window is open now' : ''}.`;
  return {
    code: 'SUCCESSOR_CA_PRESENT',
    level: started ? 'warning' : 'info',
    message: `The cluster trusts a successor CA ${label(successor)}${beside}. ${window} Once it signs, ${WHO_BREAKS}. ${WHAT_TO_DO}`,
    certificate: successor.subject,
  };
}

function activationSoon(
  successor: CaView,
  now: Date,
  thresholds: Thresholds,
): Reason | null {
  const final = successor.rotation?.finalAutoActivation ?? null;
  if (final === null) return null;
  const days = (Date.parse(final) - now.getTime()) / DAY_MS;
  if (days > thresholds.caActivationWarningDays) return null;
  const critical = days <= thresholds.caActivationCriticalDays;
  const status = successor.rotation?.signingStatus ?? 'unknown';
  const when =
    days >= 0
      ? `EKS activates the successor CA ${label(successor)} automatically by ${final}, in ${days.toFixed(1)} days. From then on the API server presents a certificate signed by the new CA, and ${WHO_BREAKS}.`
      : `EKS was due to activate the successor CA ${label(successor)} automatically by ${final}, ${(-days).toFixed(1)} days ago, yet its signing status is still ${status}. Once it signs, ${WHO_BREAKS}.`;
  return {
    code: 'CA_AUTO_ACTIVATION_SOON',
    level: critical ? 'critical' : 'warning',
    message: `${when} ${WHAT_TO_DO}`,
    certificate: successor.subject,
  };
}

function distributionFailed(view: CaView): Reason {
  return {
    code: 'CA_DISTRIBUTION_FAILED',
    level: 'critical',
    message: `EKS failed to distribute trust in the CA ${label(view)} to the cluster's AWS-managed components (distributionStatus FAILED), and a CA cannot become the signer before its distribution is COMPLETE. Check it with aws eks describe-certificate-authority and ask AWS Support if it stays FAILED.`,
    certificate: view.subject,
  };
}

function notSignedBySigningCa(
  views: readonly CaView[],
  signing: CaView | null,
  trusted: boolean | null,
): Reason | null {
  if (trusted !== true || signing === null) return null;
  const anchors = views.filter((v) => v.bundle?.anchorsPath);
  if (anchors.length === 0 || anchors.includes(signing)) return null;
  const activating = views.find(
    (v) => v.rotation?.signingStatus === 'ACTIVATING',
  );
  const anchor = anchors[0] as CaView;
  const base = `The served chain verifies only against ${label(anchor)}, not against the signing CA ${label(signing)}.`;
  return {
    code: 'NOT_SIGNED_BY_SIGNING_CA',
    level: activating === undefined ? 'warning' : 'info',
    message:
      activating === undefined
        ? `${base} The API server still presents a certificate from a CA that does not sign for the cluster; clients that trust only the signing CA reject it. Check the cluster's CA rotation state.`
        : `${base} The CA ${label(activating)} is ACTIVATING, so the serving certificate is expected to move between CAs until the activation completes.`,
    certificate: anchor.subject,
  };
}

/** `CN=kubernetes (id …, valid until …)` for messages. */
function label(view: CaView): string {
  const details = [
    view.rotation?.id ? `id ${view.rotation.id}` : null,
    view.notAfter === null ? null : `valid until ${view.notAfter}`,
  ].filter((part) => part !== null);
  const name = view.subject ?? 'listed by the rotation API';
  return details.length === 0 ? name : `${name} (${details.join(', ')})`;
}
