import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measureProcess, type ProcessMeasurement } from './measure-process.js';

/** The built CLI that `npm run build` writes. */
export const BUILT_CLI = fileURLToPath(
  new URL('../dist/lambda/cli.js', import.meta.url),
);

/** One run of the auditor and what its report said. */
export interface AuditorRun extends ProcessMeasurement {
  /** Clusters in the report. */
  readonly clusters: number;
  /** Clusters by verdict, from the report's summary. */
  readonly byVerdict: Readonly<Record<string, number>>;
  /** `true` when every one of the expected clusters is `trusted`. */
  readonly allTrusted: boolean;
  /** The first reason of the first cluster that is not trusted. */
  readonly firstProblem: string | null;
}

/** Options of {@link runAuditor}. */
export interface AuditorOptions {
  readonly kubeconfig: string;
  readonly expected: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** The CLI script to run. @default BUILT_CLI */
  readonly cli?: string;
  /** Extra flags for `node` itself, such as `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
}

interface ReportShape {
  readonly clusters: readonly {
    readonly name: string | null;
    readonly verdict: string;
    readonly reasons: readonly { code: string; message: string }[];
  }[];
  readonly summary: { readonly byVerdict: Record<string, number> };
}

/** `true` when the CLI script exists (by default the one of the build). */
export function hasBuiltCli(cli: string = BUILT_CLI): boolean {
  return existsSync(cli);
}

/**
 * Runs `node dist/lambda/cli.js audit --kubeconfig FILE --json
 * --concurrency C` as a child process, measures it and checks its report:
 * the expected number of clusters, every one `trusted`.
 */
export async function runAuditor(options: AuditorOptions): Promise<AuditorRun> {
  const run = await measureProcess(
    process.execPath,
    [
      ...(options.nodeFlags ?? []),
      options.cli ?? BUILT_CLI,
      'audit',
      '--kubeconfig',
      options.kubeconfig,
      '--json',
      '--concurrency',
      String(options.concurrency),
    ],
    { timeoutMs: options.timeoutMs, env: auditorEnv() },
  );
  let report: ReportShape;
  try {
    report = JSON.parse(run.stdout) as ReportShape;
  } catch {
    return {
      ...run,
      clusters: 0,
      byVerdict: {},
      allTrusted: false,
      firstProblem: `exit ${run.exitCode}, no JSON report: ${run.stderr.slice(0, 500)}`,
    };
  }
  const bad = report.clusters.find((c) => c.verdict !== 'trusted');
  const firstReason = bad?.reasons[0];
  return {
    ...run,
    clusters: report.clusters.length,
    byVerdict: report.summary.byVerdict,
    allTrusted:
      bad === undefined && report.clusters.length === options.expected,
    firstProblem:
      bad === undefined
        ? null
        : `${bad.name}: ${bad.verdict}${firstReason === undefined ? '' : ` ${firstReason.code} ${firstReason.message}`}`,
  };
}

/**
 * The environment of the audited CLI: the caller's, without any AUDIT_*
 * setting that would change the run, without NODE_EXTRA_CA_CERTS (some
 * sandboxes set it, and reading the file costs every Node process about
 * 40 ms at start, which no user pays), and with AWS kept offline (the
 * kubeconfig audit makes no AWS call, this only makes sure of it).
 */
function auditorEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('AUDIT_') && key !== 'NODE_EXTRA_CA_CERTS') {
      env[key] = value;
    }
  }
  env.AWS_EC2_METADATA_DISABLED = 'true';
  return env;
}
