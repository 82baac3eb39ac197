import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BundlingOptions,
  LogLevel,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { build } from 'esbuild';

/** The repository root: the CDK project root and esbuild's working root. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The esbuild settings of the deployed function, in one place so that the
 * stack and {@link bundleHandler} cannot drift apart.
 *
 * - `target` is Node.js 22, the Lambda runtime; the code itself stays
 *   within Node.js 20 APIs.
 * - The AWS SDK is bundled (`externalModules` empty): the function runs
 *   the SDK version the lock file pins, not whatever the runtime ships.
 * - ESM output, with `module` before `main` so that packages that ship
 *   both give esbuild their ESM build. Bundled CommonJS code may still
 *   call `require` for Node built-ins; the banner gives ESM output a real
 *   `require` (under a name no bundled module uses for its import).
 * - No source map: it would double the size the cold start reads.
 */
export const LAMBDA_BUNDLE = Object.freeze({
  entry: join(PROJECT_ROOT, 'lambda', 'handler.ts'),
  handlerExport: 'handler',
  tsconfig: join(PROJECT_ROOT, 'tsconfig.json'),
  depsLockFile: join(PROJECT_ROOT, 'package-lock.json'),
  outputFile: 'index.mjs',
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  sourceMap: false,
  externalModules: Object.freeze([] as string[]),
  mainFields: Object.freeze(['module', 'main']),
  banner:
    "import { createRequire as __eksCertAuditRequire } from 'node:module';" +
    ' const require = __eksCertAuditRequire(import.meta.url);',
} as const);

/**
 * The `bundling` options of the NodejsFunction: {@link LAMBDA_BUNDLE} in
 * CDK's terms, with esbuild run locally (never in Docker).
 */
export function nodejsBundlingOptions(): BundlingOptions {
  return {
    forceDockerBundling: false,
    format: OutputFormat.ESM,
    target: LAMBDA_BUNDLE.target,
    minify: LAMBDA_BUNDLE.minify,
    sourceMap: LAMBDA_BUNDLE.sourceMap,
    externalModules: [...LAMBDA_BUNDLE.externalModules],
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    banner: LAMBDA_BUNDLE.banner,
    tsconfig: LAMBDA_BUNDLE.tsconfig,
    logLevel: LogLevel.WARNING,
  };
}

/** Where a bundle was written and how large it is. */
export interface BundleResult {
  /** Absolute path of the bundled `index.mjs`. */
  readonly file: string;
  readonly bytes: number;
}

/**
 * Bundles `lambda/handler.ts` into `outdir/index.mjs` exactly as the
 * deployment does, for the end-to-end test and the benchmark. The result
 * is an ES module that exports `handler`.
 */
export function bundleHandler(outdir: string): Promise<BundleResult> {
  return bundleEntry(LAMBDA_BUNDLE.entry, outdir);
}

/**
 * Bundles any entry with the deployment's settings into
 * `outdir/index.mjs`; {@link bundleHandler} is this for the handler.
 * Rejects with esbuild's error when the entry does not build.
 */
export async function bundleEntry(
  entry: string,
  outdir: string,
): Promise<BundleResult> {
  const file = join(outdir, LAMBDA_BUNDLE.outputFile);
  await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: LAMBDA_BUNDLE.platform,
    target: LAMBDA_BUNDLE.target,
    format: LAMBDA_BUNDLE.format,
    minify: LAMBDA_BUNDLE.minify,
    sourcemap: LAMBDA_BUNDLE.sourceMap,
    external: [...LAMBDA_BUNDLE.externalModules],
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    banner: { js: LAMBDA_BUNDLE.banner },
    tsconfig: LAMBDA_BUNDLE.tsconfig,
    logLevel: 'warning',
  });
  const { size } = await stat(file);
  return { file, bytes: size };
}
