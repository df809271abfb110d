import { Manifest } from '../../src/core/resources';
import type { Analysis, AnalysisChild } from '../../src/service';
import { poolTableSummaries } from '../shared/statistics';
import type { TableSummary } from '../shared/statistics';
import { readChildSummary } from './answers';
import { ChildNotConfigured, NoInputDatasets } from './errors';

/** The twine key of the csv-stats child. */
export const CSV_STATS_CHILD_KEY = 'csv-stats';

/** The aggregator configuration values, with the twine's defaults filled in. */
export interface AggregatorConfiguration {
  readonly max_parallel_questions: number;
  readonly allow_local_files: boolean;
}

/** The aggregator input values. */
export interface AggregatorInput {
  readonly columns?: readonly string[];
}

/** The aggregator output values. */
export interface AggregatorOutput {
  /** Each group's summary, by input dataset key. */
  readonly groups: Readonly<Record<string, TableSummary>>;
  /** Every group pooled. */
  readonly combined: TableSummary;
}

/** Tracks each group's fraction done and sends the aggregator's progress monitor messages. */
class Progress {
  private readonly fractions: Map<string, number>;
  private finished = 0;

  constructor(
    private readonly analysis: Analysis,
    groups: readonly string[],
  ) {
    this.fractions = new Map(groups.map((group) => [group, 0]));
  }

  /** Relays a child's monitor message, when it carries a fraction that moves its group forward. */
  relay(group: string, data: unknown): void {
    const fraction = (data as { fraction?: unknown } | null)?.fraction;
    if (typeof fraction !== 'number' || !(fraction > (this.fractions.get(group) ?? 0))) return;
    this.fractions.set(group, Math.min(1, fraction));
    this.send(group, 'progress');
  }

  /** Records that a group's answer arrived. */
  finish(group: string): void {
    this.finished += 1;
    this.fractions.set(group, 1);
    this.send(group, 'finished');
  }

  private send(group: string, status: 'progress' | 'finished'): void {
    const fractions = [...this.fractions.values()];
    this.analysis.sendMonitorMessage({
      group,
      status,
      groups_finished: this.finished,
      group_count: fractions.length,
      group_fraction: this.fractions.get(group) ?? 0,
      fraction: fractions.reduce((sum, fraction) => sum + fraction, 0) / fractions.length,
    });
  }
}

function csvStatsChild(analysis: Analysis): AnalysisChild {
  // The Runner's children are AnalysisChild wrappers (ask with lineage, askMultiple).
  const child = analysis.children[CSV_STATS_CHILD_KEY] as AnalysisChild | undefined;
  if (child === undefined) {
    throw new ChildNotConfigured(
      `The aggregator needs a '${CSV_STATS_CHILD_KEY}' child: give the runner children ` +
        `[{key: '${CSV_STATS_CHILD_KEY}', id: '<namespace>/csv-stats:<tag>', backend: {...}}] and a child factory.`,
      { key: CSV_STATS_CHILD_KEY },
    );
  }
  return child;
}

/**
 * The aggregator app: for each input dataset (one per group) it asks a csv-stats child for the group's summary, at
 * most `max_parallel_questions` at once (`askMultiple`), relaying the children's progress and sending a monitor message
 * per finished group; then it pools the groups' column statistics exactly (Chan et al.) and sets the output values
 * `{groups, combined}`.
 * @param analysis - The analysis (see the twine, twines/aggregator.json).
 * @throws ChildNotConfigured without a csv-stats child; NoInputDatasets without input datasets; InvalidChildAnswer for
 *   an answer that is not csv-stats'; the first error a child raised (re-created by the Child).
 */
export async function run(analysis: Analysis): Promise<void> {
  const configuration = analysis.twine.validateValues(
    'configuration_values',
    analysis.configurationValues ?? {},
  ) as AggregatorConfiguration;
  const input = (analysis.inputValues ?? {}) as AggregatorInput;
  const child = csvStatsChild(analysis);
  const groups = Object.entries(analysis.inputManifest?.datasets ?? {});
  if (groups.length === 0) {
    throw new NoInputDatasets('The input manifest has no datasets: give one dataset of CSV files per group.');
  }
  const progress = new Progress(
    analysis,
    groups.map(([group]) => group),
  );
  analysis.logger.info(
    'Asking %s about %d groups, at most %d at once.',
    child.id,
    groups.length,
    configuration.max_parallel_questions,
  );

  const answers = await child.askMultiple(
    groups.map(([group, dataset]) => ({
      inputManifest: new Manifest({ datasets: { tables: dataset } }),
      ...(input.columns === undefined ? {} : { inputValues: { columns: input.columns } }),
      allowLocalFiles: configuration.allow_local_files,
      handleMonitorMessage: (data: unknown) => progress.relay(group, data),
    })),
    { maxConcurrency: configuration.max_parallel_questions },
  );
  const summaries = groups.map(([group], index) => {
    const summary = readChildSummary(answers[index]?.answer, group, child.id);
    analysis.logger.info('Group %s: %d rows summarised.', group, summary.rows);
    progress.finish(group);
    return summary;
  });

  const output: AggregatorOutput = {
    groups: Object.fromEntries(groups.map(([group], index) => [group, summaries[index] as TableSummary])),
    combined: poolTableSummaries(summaries),
  };
  analysis.outputValues = output;
  analysis.logger.info('Pooled %d groups: %d rows in all.', groups.length, output.combined.rows);
}
