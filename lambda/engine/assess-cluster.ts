import { parseCaData } from './ca-bundle.js';
import { AuditError } from './errors.js';
import { evaluateChain, evaluateWithAnchors } from './evaluate-chain.js';
import type { ClusterTarget } from './inventory.js';
import { type ProbeResult, parseEndpointUrl } from './probe.js';
import { evaluateRotation, signingCaFingerprint } from './rotation.js';
import { severityOf } from './severity.js';
import type {
  ClusterReport,
  Reason,
  ReasonCode,
  Thresholds,
  TlsFacts,
  Verdict,
} from './types.js';

/** Pre-probe reasons that make a cluster `skipped` without a probe. */
const SKIP_CODES: ReadonlySet<ReasonCode> = new Set([
  'CLUSTER_NOT_ACTIVE',
  'NO_ENDPOINT',
  'CONNECTED_CLUSTER',
  'OUTPOSTS_CLUSTER',
  'PRIVATE_ENDPOINT',
]);

/** Pre-probe reasons that make a cluster `error`: it cannot be judged. */
const ERROR_CODES: ReadonlySet<ReasonCode> = new Set([
  'API_ERROR',
  'CA_DATA_INVALID',
]);

/** Everything one cluster's assessment needs besides the cluster. */
export interface AssessContext {
  readonly now: Date;
  readonly thresholds: Thresholds;
  /** Runs one probe; `null` when the run's time budget is spent. */
  readonly probe: (target: ClusterTarget) => Promise<ProbeResult | null>;
}

/**
 * Audits one cluster: probes it when it can be probed, evaluates the chain
 * and the CA bundle, adds the CA rotation findings, and returns its report.
 *
 * Never throws for a property of the cluster: whatever is wrong with it
 * becomes a reason. The caller catches programming errors per cluster.
 */
export async function assessCluster(
  target: ClusterTarget,
  context: AssessContext,
): Promise<ClusterReport> {
  if (target.preReasons.some((reason) => ERROR_CODES.has(reason.code))) {
    return finish(target, 'error', target.preReasons, null);
  }

  // The CA data is parsed once, for the check before the probe and for
  // the chain after it: parsing is most of the work per cluster.
  const judge = chainJudge(target, context);
  const caCheck = judge(null, null);
  const skipped = target.preReasons.some((r) => SKIP_CODES.has(r.code));
  if (skipped || caCheck.verdict !== 'skipped' || target.caData === null) {
    // Skipped by design, unusable CA data (verdict `error`) or no CA data
    // at all (NO_CA_DATA): nothing to verify a handshake against.
    const verdict = caCheck.verdict === 'error' ? 'error' : 'skipped';
    return withRotation(target, verdict, caCheck, [], null, context);
  }

  const unusable = unusableEndpoint(target.endpoint);
  if (unusable !== null) {
    return withRotation(target, 'skipped', caCheck, [unusable], null, context);
  }

  const probed = await context.probe(target);
  if (probed === null) {
    const reason: Reason = {
      code: 'TIME_BUDGET_EXHAUSTED',
      level: 'unknown',
      message:
        'The run reached its time budget before this cluster was probed; ' +
        'it is audited again on the next run.',
      certificate: null,
    };
    return withRotation(target, 'skipped', caCheck, [reason], null, context);
  }
  if (probed.kind === 'failure') {
    if (probed.code === 'TIMEOUT' && target.publicAccessRestricted) {
      const reason: Reason = {
        code: 'PUBLIC_ACCESS_RESTRICTED',
        level: 'info',
        message: `${probed.message}. The endpoint accepts public traffic only from the CIDR blocks in publicAccessCidrs, which do not include this auditor, so the timeout is expected.`,
        certificate: null,
      };
      return withRotation(target, 'skipped', caCheck, [reason], null, context);
    }
    const reason: Reason = {
      code: probed.code,
      level: 'unknown',
      message: probed.message,
      certificate: null,
    };
    return withRotation(
      target,
      'unreachable',
      caCheck,
      [reason],
      null,
      context,
    );
  }

  const tls: TlsFacts = { protocol: probed.protocol, cipher: probed.cipher };
  const evaluation = judge(probed.chain, probed.host);
  return withRotation(target, evaluation.verdict, evaluation, [], tls, context);
}

