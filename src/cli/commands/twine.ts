import type { Command } from 'commander';

import { Twine, readJsonFile } from '../../core/twine';
import { TwineFileNotFound } from '../../errors';
import type { StrandName } from '../../core/twine';
import { EXIT_CODES } from '../context';
import type { CliContext } from '../context';
import { writeOutputFile } from '../files';
import { formatReport, reportError } from '../output';
import type { CheckedDocument, ReportedError } from '../output';
import { generateTwineTypes } from '../twine-types';

/** The strand options of `skein twine validate`, in the order they are checked. */
const STRAND_OPTIONS: readonly { flag: string; key: string; strand: StrandName }[] = [
  { flag: '--configuration-values <file>', key: 'configurationValues', strand: 'configuration_values' },
  { flag: '--configuration-manifest <file>', key: 'configurationManifest', strand: 'configuration_manifest' },
  { flag: '--input-values <file>', key: 'inputValues', strand: 'input_values' },
  { flag: '--input-manifest <file>', key: 'inputManifest', strand: 'input_manifest' },
  { flag: '--output-values <file>', key: 'outputValues', strand: 'output_values' },
  { flag: '--output-manifest <file>', key: 'outputManifest', strand: 'output_manifest' },
];

type ValidateOptions = Record<string, string | boolean | undefined>;

/** A document read from a file named on the command line: its JSON, or the problem reading it. */
interface ReadDocument extends CheckedDocument {
  readonly data?: unknown;
  readonly problem?: ReportedError;
}

// Files that do not exist or cannot be read throw TwineFileNotFound, which the CLI turns into exit code 2 before
// anything is validated; files that are not JSON are reported as invalid like any other problem.
function readDocument(strand: StrandName | 'twine', path: string): ReadDocument {
  try {
    return { strand, path, data: readJsonFile(path, strand) };
  } catch (error) {
    if (error instanceof TwineFileNotFound) {
      throw error;
    }
    return { strand, path, problem: reportError(error, strand) };
  }
}

function validateDocuments(twineDocument: ReadDocument, strands: readonly ReadDocument[]): ReportedError[] {
  if (twineDocument.problem !== undefined) {
    return [twineDocument.problem, ...strands.flatMap((document) => document.problem ?? [])];
  }
  let twine: Twine;
  try {
    twine = new Twine(twineDocument.data);
  } catch (error) {
    return [reportError(error, 'twine'), ...strands.flatMap((document) => document.problem ?? [])];
  }
  // Every strand is checked, even after a failure, so one run lists every problem.
  return strands.flatMap((document) => {
    if (document.problem !== undefined) {
      return [document.problem];
    }
    try {
      // The twine reads a string as JSON text (or a .json path), so a file holding a JSON string goes back as text.
      const data = typeof document.data === 'string' ? JSON.stringify(document.data) : document.data;
      twine.validateStrand(document.strand as StrandName, data);
      return [];
    } catch (error) {
      return [reportError(error, document.strand)];
    }
  });
}

function validateTwineCommand(context: CliContext, twinePath: string, options: ValidateOptions): void {
  const twineDocument = readDocument('twine', twinePath);
  const strands = STRAND_OPTIONS.flatMap(({ key, strand }) => {
    const path = options[key];
    return typeof path === 'string' ? [readDocument(strand, path)] : [];
  });
  const errors = validateDocuments(twineDocument, strands);
  const checked = [twineDocument, ...strands].map(({ strand, path }) => ({ strand, path }));
  const report = { valid: errors.length === 0, checked, errors };
  if (options.json === true) {
    context.io.out(`${JSON.stringify(report, null, 2)}\n`);
  } else if (report.valid) {
    context.io.out(formatReport(report));
  } else {
    context.io.err(formatReport(report));
  }
  context.exitCode = report.valid ? EXIT_CODES.ok : EXIT_CODES.failed;
}

interface TypesOptions {
  readonly output?: string;
  readonly sdkModule: string;
  readonly json?: boolean;
}

function exportedNames(declarations: string): string[] {
  return [...declarations.matchAll(/^export (?:interface|type) (\w+)/gm)].map((match) => match[1] as string);
}

async function twineTypesCommand(context: CliContext, twinePath: string, options: TypesOptions): Promise<void> {
  const twine = new Twine(readJsonFile(twinePath, 'twine'));
  const declarations = await generateTwineTypes(twine, { source: twinePath, sdkModule: options.sdkModule });
  const types = exportedNames(declarations);
  if (options.output !== undefined) {
    writeOutputFile(options.output, declarations);
  }
  if (options.json === true) {
    const report = options.output === undefined ? { types, declarations } : { types, output: options.output };
    context.io.out(`${JSON.stringify(report, null, 2)}\n`);
  } else if (options.output === undefined) {
    context.io.out(declarations);
  } else {
    context.io.out(`wrote ${types.length} types to ${options.output}: ${types.join(', ')}\n`);
  }
}

/**
 * Adds the `twine` command group: `skein twine validate <twine.json> [strand files…] [--json]` and
 * `skein twine types <twine.json> [-o file.d.ts] [--json]`.
 * @param program - The root command.
 * @param context - Output streams and the exit code to set.
 */
export function registerTwineCommands(program: Command, context: CliContext): void {
  const twine = program.command('twine').description('Work with twine files (the strands a data service declares).');
  const validate = twine
    .command('validate')
    .description(
      'Check a twine against the twine meta-schema and, for each strand file given, the file against its strand.',
    )
    .argument('<twine>', 'path of the twine file (e.g. twine.json)');
  for (const { flag, strand } of STRAND_OPTIONS) {
    validate.option(flag, `a JSON file to check against the ${strand} strand`);
  }
  validate
    .option('--json', 'print a machine-readable report on standard output')
    .addHelpText(
      'after',
      '\nExit codes: 0 everything checked is valid, 1 something is invalid (each problem is listed with its strand ' +
        'and JSON pointer), 2 unusable arguments (such as a file that does not exist).',
    )
    .action((twinePath: string, options: ValidateOptions) => validateTwineCommand(context, twinePath, options));
  twine
    .command('types')
    .description(
      'Generate TypeScript types for each strand of a twine (values, file tags, dataset keys, children, credentials) ' +
        'and TypedAnalysis, so an app declared as run(analysis: TypedAnalysis) gets typed inputs and outputs.',
    )
    .argument('<twine>', 'path of the twine file (e.g. twine.json)')
    .option('-o, --output <file>', 'write the types to this file (e.g. src/twine.d.ts) instead of standard output')
    .option('--sdk-module <module>', 'the module the generated file imports Analysis from', 'skein')
    .option('--json', 'print a machine-readable summary (the type names, and the declarations or the output file)')
    .addHelpText(
      'after',
      '\nExit codes: 0 types generated, 1 the twine is invalid, 2 unusable arguments (such as a missing file).',
    )
    .action((twinePath: string, options: TypesOptions) => twineTypesCommand(context, twinePath, options));
}
