import { Command } from 'commander';

import { registerTwineCommands } from './commands/twine';
import type { CliContext } from './context';
import { packageVersion } from './package-version';

const EXIT_CODES_HELP = `
Exit codes:
  0  success (for validation commands: everything checked is valid)
  1  invalid input (validation failed; each problem is listed) or the command failed
  2  unusable arguments: unknown option, missing argument, or a named file that does not exist or cannot be read

Run with --debug to see stack traces of unexpected errors.`;

/**
 * Builds the `skein` command tree. Each command group lives in its own file under `commands/` and registers itself
 * here. Commander's own exits are turned into thrown errors so `main` decides the exit code.
 * @param context - Output streams, environment and exit code shared by the commands.
 * @returns The root command, ready for `parseAsync`.
 */
export function buildProgram(context: CliContext): Command {
  const program = new Command('skein')
    .description('Skein: Octue-style serverless data services on Google Cloud.')
    .version(packageVersion(), '-V, --version', 'print the version of Skein')
    .option('--debug', 'print stack traces for errors')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => context.io.out(text),
      writeErr: (text) => context.io.err(text),
      outputError: (text, write) => write(`skein: ${text}`),
    })
    // Settings above are copied to every subcommand created below, so Commander never exits the process itself.
    .exitOverride();
  registerTwineCommands(program, context);
  return program;
}
