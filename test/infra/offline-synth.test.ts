import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OFFLINE_SYNTH_ENV,
  runOfflineSynth,
} from '../../infra/offline-synth.js';

describe('runOfflineSynth', () => {
  let outdir: string;
  let result: Awaited<ReturnType<typeof runOfflineSynth>>;

  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'eks-cert-audit-synth-'));
    result = await runOfflineSynth([
      '--output',
      outdir,
      '-c',
      'alertEmails=ops@example.org',
    ]);
  }, 180_000);

  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it('keeps every AWS call of the CLI on this machine', () => {
    expect(OFFLINE_SYNTH_ENV).toMatchObject({
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
  });

  it('synthesizes the stack with cdk-nag and exits 0', () => {
    expect(result.stderr).not.toMatch(/AwsSolutions-/);
    expect(result.code).toBe(0);
  });

  it('writes the template with the context applied', async () => {
    const template = JSON.parse(
      await readFile(join(outdir, 'EksCertAudit.template.json'), 'utf8'),
    );

    const subscriptions = Object.values(template.Resources).filter(
      (resource: unknown) =>
        (resource as { Type: string }).Type === 'AWS::SNS::Subscription',
    );
    expect(subscriptions).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({ Endpoint: 'ops@example.org' }),
      }),
    ]);
  });

  it('bundles the handler into the asset with local esbuild', async () => {
    const assets = (await readdir(outdir)).filter((name) =>
      name.startsWith('asset.'),
    );

    const bundles = await Promise.all(
      assets.map((asset) => stat(join(outdir, asset, 'index.mjs'))),
    );

    expect(bundles).toHaveLength(1);
    expect(bundles[0]?.size).toBeGreaterThan(100_000);
  });
});
