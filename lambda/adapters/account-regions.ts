import {
  type AccountClient,
  paginateListRegions,
  RegionOptStatus,
} from '@aws-sdk/client-account';
import { AuditError } from '../engine/errors.js';
import { describeAwsError } from './eks-errors.js';

/** Opt statuses of the regions the account can use. */
const ENABLED_STATUSES = Object.freeze([
  RegionOptStatus.ENABLED,
  RegionOptStatus.ENABLED_BY_DEFAULT,
]);

/**
 * The regions the account can use, sorted: the Account API's ListRegions
 * (every page) with the statuses ENABLED and ENABLED_BY_DEFAULT.
 *
 * The Account API rather than EC2 DescribeRegions keeps the EC2 client,
 * twice the size of the five clients the job needs, out of the cold start.
 *
 * @throws AuditError `CONFIG_INVALID` when the call fails after retries:
 * without a region list the run cannot start, and the message says to
 * grant account:ListRegions or set AUDIT_REGIONS.
 */
export async function listEnabledRegions(
  client: AccountClient,
): Promise<string[]> {
  const regions: string[] = [];
  try {
    const pages = paginateListRegions(
      { client, stopOnSameToken: true },
      { RegionOptStatusContains: [...ENABLED_STATUSES] },
    );
    for await (const page of pages) {
      for (const region of page.Regions ?? []) {
        if (region.RegionName) regions.push(region.RegionName);
      }
    }
  } catch (error) {
    throw new AuditError(
      'CONFIG_INVALID',
      `Listing the account's enabled regions failed (account:ListRegions: ${describeAwsError(error)}); grant account:ListRegions to the auditor's role or set AUDIT_REGIONS to a comma-separated list of regions.`,
      { cause: error },
    );
  }
  return [...new Set(regions)].sort();
}

/**
 * The regions of the run: the configured list when there is one (no call
 * is made, so a missing account:ListRegions permission does not matter),
 * else {@link listEnabledRegions}.
 */
export async function resolveRegions(
  configured: readonly string[] | null,
  client: () => AccountClient,
): Promise<readonly string[]> {
  if (configured !== null) return configured;
  return listEnabledRegions(client());
}
