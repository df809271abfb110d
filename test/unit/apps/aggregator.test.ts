import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as aggregator from '../../../apps/aggregator';
import {
  AGGREGATOR_TWINE,
  ChildNotConfigured,
  InvalidChildAnswer,
  NoInputDatasets,
  aggregatorChildren,
} from '../../../apps/aggregator';
import type { AggregatorOutput } from '../../../apps/aggregator';
import * as csvStats from '../../../apps/csv-stats';
import { CSV_STATS_TWINE, MissingColumn, NonNumericCell } from '../../../apps/csv-stats';
import { Manifest } from '../../../src/core/resources';
import { FileLocationError } from '../../../src/errors';
import { Runner } from '../../../src/service';
import type { ChildFactory } from '../../../src/service';
import {
  AGGREGATOR_ID,
  AppNetwork,
  CSV_STATS_ID,
  EXAMPLES,
  NUMERIC_COLUMNS,
  REPOSITORY,
  SITES,
  expectSummary,
  naiveSummary,
  readNaively,
  temporaryWorkspace,
  writeDataset,
} from './helpers';
import type { NaiveColumns } from './helpers';

const EXAMPLE_MANIFEST = join(REPOSITORY, 'examples', 'data', 'aggregator-input-manifest.json');

/** The example input manifest, its relative dataset paths resolved against the repository. */
async function exampleManifest(): Promise<Manifest> {
  const primitive = JSON.parse(readFileSync(EXAMPLE_MANIFEST, 'utf8')) as { datasets: Record<string, string> };
  const datasets = Object.fromEntries(
    Object.entries(primitive.datasets).map(([key, path]) => [key, join(REPOSITORY, path)]),
  );
  return Manifest.fromPrimitive({ ...primitive, datasets });
}

function expectNaive(actual: AggregatorOutput['combined'] | undefined, naive: NaiveColumns, rows: number): void {
  expect(actual?.rows).toBe(rows);
  expect(Object.keys(actual?.columns ?? {})).toEqual([...naive.keys()]);
  for (const [column, { values, missing }] of naive)
    expectSummary(actual?.columns[column], naiveSummary(values, missing));
}

