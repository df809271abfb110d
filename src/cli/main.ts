import { CommanderError } from 'commander';

import { EXIT_CODES } from './context';
import type { CliContext, CliIo } from './context';
import { describeError, exitCodeFor } from './errors';
import { buildProgram } from './program';

/**
 * Runs the `skein` CLI on an argument vector and returns the exit code, writing through `io`.
 * @param argv - The full argument vector, starting with the node binary and the script (as `process.argv`).
 * @param env - The environment.
 * @param io - Where to write output.
 * @returns The exit code: 0 success, 1 invalid input or failure, 2 unusable arguments.
 */
export async function run(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const context: CliContext = { io, env, exitCode: EXIT_CODES.ok };
  const program = buildProgram(context);
  try {
    await program.parseAsync([...argv]);
    return context.exitCode;
  } catch (error) {
    // Commander has already printed its own message (usage errors) or output (--help, --version).
    if (!(error instanceof CommanderError)) {
      io.err(describeError(error, program.opts().debug === true || argv.includes('--debug')));
    }
    return exitCodeFor(error);
  }
}

/**
 * The entry point of `bin/skein.js`: runs the CLI on the process's streams and sets `process.exitCode`.
 * @param argv - `process.argv`.
 * @param env - `process.env`.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const io: CliIo = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
  process.exitCode = await run(argv, env, io);
}
