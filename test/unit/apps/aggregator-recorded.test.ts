// The aggregator against RECORDED csv-stats children (test/fixtures/recordings/csv-stats, made by
// scripts/record-csv-stats.mjs): each question is answered by a ChildEmulator replaying that site's recording, so
// these tests need no transport and no csv-stats service.
import { join } from 'node:path';

import * as aggregator from '../../../apps/aggregator';
import { AGGREGATOR_TWINE, aggregatorChildren } from '../../../apps/aggregator';
import type { AggregatorOutput } from '../../../apps/aggregator';
import { Manifest } from '../../../src/core/resources';
import { Runner } from '../../../src/service';
import type { ChildFactory, ChildLike, ChildQuestion } from '../../../src/service';
import { ChildEmulator } from '../../../src/service/child-emulator';
import {
  AGGREGATOR_ID,
  CSV_STATS_ID,
  EXAMPLES,
  NUMERIC_COLUMNS,
  REPOSITORY,
  SITES,
  expectSummary,
  naiveSummary,
  readNaively,
} from './helpers';
import type { NaiveColumns } from './helpers';

const RECORDINGS = join(REPOSITORY, 'test', 'fixtures', 'recordings', 'csv-stats');

/** The directory of the `summary` dataset in a recording's result (a temporary directory of the recording run). */
function recordedSummaryDirectory(events: readonly unknown[]): string {
  const result = events
    .map((recorded) => (recorded as { event: { kind: string; output_manifest?: unknown } }).event)
    .find((event) => event.kind === 'result');
  const manifest = result?.output_manifest as { datasets: { summary: { path: string } } } | undefined;
  if (manifest === undefined) throw new Error('The recording has no result with an output manifest.');
  return manifest.datasets.summary.path;
}

/** A csv-stats child that answers each question with the recording of the site whose dataset it was sent. */
async function recordedCsvStats(): Promise<{ factory: ChildFactory; replayed: string[] }> {
  const emulators = new Map<string, ChildEmulator>();
  for (const site of SITES) {
    const file = join(RECORDINGS, `${site}.json`);
    // Answers are refused local paths: each emulator allows exactly the directory its recorded summary was in.
    const allowedLocalRoots = [recordedSummaryDirectory((await ChildEmulator.fromFile(file)).events)];
    emulators.set(site, await ChildEmulator.fromFile(file, { allowedLocalRoots }));
  }
  const replayed: string[] = [];
  const factory: ChildFactory = (record): ChildLike => ({
    id: record.id,
    ask: async (question: ChildQuestion) => {
      const tables = (question.inputManifest as Manifest).datasets['tables'];
      const site = SITES.find((name) => tables?.path?.endsWith(name));
      const emulator = site === undefined ? undefined : emulators.get(site);
      if (emulator === undefined) throw new Error(`No recording for the dataset at ${String(tables?.path)}.`);
      replayed.push(site as string);
      return emulator.ask(question as never);
    },
  });
  return { factory, replayed };
}

describe('Function: run (aggregator, recorded csv-stats children)', () => {
  it('pools the recorded answers of every site exactly, with progress, and no transport', async () => {
    // Prepare
    const { factory, replayed } = await recordedCsvStats();
    const datasets = Object.fromEntries(SITES.map((site) => [site, join(EXAMPLES, site)]));
    const messages: { status: string; group: string }[] = [];
    const runner = new Runner({
      app: aggregator,
      twine: AGGREGATOR_TWINE,
      serviceId: AGGREGATOR_ID,
      configurationValues: { allow_local_files: true },
      children: aggregatorChildren({ csvStatsId: CSV_STATS_ID, projectId: 'recorded' }),
      childFactory: factory,
    });

    // Act
    const analysis = await runner.run({
      inputManifest: await Manifest.fromPrimitive({ id: '5e0c8a1e-1b2c-4d3e-9f40-51a6b7c8d9e0', datasets }),
      handleMonitorMessage: (data) => messages.push(data as { status: string; group: string }),
    });

    // Assess
    const output = analysis.outputValues as AggregatorOutput;
    const everything: NaiveColumns = new Map();
    for (const site of SITES) readNaively(join(EXAMPLES, site), NUMERIC_COLUMNS, everything);
    expect(output.combined.rows).toBe(336);
    for (const [column, { values, missing }] of everything) {
      expectSummary(output.combined.columns[column], naiveSummary(values, missing));
    }
    expect([...replayed].sort()).toEqual([...SITES]);
    expect(messages.filter((message) => message.status === 'finished')).toHaveLength(3);
    expect(messages.some((message) => message.status === 'progress')).toBe(true);
  });
});
