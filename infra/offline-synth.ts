import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './lambda-bundle.js';

/**
 * The environment of an offline `cdk synth`: no telemetry, no version
 * check, no instance metadata, fake static credentials, a Region, and
 * every AWS endpoint pointed at a closed local port, so that nothing the
 * CLI might try (it asks STS for a default account when it finds
 * credentials) leaves the machine.
 */
export const OFFLINE_SYNTH_ENV = Object.freeze({
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  CDK_DISABLE_VERSION_CHECK: 'true',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEFAKEKEY00',
  AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key-for-synth',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
});

/** The arguments of an offline synth, before the caller's own. */
export const OFFLINE_SYNTH_ARGS = Object.freeze([
  'synth',
  '--no-notices',
  '--no-lookups',
  '--quiet',
]);

/**
 * Runs `cdk synth` offline with {@link OFFLINE_SYNTH_ENV}; `extraArgs`
 * follow the fixed ones (for example `--output DIR` or `-c key=value`).
 * Resolves with the exit code and what the CLI wrote.
 */
export function runOfflineSynth(extraArgs: readonly string[] = []): Promise<{
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...OFFLINE_SYNTH_ENV };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['cdk', ...OFFLINE_SYNTH_ARGS, ...extraArgs], {
      cwd: PROJECT_ROOT,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runOfflineSynth(process.argv.slice(2));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code ?? 1;
}
