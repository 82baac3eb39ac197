import {
  AccessDeniedException,
  AccountClient,
  ListRegionsCommand,
} from '@aws-sdk/client-account';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import {
  listEnabledRegions,
  resolveRegions,
} from '../../lambda/adapters/account-regions.js';
import { AuditError } from '../../lambda/engine/errors.js';
import { FAKE_CREDENTIALS } from './eks-fakes.js';

function stubAccount() {
  const client = new AccountClient({
    region: 'us-east-1',
    credentials: FAKE_CREDENTIALS,
  });
  return { client, stub: mockClient(client) };
}

describe('listEnabledRegions', () => {
  it('asks for enabled regions and reads every page', async () => {
    const { client, stub } = stubAccount();
    stub
      .on(ListRegionsCommand)
      .resolvesOnce({
        Regions: [
          { RegionName: 'us-west-2', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
          { RegionName: 'af-south-1', RegionOptStatus: 'ENABLED' },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        Regions: [
          { RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
        ],
      });

    const regions = await listEnabledRegions(client);

    expect(regions).toEqual(['af-south-1', 'eu-west-1', 'us-west-2']);
    const calls = stub.commandCalls(ListRegionsCommand);
    expect(calls.map((c) => c.args[0].input)).toMatchObject([
      { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] },
      {
        RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'],
        NextToken: 'page-2',
      },
    ]);
  });

  it('stops the run with what to do when the call is denied', async () => {
    const { client, stub } = stubAccount();
    stub
      .on(ListRegionsCommand)
      .rejects(new AccessDeniedException({ message: 'denied', $metadata: {} }));

    const failure = await listEnabledRegions(client).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(AuditError);
    expect(failure).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((failure as Error).message).toMatch(
      /AccessDeniedException: denied.*grant account:ListRegions.*set AUDIT_REGIONS/,
    );
    expect((failure as Error).cause).toBeInstanceOf(AccessDeniedException);
  });
});

describe('resolveRegions', () => {
  it('uses the configured regions without calling the Account API', async () => {
    const { client, stub } = stubAccount();
    stub.on(ListRegionsCommand).rejects(new Error('must not be called'));

    const regions = await resolveRegions(['eu-central-1'], () => client);

    expect(regions).toEqual(['eu-central-1']);
    expect(stub.calls()).toHaveLength(0);
  });

  it('lists the enabled regions when none are configured', async () => {
    const { client, stub } = stubAccount();
    stub
      .on(ListRegionsCommand)
      .resolves({ Regions: [{ RegionName: 'ap-south-1' }] });

    const regions = await resolveRegions(null, () => client);

    expect(regions).toEqual(['ap-south-1']);
  });
});
