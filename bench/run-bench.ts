import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type BenchResults,
  type PassFigures,
  renderMarkdown,
  type SizeResult,
  TOOL_NAMES,
  type ToolName,
  type ToolResult,
} from './bench-results.js';
import {
  findBlackboxExporter,
  type RunningBlackbox,
  startBlackbox,
} from './blackbox-baseline.js';
import { compareBundles } from './bundle-bench.js';
import { machineInfo } from './machine-info.js';
import { hasOpenssl } from './openssl-loop.js';
import { profilePass } from './profile-pass.js';
import { hasBuiltCli } from './run-auditor.js';
import { medianHandshakeMs } from './single-handshake.js';
import { type RunningFleet, startFleet } from './start-fleet.js';
import {
  blackboxPass,
  opensslPass,
  oursPass,
  type PassBody,
} from './tool-passes.js';

const USAGE = `npm run bench -- [options]

  --sizes 10,100,1000     fleet sizes N
  --delay-ms 50           server-side delay before each handshake
  --concurrency 16        probes at once, ours and blackbox_exporter's
  --runs 2                passes of each tool per size (median reported)
  --baselines openssl,blackbox
                          baselines to run, or "none"
  --ideal-samples 20      single handshakes timed for the ideal
  --bundle-runs 10        fresh loads of each bundle; 0 skips the bundle
  --profile               one more pass of ours per size under --cpu-prof
  --skip-build            use the built dist/ as it is instead of building
  --source DIR            measure the code in DIR instead of this working
                          tree (a git archive of HEAD with a node_modules
                          link to this one): builds DIR/dist and bundles
                          DIR/lambda/handler.ts
  --cli FILE              audit with this built cli.js instead of dist's
                          (implies --skip-build), to compare two builds
  --timeout-s 900         kill limit of any one measured pass`;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

interface BenchOptions {
  readonly sizes: readonly number[];
  readonly delayMs: number;
  readonly concurrency: number;
  readonly runs: number;
  readonly baselines: ReadonlySet<string>;
  readonly idealSamples: number;
  readonly bundleRuns: number;
  readonly profile: boolean;
  readonly build: boolean;
  readonly cli: string;
  /** The checkout whose code is measured. */
  readonly source: string;
  readonly timeoutMs: number;
}