/**
 * Judges a chain already in hand (from a handshake, or from a file for
 * offline `verify`, where `tls` is `null`) against the target's CA data.
 */
export function assessChain(
  target: ClusterTarget,
  presented: readonly Uint8Array[],
  host: string | null,
  tls: TlsFacts | null,
  context: Pick<AssessContext, 'now' | 'thresholds'>,
): ClusterReport {
  const evaluation = chainJudge(target, context)(presented, host);
  return withRotation(target, evaluation.verdict, evaluation, [], tls, context);
}

type ChainEvaluation = ReturnType<typeof evaluateChain>;

/**
 * Returns a function that judges a presented chain (or, with `null`, the
 * CA bundle alone) against the target's CA data, parsed here once.
 */
function chainJudge(
  target: ClusterTarget,
  context: Pick<AssessContext, 'now' | 'thresholds'>,
): (
  presented: readonly Uint8Array[] | null,
  host: string | null,
) => ChainEvaluation {
  const common = {
    now: context.now,
    thresholds: context.thresholds,
    signingCaFingerprint: signingCaFingerprint(
      target.rotation,
      target.activeCaId,
    ),
  };
  const caData = target.caData;
  const bundle =
    caData === null || caData.trim() === '' ? null : parseCaData(caData);
  if (bundle === null || !bundle.ok) {
    // No CA data or unusable CA data: the verifier says so.
    return (presented, host) =>
      evaluateChain({ ...common, presented, host, caData });
  }
  return (presented, host) =>
    evaluateWithAnchors({ ...common, presented, host, anchors: bundle.cas });
}

function withRotation(
  target: ClusterTarget,
  verdict: Verdict,
  evaluation: ChainEvaluation,
  probeReasons: readonly Reason[],
  tls: TlsFacts | null,
  context: Pick<AssessContext, 'now' | 'thresholds'>,
): ClusterReport {
  const rotation = evaluateRotation({
    certificateAuthorities: evaluation.certificateAuthorities,
    rotation: target.rotation,
    trusted:
      verdict === 'trusted' || verdict === 'untrusted'
        ? verdict === 'trusted'
        : null,
    now: context.now,
    thresholds: context.thresholds,
  });
  const reasons = [
    ...target.preReasons,
    ...probeReasons,
    ...evaluation.reasons,
    ...rotation.reasons,
  ];
  return {
    ...finish(target, verdict, reasons, tls),
    serverCertificate: evaluation.serverCertificate,
    intermediates: evaluation.intermediates,
    certificateAuthorities: rotation.certificateAuthorities,
  };
}

function finish(
  target: ClusterTarget,
  verdict: Verdict,
  reasons: readonly Reason[],
  tls: TlsFacts | null,
): ClusterReport {
  return {
    name: target.name,
    region: target.region,
    accountId: target.accountId,
    endpoint: target.endpoint,
    verdict,
    severity: severityOf(verdict, reasons),
    reasons,
    tls,
    serverCertificate: null,
    intermediates: [],
    certificateAuthorities: [],
  };
}

/**
 * A reason when the endpoint URL cannot be probed at all (a kubeconfig
 * `server` with a bad port, credentials in it, another scheme): a finding
 * about the entry, not a failure of the audit.
 */
function unusableEndpoint(endpoint: string | null): Reason | null {
  if (endpoint === null) return null;
  try {
    parseEndpointUrl(endpoint);
    return null;
  } catch (error) {
    if (!(error instanceof AuditError)) throw error;
    return {
      code: 'NO_ENDPOINT',
      level: 'warning',
      message: `The endpoint cannot be probed: ${error.message}.`,
      certificate: null,
    };
  }
}
