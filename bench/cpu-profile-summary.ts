import { readFile } from 'node:fs/promises';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly hitCount?: number;
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
}

/**
 * Reads a `.cpuprofile` written by `node --cpu-prof` and adds up the self
 * time of each function and of each module (a package in node_modules, a
 * file of ours, Node's internals), the largest first.
 */
export async function summarizeCpuProfile(
  file: string,
  top: number,
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
  };
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