function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string', default: '10,100,1000' },
      'delay-ms': { type: 'string', default: '50' },
      concurrency: { type: 'string', default: '16' },
      runs: { type: 'string', default: '2' },
      baselines: { type: 'string', default: 'openssl,blackbox' },
      'ideal-samples': { type: 'string', default: '20' },
      'bundle-runs': { type: 'string', default: '10' },
      profile: { type: 'boolean', default: false },
      'skip-build': { type: 'boolean', default: false },
      cli: { type: 'string' },
      source: { type: 'string' },
      'timeout-s': { type: 'string', default: '900' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const whole = (flag: string, text: string, min: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) {
      throw new Error(
        `--${flag} must be a whole number >= ${min}, got ${text}`,
      );
    }
    return value;
  };
  const baselines = new Set(
    values.baselines.split(',').filter((b) => b !== '' && b !== 'none'),
  );
  for (const name of baselines) {
    if (name !== 'openssl' && name !== 'blackbox') {
      throw new Error(`--baselines takes openssl and blackbox, got ${name}`);
    }
  }
  return {
    sizes: values.sizes.split(',').map((s) => whole('sizes', s, 1)),
    delayMs: whole('delay-ms', values['delay-ms'], 0),
    concurrency: whole('concurrency', values.concurrency, 1),
    runs: whole('runs', values.runs, 1),
    baselines,
    idealSamples: whole('ideal-samples', values['ideal-samples'], 1),
    bundleRuns: whole('bundle-runs', values['bundle-runs'], 0),
    profile: values.profile,
    build: !values['skip-build'] && values.cli === undefined,
    source: resolve(values.source ?? ROOT),
    cli: resolve(
      values.cli ?? join(values.source ?? ROOT, 'dist', 'lambda', 'cli.js'),
    ),
    timeoutMs: whole('timeout-s', values['timeout-s'], 1) * 1000,
  };
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  if (options.build) {
    log(`building the CLI of ${options.source} (tsc -p tsconfig.build.json)`);
    const build = spawnSync(
      process.execPath,
      [TSC, '-p', join(options.source, 'tsconfig.build.json')],
      { cwd: options.source, stdio: 'inherit' },
    );
    if (build.status !== 0) throw new Error('the build failed');
  }
  if (!hasBuiltCli(options.cli)) {
    throw new Error(`${options.cli} is missing: build it first`);
  }
  const blackbox = options.baselines.has('blackbox')
    ? findBlackboxExporter()
    : null;
  const openssl = options.baselines.has('openssl') && (await hasOpenssl());
  let blackboxVersion: string | null = null;

  const sizes: SizeResult[] = [];
  const stem = join(RESULTS_DIR, `bench-${startedAt.replace(/[:.]/g, '-')}`);
  const save = async (bundle: BenchResults['bundle']): Promise<string> => {
    const results: BenchResults = {
      startedAt,
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      machine: machineInfo(),
      blackboxVersion,
      sizes,
      bundle,
    };
    const markdown = renderMarkdown(results);
    await mkdir(RESULTS_DIR, { recursive: true });
    await writeFile(`${stem}.json`, `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(`${stem}.md`, markdown);
    return markdown;
  };
  for (const size of options.sizes) {
    const result = await benchSize(size, options, openssl, blackbox);
    blackboxVersion ??= result.blackboxVersion;
    sizes.push(result.size);
    // Saved after every size: a later failure keeps what was measured.
    await save(null);
  }
  let bundle: BenchResults['bundle'] = null;
  if (options.bundleRuns > 0) {
    log(`bundling and loading the Lambda bundle ${options.bundleRuns} times`);
    try {
      bundle = await compareBundles(
        options.bundleRuns,
        join(options.source, 'lambda', 'handler.ts'),
      );
    } catch (error) {
      // Others may be editing the tree: report it, keep the fleet results.
      bundle = {
        error: error instanceof Error ? error.message : String(error),
      };
      log(`the bundle step failed: ${bundle.error}`);
    }
  }
  process.stdout.write(await save(bundle));
  log(`raw results in ${stem}.json`);
}

async function benchSize(
  size: number,
  options: BenchOptions,
  openssl: boolean,
  blackboxExecutable: string | null,
): Promise<{ size: SizeResult; blackboxVersion: string | null }> {
  const dir = await mkdtemp(join(tmpdir(), `bench-fleet-${size}-`));
  log(`N=${size}: building ${size} clusters (one CA each) in ${dir}`);
  const fleet = await startFleet(size, options.delayMs, dir);
  let blackbox: RunningBlackbox | null = null;
  try {
    log(
      `N=${size}: fleet on 127.0.0.1:${fleet.port}, built in ${(fleet.buildMs / 1000).toFixed(1)} s`,
    );
    const firstHost = await firstClusterHost(fleet);
    const handshakeMs = await medianHandshakeMs(
      fleet.port,
      firstHost,
      options.idealSamples,
    );
    const idealMs = Math.ceil(size / options.concurrency) * handshakeMs;
    log(
      `N=${size}: one handshake ${handshakeMs.toFixed(1)} ms, ideal ${(idealMs / 1000).toFixed(2)} s`,
    );

    const skipped = new Map<ToolName, string>();
    const passes = new Map<ToolName, () => Promise<PassBody>>();
    passes.set('eks-cert-audit', () => oursPass(fleet, size, options));
    if (!options.baselines.has('openssl')) {
      skipped.set('openssl loop', 'not asked for');
    } else if (!openssl) {
      skipped.set('openssl loop', 'no openssl executable on PATH');
    } else {
      passes.set('openssl loop', () => opensslPass(fleet, size, options));
    }
    if (!options.baselines.has('blackbox')) {
      skipped.set('blackbox_exporter', 'not asked for');
    } else if (blackboxExecutable === null) {
      skipped.set(
        'blackbox_exporter',
        'blackbox_exporter is not installed (Debian: apt-get install prometheus-blackbox-exporter); the benchmark never installs anything',
      );
    } else {
      const running = await startBlackbox(
        blackboxExecutable,
        fleet,
        fleet.port,
      );
      blackbox = running;
      passes.set('blackbox_exporter', () =>
        blackboxPass(running, fleet, size, options),
      );
    }

    // Passes take turns (ours, OpenSSL, blackbox_exporter, ours, …), so a
    // busy spell on a shared machine does not fall on one tool alone.
    const done = new Map<ToolName, PassFigures[]>();
    for (let run = 1; run <= options.runs; run += 1) {
      for (const [name, pass] of passes) {
        const figures = await timedPass(pass, name, size, run, options.runs);
        done.set(name, [...(done.get(name) ?? []), figures]);
      }
    }
    if (options.profile) {
      log(await profilePass(fleet, size, options, RESULTS_DIR));
    }
    const tools = Object.fromEntries(
      TOOL_NAMES.map((name): [ToolName, ToolResult] => {
        const reason = skipped.get(name);
        return [
          name,
          reason === undefined
            ? { status: 'ran', passes: done.get(name) ?? [] }
            : { status: 'skipped', reason },
        ];
      }),
    ) as Record<ToolName, ToolResult>;
    return {
      size: {
        size,
        delayMs: options.delayMs,
        concurrency: options.concurrency,
        cpus: availableParallelism(),
        handshakeMs,
        idealMs,
        tools,
        blackboxStartMs: blackbox?.startMs ?? null,
      },
      blackboxVersion: blackbox?.version ?? null,
    };
  } finally {
    await blackbox?.stop();
    await fleet.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function timedPass(
  pass: () => Promise<PassBody>,
  name: ToolName,
  size: number,
  run: number,
  runs: number,
): Promise<PassFigures> {
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const figures = { ...(await pass()), loadBefore };
  log(
    `N=${size}: ${name} run ${run}/${runs}: ${(figures.wallMs / 1000).toFixed(2)} s wall, ${(figures.cpuMs / 1000).toFixed(2)} s CPU, ${figures.peakRssMb.toFixed(0)} MB, load before ${loadBefore.toFixed(2)}${figures.correct ? '' : `, INCORRECT: ${figures.note}`}`,
  );
  return figures;
}

async function firstClusterHost(fleet: RunningFleet): Promise<string> {
  const list = await readFile(fleet.clusterList, 'utf8');
  const host = list.split(' ')[0];
  if (host === undefined || host === '') {
    throw new Error(`the fleet's cluster list ${fleet.clusterList} is empty`);
  }
  return host;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
