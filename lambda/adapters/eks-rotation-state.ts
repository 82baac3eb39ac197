import {
  type CertificateAuthority,
  DescribeCertificateAuthorityCommand,
  type EKSClient,
  paginateListCertificateAuthorities,
} from '@aws-sdk/client-eks';
import type { RotationCa, RotationState } from '../engine/inventory.js';
import { type AuditLogger, silentLogger } from '../engine/logger.js';
import { isoSeconds } from '../engine/report.js';
import {
  describeAwsError,
  isAccessDenied,
  isOperationUnavailable,
} from './eks-errors.js';

/**
 * Reads the CA rotation state of one region's clusters through
 * ListCertificateAuthorities and DescribeCertificateAuthority, and
 * remembers when the region denies or does not know these calls, so that
 * the other clusters of the region do not repeat a call bound to fail.
 *
 * Clusters read at the same time may each see the refusal before it is
 * remembered: at most the describe concurrency of calls fail that way.
 * Any other failure (throttled after retries, a cluster gone meanwhile,
 * InvalidRequestException for a cluster without the feature) concerns one
 * cluster only and is not remembered.
 */
export class RotationStateReader {
  readonly #client: EKSClient;
  readonly #region: string;
  readonly #logger: Pick<AuditLogger, 'warn'>;
  #regionRefusal: string | null = null;
  #read = 0;
  #missing = 0;

  constructor(
    client: EKSClient,
    region: string,
    logger: Pick<AuditLogger, 'warn'> = silentLogger,
  ) {
    this.#client = client;
    this.#region = region;
    this.#logger = logger;
  }

  /**
   * `null` before any cluster was read, `false` when the state of at
   * least one cluster is missing, else `true`.
   */
  get available(): boolean | null {
    if (this.#read === 0) return null;
    return this.#missing === 0;
  }

  /** The rotation state of one cluster; never throws for an AWS error. */
  async read(clusterName: string): Promise<RotationState> {
    this.#read += 1;
    if (this.#regionRefusal !== null) {
      this.#missing += 1;
      return { available: false, message: this.#regionRefusal };
    }
    try {
      return { available: true, cas: await this.#fetch(clusterName) };
    } catch (error) {
      this.#missing += 1;
      return this.#unavailable(clusterName, error);
    }
  }

  async #fetch(clusterName: string): Promise<RotationCa[]> {
    const cas: RotationCa[] = [];
    const pages = paginateListCertificateAuthorities(
      // A repeated token from a misbehaving API must not loop for ever.
      { client: this.#client, stopOnSameToken: true },
      { clusterName },
    );
    for await (const page of pages) {
      for (const summary of page.certificateAuthorities ?? []) {
        if (summary.id === undefined) continue;
        const answer = await this.#client.send(
          new DescribeCertificateAuthorityCommand({
            clusterName,
            certificateAuthorityId: summary.id,
          }),
        );
        cas.push(toRotationCa({ ...summary, ...answer.certificateAuthority }));
      }
    }
    return cas;
  }

  #unavailable(clusterName: string, error: unknown): RotationState {
    const detail = describeAwsError(error);
    const fields = { region: this.#region, clusterName, error: detail };
    if (isAccessDenied(error) || isOperationUnavailable(error)) {
      this.#regionRefusal ??= isAccessDenied(error)
        ? `The CA rotation calls are denied in ${this.#region} (${detail}); grant eks:ListCertificateAuthorities and eks:DescribeCertificateAuthority to see the rotation state. Findings use the CA bundle alone.`
        : `The CA rotation API is not available in ${this.#region} (${detail}). Findings use the CA bundle alone.`;
      this.#logger.warn('CA rotation state unavailable in region', fields);
      return { available: false, message: this.#regionRefusal };
    }
    this.#logger.warn('CA rotation state unavailable for cluster', fields);
    return {
      available: false,
      message: `Reading the CA rotation state failed (${detail}). Findings use the CA bundle alone.`,
    };
  }
}

/** Maps one DescribeCertificateAuthority answer to the engine's shape. */
export function toRotationCa(ca: CertificateAuthority): RotationCa {
  return {
    facts: {
      id: ca.id ?? null,
      signingStatus: ca.signingStatus ?? null,
      distributionStatus: ca.distributionStatus ?? null,
      firstAutoActivation: iso(ca.scheduledEvents?.firstAutoActivation),
      finalAutoActivation: iso(ca.scheduledEvents?.finalAutoActivation),
      rollbackAvailable: ca.rollbackAvailable ?? null,
    },
    data: ca.data || null,
    notBefore: iso(ca.validity?.notBefore),
    notAfter: iso(ca.validity?.notAfter),
  };
}

function iso(date: Date | undefined): string | null {
  if (date === undefined || Number.isNaN(date.getTime())) return null;
  return isoSeconds(date);
}
