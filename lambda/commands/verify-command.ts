import { loadConfig } from '../config.js';
import { assessChain } from '../engine/assess-cluster.js';
import { AuditError } from '../engine/errors.js';
import { buildReport } from '../engine/report.js';
import { parsePemCertificates } from '../engine/x509/pem.js';
import {
  type CommandIo,
  caDataFrom,
  parseAt,
  parseHost,
  printReport,
  readInputFile,
  wholeSecond,
} from './command-io.js';

/** Flags of `verify`. */
export interface VerifyFlags {
  readonly 'ca-data'?: string | undefined;
  readonly ca?: string | undefined;
  readonly cert?: string | undefined;
  readonly host?: string | undefined;
  readonly at?: string | undefined;
  readonly json?: boolean | undefined;
}

/**
 * `verify`: judges a chain from a file against CA data, offline, at `--at`
 * or now. Without `--host` the host name is not checked
 * (`HOST_NOT_CHECKED`).
 */
export function verifyCommand(io: CommandIo, flags: VerifyFlags): number {
  if (flags.cert === undefined) {
    throw new AuditError('USAGE', 'verify needs --cert FILE (PEM, leaf first)');
  }
  const caData = caDataFrom(flags);
  const now =
    flags.at === undefined ? wholeSecond(io.now()) : parseAt(flags.at);
  const host = flags.host === undefined ? null : parseHost(flags.host);
  const presented = parsePemCertificates(
    readInputFile(flags.cert, 'certificate file'),
  );
  const config = loadConfig(io.env);

  const cluster = assessChain(
    {
      name: '',
      region: null,
      accountId: null,
      endpoint: null,
      caData,
      serverName: null,
      preReasons: [],
      publicAccessRestricted: false,
      rotation: null,
      activeCaId: null,
    },
    presented,
    host,
    null,
    { now, thresholds: config.thresholds },
  );
  const report = buildReport({
    checkedAt: now,
    partial: false,
    regions: [],
    clusters: [{ ...cluster, name: null }],
  });
  return printReport(io, report, flags.json === true);
}
