#!/usr/bin/env node
import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CommandIo, wholeSecond } from './commands/command-io.js';
import { AuditError } from './engine/errors.js';

/** Exit status for usage errors and unreadable input. */
const USAGE_EXIT = 3;

/** The text of `eks-cert-audit --help`. */
export const HELP = `eks-cert-audit: verifies EKS API server certificates against each cluster's own CA

Usage:
  eks-cert-audit verify (--ca-data B64 | --ca FILE) --cert FILE [--host NAME] [--at TIME]
  eks-cert-audit probe URL (--ca-data B64 | --ca FILE) [--connect-to H1:P1:H2:P2]...
                     [--timeout SECONDS]
  eks-cert-audit check CLUSTER --region REGION
  eks-cert-audit audit [--regions a,b] [--publish] [--email-preview]
  eks-cert-audit audit --kubeconfig FILE
  eks-cert-audit demo [--email-preview]

Every command takes --json (one JSON object, schemaVersion 1).
Options of audit: --concurrency N, --timeout SECONDS, --connect-to H1:P1:H2:P2
  (repeatable), and with --publish: --namespace NS, --topic-arn ARN,
  --state-table NAME. check takes --timeout and --connect-to.
--email-preview prints the email instead of the report (not with --json).

Exit status: 0 ok, 1 warning, 2 critical, 3 unknown or a usage error.
Configuration: the AUDIT_* variables (see the README); flags override them.`;

const OPTIONS = {
  'ca-data': { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  host: { type: 'string' },
  at: { type: 'string' },
  'connect-to': { type: 'string', multiple: true },
  timeout: { type: 'string' },
  concurrency: { type: 'string' },
  region: { type: 'string' },
  regions: { type: 'string' },
  kubeconfig: { type: 'string' },
  publish: { type: 'boolean' },
  'email-preview': { type: 'boolean' },
  namespace: { type: 'string' },
  'topic-arn': { type: 'string' },
  'state-table': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** Which flags each command accepts; anything else is a usage error. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  verify: ['ca-data', 'ca', 'cert', 'host', 'at', 'json'],
  probe: ['ca-data', 'ca', 'connect-to', 'timeout', 'json'],
  check: ['region', 'connect-to', 'timeout', 'json'],
  audit: [
    'regions',
    'kubeconfig',
    'publish',
    'email-preview',
    'connect-to',
    'timeout',
    'concurrency',
    'namespace',
    'topic-arn',
    'state-table',
    'json',
  ],
  demo: ['email-preview', 'json'],
};

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the
 * exit status. Usage errors and unreadable input print one message on
 * stderr, nothing on stdout, and return 3.
 */
export async function main(
  argv: readonly string[],
  io: CommandIo,
): Promise<number> {
  try {
    const { values, positionals, tokens } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
    const repeated = repeatedFlags(tokens);
    if (repeated.length > 0) {
      throw new AuditError(
        'USAGE',
        `--${repeated.join(', --')} may be given once; only --connect-to repeats`,
      );
    }
    if (values.help === true) {
      io.stdout(`${HELP}\n`);
      return 0;
    }
    if (values.version === true) {
      io.stdout(`${await packageVersion()}\n`);
      return 0;
    }
    const [command, ...rest] = positionals;
    if (command === undefined) {
      throw new AuditError(
        'USAGE',
        'name a command: verify, probe, check, audit or demo',
      );
    }
    const allowed = ALLOWED[command];
    if (allowed === undefined) {
      throw new AuditError(
        'USAGE',
        `unknown command ${JSON.stringify(command)}; the commands are verify, probe, check, audit and demo`,
      );
    }
    if (values.json === true && values['email-preview'] === true) {
      throw new AuditError(
        'USAGE',
        '--email-preview prints the email, --json the report: give one of them',
      );
    }
    const extra = Object.keys(values).filter((flag) => !allowed.includes(flag));
    if (extra.length > 0) {
      throw new AuditError(
        'USAGE',
        `${command} does not take --${extra.join(', --')}`,
      );
    }
    const expected = command === 'probe' || command === 'check' ? 1 : 0;
    if (rest.length !== expected) {
      throw new AuditError(
        'USAGE',
        expected === 1
          ? `${command} takes exactly one ${command === 'probe' ? 'URL' : 'CLUSTER'}`
          : `${command} takes no arguments, got ${rest.join(' ')}`,
      );
    }

    // Each command loads only what it needs: the AWS SDK clients and the
    // certificate factory of the demo cost a quarter of a second to load.
    switch (command) {
      case 'verify': {
        const { verifyCommand } = await import('./commands/verify-command.js');
        return verifyCommand(io, values);
      }
      case 'probe': {
        const { probeCommand } = await import('./commands/probe-command.js');
        return await probeCommand(io, rest[0] as string, values);
      }
      case 'check': {
        const { checkCommand } = await import('./commands/audit-command.js');
        return await checkCommand(io, rest[0] as string, values);
      }
      case 'audit': {
        const { auditCommand } = await import('./commands/audit-command.js');
        return await auditCommand(io, values);
      }
      default: {
        const { demoCommand } = await import('./commands/demo-command.js');
        return await demoCommand(io, values);
      }
    }
  } catch (error) {
    if (error instanceof AuditError || isParseArgsError(error)) {
      io.stderr(`eks-cert-audit: ${(error as Error).message}\n`);
      return USAGE_EXIT;
    }
    throw error;
  }
}

function repeatedFlags(
  tokens: ReadonlyArray<{ readonly kind: string; readonly name?: string }>,
): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined) continue;
    if (token.name === 'connect-to') continue;
    if (seen.has(token.name)) repeated.add(token.name);
    seen.add(token.name);
  }
  return [...repeated];
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const here = fileURLToPath(import.meta.url);
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const text = await readFile(new URL(up, `file://${here}`), 'utf8');
      return (JSON.parse(text) as { version: string }).version;
    } catch {
      // Try the next level: the source and the build sit at different depths.
    }
  }
  return 'unknown';
}

function isMainModule(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return (
      realpathSync(script) === realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
}

if (isMainModule()) {
  const io: CommandIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
    env: process.env,
    now: () => wholeSecond(new Date()),
  };
  // The pinned AWS SDK runs on Node.js 20; its notice that later releases
  // will need Node.js 22 is for the project, not for each run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `eks-cert-audit: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = USAGE_EXIT;
    },
  );
}
