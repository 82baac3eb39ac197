import type { BundleComparison } from './bundle-bench.js';
import type { MachineInfo } from './machine-info.js';
import { fixed, markdownTable } from './markdown-table.js';
import { median } from './single-handshake.js';

/** One measured pass of a tool over the whole fleet. */
export interface PassFigures {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  /** CPU the fleet server used during the pass. */
  readonly serverCpuMs: number;
  /** `true` when the tool vouched for every cluster. */
  readonly correct: boolean;
  /** What went wrong when not `correct`. */
  readonly note: string | null;
  /** The machine's 1-minute load average just before the pass. */
  readonly loadBefore: number;
}

/** A tool's passes, or why it was not run. */
export type ToolResult =
  | { readonly status: 'ran'; readonly passes: readonly PassFigures[] }
  | { readonly status: 'skipped'; readonly reason: string };

/** Everything measured on one fleet size. */
export interface SizeResult {
  readonly size: number;
  readonly delayMs: number;
  readonly concurrency: number;
  /** Online CPUs of the machine. */
  readonly cpus: number;
  /** Median of single handshakes made one at a time. */
  readonly handshakeMs: number;
  /** ceil(size / concurrency) × handshakeMs. */
  readonly idealMs: number;
  readonly tools: Readonly<Record<ToolName, ToolResult>>;
  /** blackbox_exporter's start until ready, not in its passes; or `null`. */
  readonly blackboxStartMs: number | null;
}

/** The tools of a table, ours first. */
export const TOOL_NAMES = Object.freeze([
  'eks-cert-audit',
  'openssl loop',
  'blackbox_exporter',
] as const);

/** One of {@link TOOL_NAMES}. */
export type ToolName = (typeof TOOL_NAMES)[number];

/** The whole run, as written to `bench/results/`. */
export interface BenchResults {
  readonly startedAt: string;
  readonly command: string;
  readonly machine: MachineInfo;
  readonly blackboxVersion: string | null;
  readonly sizes: readonly SizeResult[];
  /** The bundle figures, the error that stopped them, or `null`. */
  readonly bundle: BundleComparison | { readonly error: string } | null;
}

/** Median figures over a tool's passes. */
export function medianPass(passes: readonly PassFigures[]) {
  const pick = (key: keyof PassFigures) =>
    median(passes.map((pass) => pass[key] as number));
  const walls = passes.map((pass) => pass.wallMs);
  return {
    wallMs: pick('wallMs'),
    minWallMs: Math.min(...walls),
    maxWallMs: Math.max(...walls),
    cpuMs: pick('cpuMs'),
    peakRssMb: pick('peakRssMb'),
    serverCpuMs: pick('serverCpuMs'),
    correct: passes.every((pass) => pass.correct),
  };
}

/** Renders the results as markdown: one table per size, then the bundle. */
export function renderMarkdown(results: BenchResults): string {
  const parts = [
    `Machine: ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGiB} GiB, Node.js ${results.machine.node}, ${results.machine.openssl ?? 'no openssl'}, blackbox_exporter ${results.blackboxVersion ?? 'not run'}.`,
    `Command: \`${results.command}\``,
  ];
  for (const size of results.sizes) parts.push(renderSize(size));
  if (results.bundle !== null && 'error' in results.bundle) {
    parts.push(`Lambda bundle: not measured (${results.bundle.error})`);
  } else if (results.bundle !== null) {
    parts.push(renderBundle(results.bundle));
  }
  return `${parts.join('\n\n')}\n`;
}

function renderSize(result: SizeResult): string {
  const ours = result.tools['eks-cert-audit'];
  const oursWall =
    ours.status === 'ran' ? medianPass(ours.passes).wallMs : Number.NaN;
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const name of TOOL_NAMES) {
    const tool = result.tools[name];
    if (tool.status === 'skipped') {
      notes.push(`${name} skipped: ${tool.reason}`);
      continue;
    }
    const figures = medianPass(tool.passes);
    const range =
      tool.passes.length > 1
        ? ` (${fixed(figures.minWallMs / 1000, 2)}–${fixed(figures.maxWallMs / 1000, 2)})`
        : '';
    rows.push([
      figures.correct ? name : `${name} (INCORRECT)`,
      `${fixed(figures.wallMs / 1000, 2)}${range}`,
      fixed(result.size / (figures.wallMs / 1000), 0),
      fixed(figures.peakRssMb, 0),
      fixed(figures.cpuMs / 1000, 2),
      fixed(figures.serverCpuMs / 1000, 2),
      fixed(figures.wallMs / result.idealMs, 2),
      name === 'eks-cert-audit'
        ? '—'
        : `${fixed(figures.wallMs / oursWall, 1)}×`,
    ]);
    for (const pass of tool.passes) {
      if (pass.note !== null) notes.push(`${name}: ${pass.note}`);
    }
  }
  rows.push([
    `ideal: ⌈N/C⌉ × ${fixed(result.handshakeMs, 1)} ms`,
    fixed(result.idealMs / 1000, 2),
    fixed(result.size / (result.idealMs / 1000), 0),
    '—',
    '—',
    '—',
    '1.00',
    `${fixed(result.idealMs / oursWall, 2)}×`,
  ]);
  const loads = TOOL_NAMES.flatMap((name) => {
    const tool = result.tools[name];
    return tool.status === 'ran' ? tool.passes.map((p) => p.loadBefore) : [];
  });
  notes.push(
    `1-minute load average before the passes: ${fixed(Math.min(...loads), 2)}–${fixed(Math.max(...loads), 2)} on ${result.cpus} CPUs`,
  );
  if (result.blackboxStartMs !== null) {
    notes.push(
      `blackbox_exporter ran warm: its start and configuration load (${fixed(result.blackboxStartMs / 1000, 2)} s) come before its passes, while a pass of ours includes its own process start and kubeconfig parse`,
    );
  }
  const passes = ours.status === 'ran' ? ours.passes.length : 0;
  return [
    `### N = ${result.size} (handshake delay ${result.delayMs} ms, concurrency ${result.concurrency}, median of ${passes} runs)`,
    '',
    markdownTable(
      [
        'tool',
        'wall s',
        'clusters/s',
        'peak RSS MB',
        'CPU s',
        'server CPU s',
        '× ideal',
        'its time ÷ ours',
      ],
      rows,
    ),
    ...(notes.length > 0 ? ['', ...notes.map((note) => `- ${note}`)] : []),
  ].join('\n');
}

function renderBundle(bundle: BundleComparison): string {
  const row = (name: string, figures: BundleComparison['handler']) => [
    name,
    fixed(figures.bytes / 1_000_000, 3),
    fixed(figures.importMsMedian, 0),
    fixed(figures.readyMsMedian, 0),
    fixed(figures.importMsMedian / bundle.floor.importMsMedian, 2),
  ];
  return [
    `### Lambda bundle (median of ${bundle.handler.importMs.length} fresh processes)`,
    '',
    markdownTable(
      ['bundle', 'MB', 'import ms', 'process start to ready ms', '÷ floor'],
      [
        row('handler (lambda/handler.ts)', bundle.handler),
        row('floor: the five SDK clients', bundle.floor),
      ],
    ),
  ].join('\n');
}
