import type { LookupFunction } from 'node:net';
import type { ConnectToRule } from './connect-to.js';
import type { ClusterTarget } from './inventory.js';
import { type ProbeResult, probeEndpoint } from './probe.js';

/** How every cluster of a run is probed. */
export interface TargetProbeOptions {
  readonly timeoutMs: number;
  readonly connectTo: readonly ConnectToRule[];
  /** Resolver for endpoint names; the system resolver when absent. */
  readonly lookup?: LookupFunction;
}

/**
 * Returns the probe of a run: one handshake with a cluster's endpoint,
 * sending and verifying its `serverName` when it has one (kubeconfig
 * `tls-server-name`). Only called for targets with an endpoint.
 */
export function targetProbe(
  options: TargetProbeOptions,
): (target: ClusterTarget) => Promise<ProbeResult> {
  return (target) =>
    probeEndpoint(
      { url: target.endpoint ?? '' },
      {
        timeoutMs: options.timeoutMs,
        connectTo: options.connectTo,
        servername: target.serverName,
        ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
      },
    );
}
