import { main } from '../../lambda/cli.js';
import type { CommandIo } from '../../lambda/commands/command-io.js';

/** What one in-process CLI run printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI in this process with captured output, a pinned clock and
 * the given environment (no AWS_* of the test process leaks in except the
 * fake credentials the setup file sets).
 */
export async function runCli(
  argv: readonly string[],
  options: { now?: Date; env?: Record<string, string | undefined> } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    interactive: false,
    env: options.env ?? {},
    now: () => options.now ?? new Date(),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
