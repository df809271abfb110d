import { CommanderError } from 'commander';

import { skipMetadataServerDetection, usesEmulators } from './adapters';
import { EXIT_CODES } from './context';
import type { CliContext, CliHooks, CliIo, StopSignalName } from './context';
import { describeError, exitCodeFor } from './errors';
import { buildProgram } from './program';

/**
 * Runs the `skein` CLI on an argument vector and returns the exit code, writing through `io`.
 * @param argv - The full argument vector, starting with the node binary and the script (as `process.argv`).
 * @param env - The environment.
 * @param io - Where to write output.
 * @param hooks - Stop signals, the progress-bar stream and the working directory (see {@link CliHooks}).
 * @returns The exit code: 0 success, 1 invalid input or failure, 2 unusable arguments.
 */
export async function run(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
  hooks: CliHooks = {},
): Promise<number> {
  const context: CliContext = { io, env, hooks, exitCode: EXIT_CODES.ok };
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

function processStopSignals(listener: (signal: StopSignalName) => void): () => void {
  const signals: StopSignalName[] = ['SIGINT', 'SIGTERM'];
  const handlers = signals.map((signal) => {
    const handler = (): void => listener(signal);
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

/**
 * The entry point of `bin/skein.js`: runs the CLI on the process's streams and sets `process.exitCode`.
 * @param argv - `process.argv`.
 * @param env - `process.env`.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  // A reader that goes away (`skein … | head`) is not an error of the command: stop writing quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  const io: CliIo = {
    out: (text) => {
      if (!process.stdout.destroyed) process.stdout.write(text);
    },
    err: (text) => process.stderr.write(text),
  };
  if (usesEmulators(env)) skipMetadataServerDetection(env);
  process.exitCode = await run(argv, env, io, {
    onStopSignal: processStopSignals,
    progressStream: process.stderr,
  });
}
