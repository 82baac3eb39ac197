import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundleEntry,
  bundleHandler,
  LAMBDA_BUNDLE,
  nodejsBundlingOptions,
} from '../../infra/lambda-bundle.js';

const run = promisify(execFile);
const SMOKE_ENTRY = fileURLToPath(
  new URL('./fixtures/bundle-smoke-entry.ts', import.meta.url),
);
const SERVING_PEM = fileURLToPath(
  new URL('../fixtures/seed-eks-2018/kube-apiserver.pem', import.meta.url),
);

/** Imports a bundle in a fresh Node.js and prints `probe(module)` as JSON. */
async function inFreshNode(file: string, probe: string): Promise<unknown> {
  const script =
    `const m = await import(${JSON.stringify(pathToFileURL(file).href)});` +
    `console.log(JSON.stringify(await (${probe})(m)));`;
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '--no-warnings', '-e', script],
    { env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');
}

describe('nodejsBundlingOptions', () => {
  it('gives CDK exactly the settings bundleHandler uses', () => {
    expect(nodejsBundlingOptions()).toMatchObject({
      forceDockerBundling: false,
      format: OutputFormat.ESM,
      target: 'node22',
      minify: true,
      sourceMap: false,
      externalModules: [],
      mainFields: ['module', 'main'],
      banner: LAMBDA_BUNDLE.banner,
      tsconfig: LAMBDA_BUNDLE.tsconfig,
    });
  });
});

describe('bundleEntry', () => {
  let outdir: string;

  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'eks-cert-audit-bundle-'));
  });

  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it('writes one ES module and reports its size', async () => {
    const result = await bundleEntry(SMOKE_ENTRY, outdir);

    expect(result.file).toBe(join(outdir, 'index.mjs'));
    expect(result.bytes).toBe((await stat(result.file)).size);
    expect(result.bytes).toBeGreaterThan(100_000);
  });

  it('bundles the AWS SDK instead of importing it at run time', async () => {
    const { file } = await bundleEntry(SMOKE_ENTRY, outdir);

    const code = await readFile(file, 'utf8');

    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(code).not.toMatch(/from\s*["']@smithy\//);
  });

  it('runs x509, the SDK clients, Powertools and yaml', async () => {
    const { file } = await bundleEntry(SMOKE_ENTRY, outdir);
    const pem = await readFile(SERVING_PEM, 'utf8');

    const result = await inFreshNode(
      file,
      `(m) => m.handler({ pem: ${JSON.stringify(pem)} })`,
    );

    expect(result).toEqual({
      subject: 'CN=kube-apiserver',
      clients: 5,
      yaml: { a: 1 },
    });
  });
});

describe('bundleHandler', () => {
  it('bundles lambda/handler.ts into a module exporting handler', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'eks-cert-audit-handler-'));
    try {
      const { file, bytes } = await bundleHandler(outdir);

      const exported = await inFreshNode(file, '(m) => typeof m.handler');

      expect(exported).toBe('function');
      expect(bytes).toBeGreaterThan(0);
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
