import { MultiBar, Presets } from 'cli-progress';
import type { SingleBar } from 'cli-progress';
import { Argument } from 'commander';
import type { Command } from 'commander';

import { startExampleTree } from '../../../apps/example-tree';
import type { AggregatorOutput } from '../../../apps/aggregator';
import { createLogger, formatLogEntry } from '../../service/logging';
import type { LogLevel } from '../../core/events';
import type { Logger } from '../../service/logging';
import type { CliContext } from '../context';
import { parseCountArgument } from '../inputs';
import { backendFor } from './example-backends';
import type { BackendOptions } from './example-backends';
import { runFederatedExample } from './example-federated';

/** The examples `skein example` runs; the first is the default. */
const EXAMPLES: readonly string[] = ['tree', 'federated'];

interface ExampleOptions extends BackendOptions {
  readonly columns?: string;
  readonly column?: string;
  readonly k?: number;
  readonly rounds?: number;
  readonly json?: boolean;
}

// The federated example logs warnings only unless --log-level is given: its round-by-round lines are the progress.
function federatedLogLevel(command: Command, given: string | undefined): LogLevel {
  const source = command.getOptionValueSourceWithGlobals('logLevel');
  return (source === undefined || source === 'default' ? 'warning' : (given ?? 'warning')) as LogLevel;
}

/** One progress bar per group on a terminal (log lines printed above them); plain lines otherwise. */
function groupProgress(context: CliContext, groups: readonly string[], enabled: boolean) {
  const stream = context.hooks.progressStream;
  const multibar =
    enabled && stream?.isTTY === true
      ? new MultiBar(
          { stream, format: '{group} [{bar}] {percentage}%', hideCursor: true, clearOnComplete: false },
          Presets.shades_classic,
        )
      : undefined;
  const width = Math.max(...groups.map((group) => group.length));
  const bars = new Map<string, SingleBar>();
  for (const group of groups) bars.set(group, multibar?.create(100, 0, { group: group.padEnd(width) }) as SingleBar);
  return {
    write: (line: string) => (multibar ? multibar.log(`${line}\n`) : context.io.err(`${line}\n`)),
    update: (message: { group?: string; group_fraction?: number }) => {
      if (message.group === undefined || message.group_fraction === undefined) return;
      bars.get(message.group)?.update(Math.round(message.group_fraction * 100));
    },
    stop: () => multibar?.stop(),
  };
}

function formatTable(output: AggregatorOutput): string {
  const rows = Object.entries(output.combined.columns).map(([column, summary]) => {
    const cells = [summary.count, summary.mean, summary.variance, summary.min, summary.max].map((value) =>
      typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toFixed(3)) : '-',
    );
    return [column, ...cells];
  });
  const header = ['column', 'count', 'mean', 'variance', 'min', 'max'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    `Pooled statistics of ${output.combined.rows} rows from ${Object.keys(output.groups).length} groups:`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}

async function exampleCommand(
  context: CliContext,
  name: string | undefined,
  options: ExampleOptions,
  command: Command,
): Promise<void> {
  const globals = command.optsWithGlobals<{ logLevel?: string }>();
  const backend = await backendFor(context, options);
  if (name === 'federated') {
    const logger = createLogger({
      name: 'skein',
      sinks: [
        {
          sink: (entry) => context.io.err(`${formatLogEntry(entry)}\n`),
          level: federatedLogLevel(command, globals.logLevel),
        },
      ],
    });
    const input = {
      ...(options.column === undefined ? {} : { column: options.column }),
      ...(options.k === undefined ? {} : { k: options.k }),
      ...(options.rounds === undefined ? {} : { rounds: options.rounds }),
    };
    try {
      await runFederatedExample(context, backend, input, { json: options.json === true, logger });
    } finally {
      await backend.close();
    }
    return;
  }
  // Log lines go above the progress bars once they exist (the tree logs while it starts, before the bars).
  const display: { progress?: ReturnType<typeof groupProgress> } = {};
  const parentLogger: Logger = createLogger({
    name: 'skein',
    sinks: [
      {
        sink: (entry) =>
          (display.progress?.write ?? ((line: string) => context.io.err(`${line}\n`)))(formatLogEntry(entry)),
        level: (globals.logLevel ?? 'info') as LogLevel,
      },
    ],
  });
  const tree = await startExampleTree({ ...backend, parentLogger }).catch(async (error: unknown) => {
    await backend.close();
    throw error;
  });
  const progress = groupProgress(context, tree.groups, options.json !== true);
  display.progress = progress;
  try {
    const output = await tree.ask({
      handleMonitorMessage: (data) => progress.update(data as { group?: string; group_fraction?: number }),
      ...(options.columns === undefined ? {} : { columns: options.columns.split(',').map((c) => c.trim()) }),
    });
    progress.stop();
    context.io.out(options.json ? `${JSON.stringify(output, null, 2)}\n` : `${formatTable(output)}\n`);
  } finally {
    progress.stop();
    await tree.close();
    await backend.close();
  }
}

/**
 * Adds `skein example`: runs the example service tree (an aggregator asking one csv-stats child per example site)
 * with live progress bars and the children's labelled logs, then prints the pooled statistics. Everything runs in this
 * process on the embedded default (in-memory transport, local storage), or on freshly started emulators.
 * @param program - The root command.
 * @param context - The CLI context.
 */
export function registerExampleCommand(program: Command, context: CliContext): void {
  program
    .command('example')
    .addArgument(new Argument('[name]', `which example: ${EXAMPLES.join(' (default) or ')}`).choices(EXAMPLES))
    .description(
      'run an example on the example data: the service tree (aggregator + csv-stats children), or `federated` ' +
        '(federated k-means: an aggregator and one node per site, several rounds, a result with local DP)',
    )
    .option('--emulators', 'run it over the Pub/Sub emulator and a GCS-compatible server instead of in memory')
    .option('--cloud', 'run it on Google Cloud as configured (Pub/Sub services topic, Cloud Storage); needs --bucket')
    .option('-p, --project-id <id>', 'the Google Cloud project for --cloud (default GOOGLE_CLOUD_PROJECT)')
    .option('--bucket <name>', 'the Cloud Storage bucket --cloud uploads the example datasets to')
    .option('--columns <names>', 'comma-separated columns to summarise (default: every numeric column)')
    .option('--column <name>', 'federated: the numeric column clustered (default temperature_c)')
    .option('-k, --k <clusters>', 'federated: how many clusters (default 3)', parseCountArgument)
    .option('--rounds <rounds>', 'federated: how many k-means rounds (default 5)', parseCountArgument)
    .option('--json', 'print the output values as JSON')
    .action((name: string | undefined, options: ExampleOptions, command: Command) =>
      exampleCommand(context, name, options, command),
    );
}
