import { readFile } from 'node:fs/promises';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
}

/** Self time spent in one place of the code, in milliseconds. */
export interface SelfTime {
  readonly name: string;
  readonly ms: number;
}

/** Where a CPU profile's time went, by function and by module. */
export interface ProfileSummary {
  readonly totalMs: number;
  readonly byFunction: readonly SelfTime[];
  readonly byModule: readonly SelfTime[];
  /** Time inside each of the phase functions asked for, callees included. */
  readonly phases: readonly SelfTime[];
}

/**
 * Functions of the CLI that mark its phases; time inside them includes
 * what they call. Missing names are reported as 0 ms.
 */
export const PHASE_FUNCTIONS = Object.freeze([
  'parseKubeconfig',
  'probeEndpoint',
  'getPeerCertificate',
  'closePolitely',
  'evaluateChain',
  'parseCaData',
  'createPublicKey',
  'createSecureContext',
  'evaluateRotation',
  'printReport',
  '(garbage collector)',
  '(idle)',
]);

/**
 * Reads a `.cpuprofile` written by `node --cpu-prof` and adds up the self
 * time of each function and of each module (a package in node_modules, a
 * file of ours, Node's internals), the largest first.
 */
export async function summarizeCpuProfile(
  file: string,
  top: number,
  phaseFunctions: readonly string[] = PHASE_FUNCTIONS,
): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const hits = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const msPerHit = hits === 0 ? 0 : totalMs / hits;
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = (node.hitCount ?? 0) * msPerHit;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url === '' ? '' : ` ${shortUrl(url)}:${lineNumber + 1}`;
    const name = `${functionName || '(anonymous)'}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const module = moduleOf(functionName, url);
    byModule.set(module, (byModule.get(module) ?? 0) + ms);
  }
  return {
    totalMs,
    byFunction: largest(byFunction, top),
    byModule: largest(byModule, top),
    phases: inclusiveTimes(profile, msPerHit, phaseFunctions),
  };
}

/**
 * Adds each sample to every named function on its stack, once per
 * function even when it recurses.
 */
function inclusiveTimes(
  profile: CpuProfile,
  msPerHit: number,
  names: readonly string[],
): SelfTime[] {
  const parents = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parents.set(child, node);
  }
  const wanted = new Set(names);
  const totals = new Map(names.map((name) => [name, 0]));
  for (const node of profile.nodes) {
    const ms = (node.hitCount ?? 0) * msPerHit;
    if (ms === 0) continue;
    const seen = new Set<string>();
    for (
      let at: ProfileNode | undefined = node;
      at !== undefined;
      at = parents.get(at.id)
    ) {
      const name = at.callFrame.functionName.replace(/^.*\./, '');
      const key = wanted.has(at.callFrame.functionName)
        ? at.callFrame.functionName
        : name;
      if (wanted.has(key) && !seen.has(key)) {
        seen.add(key);
        totals.set(key, (totals.get(key) ?? 0) + ms);
      }
    }
  }
  return names.map((name) => ({ name, ms: totals.get(name) ?? 0 }));
}

function largest(times: Map<string, number>, top: number): SelfTime[] {
  return [...times.entries()]
    .map(([name, ms]) => ({ name, ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}

function shortUrl(url: string): string {
  const inModules = url.lastIndexOf('node_modules/');
  if (inModules >= 0) return url.slice(inModules + 'node_modules/'.length);
  const ours = url.indexOf('/dist/');
  if (ours >= 0) return url.slice(ours + 1);
  return url.replace(/^file:\/\//, '');
}

function moduleOf(functionName: string, url: string): string {
  if (url === '') return functionName || '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const inModules = url.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const rest = url.slice(inModules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : `${rest[0]}`;
  }
  const ours = url.indexOf('/dist/');
  if (ours >= 0) return url.slice(ours + 1).replace(/\/[^/]+$/, '/');
  return url;
}
