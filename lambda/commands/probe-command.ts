import { loadConfig } from '../config.js';
import { runAudit } from '../engine/audit.js';
import { parseConnectTo } from '../engine/connect-to.js';
import type { ClusterTarget } from '../engine/inventory.js';
import { parseEndpointUrl } from '../engine/probe.js';
import { targetProbe } from '../engine/target-probe.js';
import {
  type CommandIo,
  caDataFrom,
  printReport,
  stderrLogger,
} from './command-io.js';

/** Flags of `probe`. */
export interface ProbeFlags {
  readonly 'ca-data'?: string | undefined;
  readonly ca?: string | undefined;
  readonly 'connect-to'?: readonly string[] | undefined;
  readonly timeout?: string | undefined;
  readonly json?: boolean | undefined;
}

/**
 * `probe URL`: one live handshake with the endpoint, judged against the
 * given CA data. Makes no AWS call.
 */
export async function probeCommand(
  io: CommandIo,
  url: string,
  flags: ProbeFlags,
): Promise<number> {
  parseEndpointUrl(url);
  const caData = caDataFrom(flags);
  const config = loadConfig(io.env, {
    timeout: flags.timeout,
    connectTo: flags['connect-to'],
  });
  const connectTo = config.connectTo.map(parseConnectTo);
  const target: ClusterTarget = {
    name: '',
    region: null,
    accountId: null,
    endpoint: url,
    caData,
    serverName: null,
    preReasons: [],
    publicAccessRestricted: false,
    rotation: null,
    activeCaId: null,
  };

  const { report } = await runAudit({
    inventory: {
      reportsRegions: false,
      async *regions() {
        yield {
          region: 'probe',
          status: 'ok',
          clusters: [target],
          vanished: [],
          rotationStateAvailable: null,
        };
      },
    },
    probe: targetProbe({ timeoutMs: config.probeTimeoutMs, connectTo }),
    now: io.now(),
    thresholds: config.thresholds,
    probeConcurrency: 1,
    logger: stderrLogger(io),
  });
  const clusters = report.clusters.map((cluster) => ({
    ...cluster,
    name: null,
  }));
  return printReport(io, { ...report, clusters }, flags.json === true);
}
