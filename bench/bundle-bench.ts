import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleEntry, LAMBDA_BUNDLE } from '../infra/lambda-bundle.js';
import { measureProcess } from './measure-process.js';
import { median } from './single-handshake.js';

/** Size and load time of one bundle. */
export interface BundleFigures {
  readonly bytes: number;
  /** `await import()` of the bundle, module evaluation included. */
  readonly importMs: readonly number[];
  /** From the Node process's start until the import resolved. */
  readonly readyMs: readonly number[];
  readonly importMsMedian: number;
  readonly readyMsMedian: number;
}

/** The handler's bundle beside the floor of the five SDK clients. */
export interface BundleComparison {
  readonly handler: BundleFigures;
  readonly floor: BundleFigures;
}

const FLOOR_ENTRY = fileURLToPath(
  new URL('./sdk-floor-entry.ts', import.meta.url),
);

/**
 * Loads the module named by argv[1] and prints how long the import took
 * and how long since the process started; exits 2 without a `handler`.
 */
const LOADER = `
const started = performance.now();
const loaded = await import(process.argv[1]);
const ready = performance.now();
if (typeof loaded.handler !== 'function') process.exit(2);
process.stdout.write(JSON.stringify({ importMs: ready - started, readyMs: ready }));
`;

/** Environment of a cold start: a region and fake credentials, offline. */
const LOAD_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  AWS_REGION: 'us-west-2',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
  AWS_SECRET_ACCESS_KEY: 'benchmark-secret',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/**
 * Bundles the handler (by default `lambda/handler.ts` of this tree) and
 * the SDK floor with the deployment's esbuild settings, then imports each
 * `runs` times in fresh Node processes, alternating the two so that both
 * see the same machine state.
 */
export async function compareBundles(
  runs: number,
  handlerEntry: string = LAMBDA_BUNDLE.entry,
): Promise<BundleComparison> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-bundle-'));
  try {
    const handler = await bundleEntry(handlerEntry, join(dir, 'handler'));
    const floor = await bundleEntry(FLOOR_ENTRY, join(dir, 'floor'));
    const samples = {
      handler: { importMs: [] as number[], readyMs: [] as number[] },
      floor: { importMs: [] as number[], readyMs: [] as number[] },
    };
    // One untimed load each first, so that both are in the page cache.
    await loadOnce(handler.file);
    await loadOnce(floor.file);
    for (let run = 0; run < runs; run += 1) {
      for (const [name, file] of [
        ['handler', handler.file],
        ['floor', floor.file],
      ] as const) {
        const timing = await loadOnce(file);
        samples[name].importMs.push(timing.importMs);
        samples[name].readyMs.push(timing.readyMs);
      }
    }
    return {
      handler: figures(handler.bytes, samples.handler),
      floor: figures(floor.bytes, samples.floor),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function figures(
  bytes: number,
  samples: { importMs: number[]; readyMs: number[] },
): BundleFigures {
  return {
    bytes,
    importMs: samples.importMs,
    readyMs: samples.readyMs,
    importMsMedian: median(samples.importMs),
    readyMsMedian: median(samples.readyMs),
  };
}

async function loadOnce(
  file: string,
): Promise<{ importMs: number; readyMs: number }> {
  const run = await measureProcess(
    process.execPath,
    ['--input-type=module', '-e', LOADER, pathToFileURL(file).href],
    { timeoutMs: 60_000, env: LOAD_ENV },
  );
  if (run.exitCode !== 0) {
    throw new Error(
      `loading ${file} failed with exit ${run.exitCode}: ${run.stderr.slice(0, 1000)}`,
    );
  }
  return JSON.parse(run.stdout) as { importMs: number; readyMs: number };
}
