import type { ReasonCode } from '../engine/types.js';

const CHAIN_RULE_BROKEN =
  'The chain breaks an X.509 rule that clients enforce, and EKS does not ' +
  'issue such chains: find out who answers on this endpoint and inspect ' +
  'the network path (proxy, TLS inspection) before trusting it.';

const UNREACHABLE =
  'The API server did not complete a TLS handshake from where the audit ' +
  "runs: check the cluster's status, the endpoint's public access CIDRs " +
  'and the network path. Private-only endpoints cannot be probed from ' +
  'outside the VPC.';

/**
 * What to do about each reason code, in a sentence or two for the digest.
 * A code without an entry (a newer one) gets {@link FALLBACK_REMEDY}.
 */
export const REMEDIES: Readonly<Partial<Record<ReasonCode, string>>> =
  Object.freeze({
    CERT_EXPIRED:
      'AWS renews the serving certificate itself, so an expired one is ' +
      'unusual: look for a proxy or TLS-inspecting device in the middle ' +
      'that presents its own certificate, and open an AWS Support case if ' +
      'the certificate does come from EKS.',
    CERT_NOT_YET_VALID:
      'Check the clock of the machine that ran the audit, then look for a ' +
      'device in the middle that presents its own certificate; open an AWS ' +
      'Support case if EKS presents it.',
    UNKNOWN_ISSUER:
      "The chain does not lead to this cluster's CA: someone in the middle " +
      '(a proxy, TLS inspection, an attacker) or the wrong endpoint. Compare ' +
      'the endpoint with DescribeCluster and inspect the network path; do ' +
      'not send credentials to it until this is explained.',
    BAD_SIGNATURE:
      'A certificate names the cluster CA as issuer but its signature does ' +
      'not verify: treat it as interception until shown otherwise and ' +
      'inspect the network path.',
    CERT_MALFORMED:
      'A certificate the server presented cannot be decoded or breaks the ' +
      'X.509 encoding rules; EKS never serves such a certificate. Treat it ' +
      'as interception or a broken device in the middle, inspect the ' +
      'network path, and run the check command below to see the bytes.',
    ISSUER_NOT_CA: CHAIN_RULE_BROKEN,
    ISSUER_CANNOT_SIGN: CHAIN_RULE_BROKEN,
    PATH_LENGTH_EXCEEDED: CHAIN_RULE_BROKEN,
    EKU_NOT_SERVER_AUTH: CHAIN_RULE_BROKEN,
    UNSUPPORTED_CRITICAL_EXTENSION: CHAIN_RULE_BROKEN,
    PATH_BUILDING_LIMIT:
      'The server sent a chain too large or looping to check: treat the ' +
      'endpoint as hostile until you know who answers on it.',
    HOSTNAME_MISMATCH:
      "The certificate is not for the endpoint's host name: someone in the " +
      'middle, or the wrong endpoint (a stale DNS record, a wrong ' +
      'tls-server-name in a kubeconfig). Compare the endpoint with ' +
      'DescribeCluster.',
    CA_EXPIRED:
      'Clients that verify the API server fail now. Rotate the cluster CA ' +
      'and give every client (kubeconfigs, CI secrets, GitOps cluster ' +
      'secrets) the new CA data.',
    CA_DATA_INVALID:
      'The CA data cannot be used: check certificateAuthority.data in ' +
      'DescribeCluster, or certificate-authority-data in the kubeconfig, ' +
      'for truncation or a wrong paste.',
    NO_CA_DATA:
      'Nothing can be verified without CA data: add ' +
      'certificate-authority-data to the kubeconfig entry, or check the ' +
      "cluster's status.",
    INSECURE_SKIP_TLS_VERIFY:
      'Remove insecure-skip-tls-verify from the kubeconfig entry and set ' +
      "certificate-authority-data to the cluster's CA.",
    EXPIRES_SOON:
      'AWS renews the serving certificate before it expires. If the date ' +
      'has not moved within a day, open an AWS Support case and check for a ' +
      'proxy that presents its own certificate.',
    CA_EXPIRES_SOON:
      'Plan the CA rotation now: let EKS create the successor CA, give every ' +
      'client that pins CA data (kubeconfigs, CI secrets, GitOps cluster ' +
      'secrets) a bundle holding both CAs, then activate it.',
    WEAK_KEY:
      'A key on the path is weaker than RSA 2048 or EC 256 bits: find out ' +
      'who issued it, and open an AWS Support case if EKS did.',
    WEAK_SIGNATURE:
      'A certificate on the path is signed with SHA-1 or MD5, which modern ' +
      'clients reject: find out who issued it.',
    SUCCESSOR_CA_PRESENT:
      'A successor CA is waiting. Give every client that pins CA data a ' +
      'bundle with both CAs before it is activated, so the switch breaks ' +
      'nothing.',
    CA_AUTO_ACTIVATION_SOON:
      'EKS activates the successor CA by itself on the final automatic ' +
      'activation date. Finish handing out the two-CA bundle before then, ' +
      'or activate earlier at a time you choose.',
    CA_DISTRIBUTION_FAILED:
      "EKS could not distribute a CA to the cluster: check the cluster's " +
      'health and the rotation status, and open an AWS Support case if it ' +
      'stays FAILED.',
    NOT_SIGNED_BY_SIGNING_CA:
      'The chain anchors in a CA that EKS does not report as in use: check ' +
      'the rotation status, and make sure clients trust both CAs.',
    SIGNING_CA_CHANGED:
      'Make sure every pinned copy of the CA data (kubeconfigs, CI secrets, ' +
      'GitOps cluster secrets) holds the new CA; `aws eks ' +
      'update-kubeconfig` refreshes kubeconfigs.',
    TIMEOUT: UNREACHABLE,
    CONNECTION_REFUSED: UNREACHABLE,
    CONNECTION_RESET: UNREACHABLE,
    DNS_FAILURE: UNREACHABLE,
    TLS_HANDSHAKE_FAILED: UNREACHABLE,
    TIME_BUDGET_EXHAUSTED:
      "The run stopped before this cluster: raise the function's timeout " +
      'or the probe concurrency.',
    API_ERROR:
      'The EKS calls for this cluster failed after retries: check the ' +
      "function's IAM permissions and API throttling, then check again.",
    AUDIT_FAILED:
      'The audit failed on this cluster; the logs of the run hold the error.',
  });

/** The remedy of a code that has none of its own. */
export const FALLBACK_REMEDY =
  'Run the check below and read the finding; the README explains each code.';

/** What to do about `code`. */
export function remedyFor(code: ReasonCode): string {
  return REMEDIES[code] ?? FALLBACK_REMEDY;
}
