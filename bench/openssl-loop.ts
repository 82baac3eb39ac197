import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FleetFiles } from './fleet.js';
import { measureProcess, type ProcessMeasurement } from './measure-process.js';

/** One run of the OpenSSL loop and how many chains it verified. */
export interface OpensslLoopRun extends ProcessMeasurement {
  readonly verified: number;
}

/**
 * The manual check (`openssl s_client` to fetch the chain, then
 * `openssl verify` against the cluster's CA with the host name) written
 * as the sequential shell loop a person would write. Reads `host ca-file`
 * lines; prints `…: OK` for every chain that verifies.
 */
const SCRIPT = `#!/bin/sh
set -u
list=$1
port=$2
work=$3
while read -r host ca; do
  openssl s_client -connect "127.0.0.1:$port" -servername "$host" \\
    -showcerts </dev/null >"$work/chain.txt" 2>/dev/null
  : >"$work/rest.pem"
  awk -v leaf="$work/leaf.pem" -v rest="$work/rest.pem" '
    /-----BEGIN CERTIFICATE-----/ { n++; keep = 1 }
    keep { print > (n == 1 ? leaf : rest) }
    /-----END CERTIFICATE-----/ { keep = 0 }
  ' "$work/chain.txt"
  if [ -s "$work/rest.pem" ]; then
    openssl verify -CAfile "$ca" -untrusted "$work/rest.pem" \\
      -verify_hostname "$host" "$work/leaf.pem"
  else
    openssl verify -CAfile "$ca" -verify_hostname "$host" "$work/leaf.pem"
  fi
done <"$list"
`;

/** `true` when an `openssl` executable answers `openssl version`. */
export async function hasOpenssl(): Promise<boolean> {
  try {
    const run = await measureProcess('openssl', ['version'], {
      timeoutMs: 10_000,
    });
    return run.exitCode === 0;
  } catch {
    return false;
  }
}

/**
 * Runs the OpenSSL loop once over the fleet served on `port` and counts
 * the chains that verified. `timeoutMs` bounds the whole loop.
 */
export async function runOpensslLoop(
  fleet: FleetFiles,
  port: number,
  timeoutMs: number,
): Promise<OpensslLoopRun> {
  const script = join(fleet.dir, 'openssl-loop.sh');
  await writeFile(script, SCRIPT, { mode: 0o755 });
  const run = await measureProcess(
    'sh',
    [script, fleet.clusterList, String(port), fleet.dir],
    { timeoutMs },
  );
  const verified = run.stdout
    .split('\n')
    .filter((line) => line.endsWith(': OK')).length;
  return { ...run, verified };
}