describe('Function: run (aggregator)', () => {
  let network: AppNetwork;
  let workspace: ReturnType<typeof temporaryWorkspace>;

  function aggregatorRunner(
    options: { configurationValues?: unknown; childFactory?: ChildFactory; children?: unknown } = {},
  ): Runner {
    return new Runner({
      app: aggregator,
      twine: AGGREGATOR_TWINE,
      serviceId: AGGREGATOR_ID,
      configurationValues: options.configurationValues ?? { allow_local_files: true, max_parallel_questions: 2 },
      children:
        'children' in options
          ? options.children
          : aggregatorChildren({ csvStatsId: CSV_STATS_ID, projectId: 'test-project' }),
      // The Children load the answers' output manifests (in the store) with the store.
      childFactory: options.childFactory ?? network.childFactory({ objectStore: workspace.store }),
      // The local datasets these tests send: the example data and the workspace.
      allowedLocalRoots: [EXAMPLES, workspace.root],
    });
  }

  beforeEach(async () => {
    workspace = temporaryWorkspace();
    network = await AppNetwork.start();
    // The children answer without an output location, so their summaries stay in temporary directories.
    await network.serve(
      CSV_STATS_ID,
      new Runner({
        app: csvStats,
        twine: CSV_STATS_TWINE,
        serviceId: CSV_STATS_ID,
        objectStore: workspace.store,
        outputLocation: 'gs://outputs/csv-stats',
        allowedLocalRoots: [EXAMPLES, workspace.root],
      }),
    );
  });

  afterEach(async () => {
    await network.close();
    workspace.cleanup();
  });

  it('asks a csv-stats service per site and pools the statistics of every row exactly', async () => {
    const messages: {
      group: string;
      status: string;
      groups_finished: number;
      group_fraction: number;
      fraction: number;
    }[] = [];

    const analysis = await aggregatorRunner().run({
      inputManifest: await exampleManifest(),
      handleMonitorMessage: (data) => messages.push(data as (typeof messages)[number]),
    });

    const output = analysis.outputValues as AggregatorOutput;
    const everything: NaiveColumns = new Map();
    for (const site of SITES) {
      const directory = join(REPOSITORY, 'examples', 'data', site);
      expectNaive(output.groups[site], readNaively(directory, NUMERIC_COLUMNS), 112);
      readNaively(directory, NUMERIC_COLUMNS, everything);
    }
    expectNaive(output.combined, everything, 336);
    const finished = messages.filter((message) => message.status === 'finished');
    expect(finished.map((message) => message.groups_finished)).toEqual([1, 2, 3]);
    expect(finished.map((message) => message.group).sort()).toEqual([...SITES]);
    expect(finished.at(-1)?.fraction).toBe(1);
    expect(finished.map((message) => message.group_fraction)).toEqual([1, 1, 1]);
    expect(messages.some((message) => message.status === 'progress')).toBe(true);
    const fractions = messages.map((message) => message.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('asks the children for the question’s columns', async () => {
    const analysis = await aggregatorRunner().run({
      inputManifest: await exampleManifest(),
      inputValues: { columns: ['pressure_hpa'] },
    });

    const output = analysis.outputValues as AggregatorOutput;
    expect(Object.keys(output.combined.columns)).toEqual(['pressure_hpa']);
    expect(Object.keys(output.groups.harbour?.columns ?? {})).toEqual(['pressure_hpa']);
  });

  it('answers its own parent when served as a service', async () => {
    await network.serve(AGGREGATOR_ID, aggregatorRunner());

    const { answer } = await network.child(AGGREGATOR_ID).ask({
      inputManifest: await exampleManifest(),
      allowLocalFiles: true,
    });

    expect((answer.outputValues as AggregatorOutput).combined.rows).toBe(336);
  });

  describe('with bad input', () => {
    it('re-raises a child’s NonNumericCell, naming the file, row and column', async () => {
      const bad = await writeDataset(join(workspace.root, 'bad-site'), [
        { name: 'readings.csv', text: 'temperature_c\n4.5\n5.1\nerr\n' },
      ]);
      const manifest = await exampleManifest();
      manifest.datasets['bad-site'] = (await Manifest.fromPrimitive({ datasets: { bad } })).getDataset('bad');

      const running = aggregatorRunner().run({ inputManifest: manifest, inputValues: { columns: ['temperature_c'] } });

      await expect(running).rejects.toThrow(NonNumericCell);
      await expect(running).rejects.toThrow(
        /Row 3 \(line 4\) of 'readings.csv' has 'err' in the column 'temperature_c'/,
      );
    });

    it('re-raises a child’s MissingColumn for a column a site lacks', async () => {
      const running = aggregatorRunner().run({
        inputManifest: await exampleManifest(),
        inputValues: { columns: ['rainfall_mm'] },
      });

      await expect(running).rejects.toThrow(MissingColumn);
    });

    it('refuses local datasets unless allow_local_files is set', async () => {
      const running = aggregatorRunner({ configurationValues: {} }).run({ inputManifest: await exampleManifest() });

      await expect(running).rejects.toThrow(FileLocationError);
      await expect(running).rejects.toThrow(/not in the cloud/);
    });

    it('throws NoInputDatasets for an input manifest without datasets', async () => {
      await expect(
        aggregatorRunner().run({ inputManifest: { id: '0c7d6d7e-4b8a-4f0e-9a51-2f6f1e0c9b3d', datasets: {} } }),
      ).rejects.toThrow(NoInputDatasets);
    });

    it('throws ChildNotConfigured without a csv-stats child', async () => {
      const running = aggregatorRunner({ children: undefined }).run({ inputManifest: await exampleManifest() });

      await expect(running).rejects.toThrow(ChildNotConfigured);
    });

    it('throws InvalidChildAnswer when the child is not a csv-stats service', async () => {
      const impostor = 'skein/impostor:1.0.0';
      await network.serve(impostor, { run: async () => ({ outputValues: { mean: 3 } }) });
      const children = aggregatorChildren({ csvStatsId: impostor, projectId: 'test-project' });

      const running = aggregatorRunner({ children }).run({ inputManifest: await exampleManifest() });

      await expect(running).rejects.toThrow(InvalidChildAnswer);
      await expect(running).rejects.toThrow(
        /skein\/impostor:1.0.0 answered the question about '(harbour|north-ridge|valley-farm)'/,
      );
    });
  });
});
