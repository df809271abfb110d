import { Command } from 'commander';

import { registerAskCommand } from './commands/ask';
import { registerAskLocalCommand } from './commands/ask-local';
import { registerEmulatorsCommands } from './commands/emulators';
import { registerExampleCommand } from './commands/example';
import { registerInitCommand } from './commands/init';
import { registerQuestionCommands } from './commands/question';
import { registerRunCommand } from './commands/run';
import { registerStartCommand } from './commands/start';
import { registerTwineCommands } from './commands/twine';
import type { CliContext } from './context';
import { logLevelOption } from './logging';
import { packageVersion } from './package-version';

const EXIT_CODES_HELP = `
Exit codes:
  0  success (for validation commands: everything checked is valid)
  1  invalid input (validation failed; each problem is listed) or the command failed
  2  unusable arguments: unknown option, missing argument, or a named file that does not exist or cannot be read

Errors are printed on one line saying what was wrong; run with --debug to see stack traces.
Logs go to standard error, results to standard output; --json gives machine-readable output.`;

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
    .addOption(logLevelOption())
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => context.io.out(text),
      writeErr: (text) => context.io.err(text),
      outputError: (text, write) => write(`skein: ${text}`),
    })
    // Settings above are copied to every subcommand created below, so Commander never exits the process itself.
    .exitOverride();
  registerExampleCommand(program, context);
  registerInitCommand(program, context);
  registerTwineCommands(program, context);
  registerRunCommand(program, context);
  registerStartCommand(program, context);
  registerAskCommand(program, context);
  registerAskLocalCommand(program, context);
  registerQuestionCommands(program, context);
  registerEmulatorsCommands(program, context);
  return program;
}
