import { join } from 'node:path';

import { parse } from 'csv-parse/sync';

import * as csvStats from '../../../apps/csv-stats';
import { CSV_STATS_TWINE, MalformedCsv, MissingColumn, NonNumericCell, SUMMARY_HEADER } from '../../../apps/csv-stats';
import type { CsvStatsOutput } from '../../../apps/csv-stats';
import { InvalidManifestContents } from '../../../src/errors';
import { Runner } from '../../../src/service';
import type { Analysis } from '../../../src/service';
import {
  EXAMPLES,
  NUMERIC_COLUMNS,
  expectSummary,
  naiveSummary,
  readNaively,
  temporaryWorkspace,
  uploadExample,
  writeDataset,
} from './helpers';

const OUTPUT_LOCATION = 'gs://outputs/csv-stats';

function manifest(tables: string): { id: string; datasets: { tables: string } } {
  return { id: '0f9f0fbb-7a04-4d49-9e0d-6b1c5a3f4a10', datasets: { tables } };
}

describe('Function: run (csv-stats)', () => {
  let workspace: ReturnType<typeof temporaryWorkspace>;

  // With an output location the app uploads its summary and deletes its temporary files.
  function runner(options: { configurationValues?: unknown } = {}): Runner {
    return new Runner({
      app: csvStats,
      twine: CSV_STATS_TWINE,
      configurationValues: options.configurationValues,
      objectStore: workspace.store,
      outputLocation: OUTPUT_LOCATION,
      // The local datasets these tests send are in the workspace.
      allowedLocalRoots: [workspace.root],
    });
  }

  beforeEach(() => {
    workspace = temporaryWorkspace();
  });

  afterEach(() => {
    workspace.cleanup();
  });

  describe('with a dataset in the object store', () => {
    it.each(['north-ridge', 'harbour', 'valley-farm'])(
      'streams %s and matches the two-pass statistics of every numeric column',
      async (site) => {
        const { store } = workspace;
        const cloudPath = await uploadExample(store, site);
        const naive = readNaively(join(EXAMPLES, site), NUMERIC_COLUMNS);

        const analysis = await runner().run({ inputManifest: manifest(cloudPath) });

        const output = analysis.outputValues as CsvStatsOutput;
        expect(Object.keys(output.columns)).toEqual(NUMERIC_COLUMNS);
        for (const column of NUMERIC_COLUMNS) {
          const { values, missing } = naive.get(column) ?? { values: [], missing: 0 };
          expectSummary(output.columns[column], naiveSummary(values, missing));
        }
        expect(output.rows).toBe(112);
        expect(output.files).toEqual([
          { name: '2024-03-week-1.csv', site, rows: 56 },
          { name: '2024-03-week-2.csv', site, rows: 56 },
        ]);
      },
    );

    it('uploads summary.csv with one row per column to the output location', async () => {
      const { store } = workspace;
      const cloudPath = await uploadExample(store, 'valley-farm');

      const analysis = await runner().run({ inputManifest: manifest(cloudPath) });

      const summary = analysis.outputManifest?.datasets.summary;
      expect(summary?.path.startsWith(`${OUTPUT_LOCATION}/`)).toBe(true);
      const file = summary?.files.one({ name: 'summary.csv' });
      const rows = parse(await store.read(file?.cloudPath as string), { columns: true }) as Record<string, string>[];
      const output = analysis.outputValues as CsvStatsOutput;
      expect(Object.keys(rows[0] ?? {})).toEqual([...SUMMARY_HEADER]);
      expect(rows.map((row) => row.column)).toEqual(NUMERIC_COLUMNS);
      for (const row of rows) {
        const column = output.columns[row.column as string];
        expect(Number(row.count)).toBe(column?.count);
        expect(Number(row.mean)).toBe(column?.mean);
        expect(Number(row.sample_variance)).toBe(column?.sample_variance);
      }
      expect(rows.find((row) => row.column === 'wind_speed_m_s')?.missing).toBe('4');
    });

    it('summarises only the configured columns, or the question’s columns instead', async () => {
      const { store } = workspace;
      const cloudPath = await uploadExample(store, 'north-ridge');
      const configured = runner({ configurationValues: { columns: ['pressure_hpa', 'temperature_c'] } });

      const fromConfiguration = await configured.run({ inputManifest: manifest(cloudPath) });
      const fromQuestion = await configured.run({
        inputManifest: manifest(cloudPath),
        inputValues: { columns: ['wind_speed_m_s'] },
      });

      expect(Object.keys((fromConfiguration.outputValues as CsvStatsOutput).columns)).toEqual([
        'pressure_hpa',
        'temperature_c',
      ]);
      expect(Object.keys((fromQuestion.outputValues as CsvStatsOutput).columns)).toEqual(['wind_speed_m_s']);
    });
  });

  describe('with a local dataset', () => {
    async function runLocal(text: string, configurationValues?: unknown): Promise<Analysis> {
      const directory = await writeDataset(join(workspace.root, 'tables'), [{ name: 'readings.csv', text }]);
      return runner({ configurationValues }).run({ inputManifest: manifest(directory) });
    }

    it('sends progress every progress_interval_rows rows and when each file ends, by bytes', async () => {
      const rows = Array.from({ length: 250 }, (_, index) => `${index},${(index % 7) * 1.5}`);
      const directory = await writeDataset(join(workspace.root, 'tables'), [
        { name: 'a.csv', text: ['n,x', ...rows].join('\n') },
        { name: 'b.csv', text: ['n,x', ...rows.slice(0, 50)].join('\n') },
      ]);
      const messages: { file: string; rows_processed: number; fraction: number }[] = [];

      const analysis = await runner({ configurationValues: { progress_interval_rows: 100 } }).run({
        inputManifest: manifest(directory),
        handleMonitorMessage: (data) => messages.push(data as (typeof messages)[number]),
      });

      expect(messages.map(({ file, rows_processed }) => [file, rows_processed])).toEqual([
        ['a.csv', 100],
        ['a.csv', 200],
        ['a.csv', 250],
        ['b.csv', 50],
      ]);
      const fractions = messages.map((message) => message.fraction);
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
      expect(fractions[0]).toBeGreaterThan(0);
      expect(fractions.at(-1)).toBe(1);
      expect((analysis.outputValues as CsvStatsOutput).rows).toBe(300);
    });

    it('skips empty lines, trims cells and counts empty cells as missing', async () => {
      const analysis = await runLocal('a, b\n1, 2\n\n 3 ,\n,\n', { columns: ['a', 'b'] });

      const output = analysis.outputValues as CsvStatsOutput;
      expectSummary(output.columns.a, naiveSummary([1, 3], 1));
      expectSummary(output.columns.b, naiveSummary([2], 2));
      expect(output.rows).toBe(3);
    });

    it('gives zero rows and null statistics for a header-only file', async () => {
      const analysis = await runLocal('a,b\n', { columns: ['b'] });

      expect(analysis.outputValues).toEqual({
        rows: 0,
        files: [{ name: 'readings.csv', site: 'test-site', rows: 0 }],
        columns: { b: naiveSummary([]) },
      });
    });
  });

  describe('with bad input', () => {
    it.each([
      [
        'a chosen column is missing',
        'a,b\n1,2\n',
        { columns: ['c'] },
        MissingColumn,
        /'c' is not in the header of 'readings.csv'/,
      ],
      [
        'a cell is text',
        'a,b\n1,2\n3,n/a\n',
        {},
        NonNumericCell,
        /Row 2 \(line 3\) of 'readings.csv' has 'n\/a' in the column 'b'/,
      ],
      ['a cell is Infinity', 'a\n1\nInfinity\n', { columns: ['a'] }, NonNumericCell, /'Infinity' in the column 'a'/],
      ['a cell is hexadecimal', 'a\n0x10\n', { columns: ['a'] }, NonNumericCell, /'0x10' in the column 'a'/],
      ['a row has too few cells', 'a,b\n1,2\n3\n', {}, MalformedCsv, /'readings.csv' is not valid CSV/],
      ['the file is empty', '', {}, MalformedCsv, /'readings.csv' is empty/],
      ['a chosen column appears twice', 'a,a\n1,2\n', { columns: ['a'] }, MalformedCsv, /'a' appears more than once/],
    ])('throws a typed error when %s', async (_case, text, configurationValues, errorClass, message) => {
      const directory = await writeDataset(join(workspace.root, 'tables'), [{ name: 'readings.csv', text }]);

      const running = runner({ configurationValues }).run({ inputManifest: manifest(directory) });

      await expect(running).rejects.toThrow(errorClass);
      await expect(running).rejects.toThrow(message);
    });

    it('says which file, row, line, column and text a non-numeric cell is', async () => {
      const directory = await writeDataset(join(workspace.root, 'tables'), [
        { name: 'readings.csv', text: 'a,b\n1,2\n\n3,-\n' },
      ]);

      const error = await runner()
        .run({ inputManifest: manifest(directory) })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(NonNumericCell);
      expect(error).toMatchObject({ file: 'readings.csv', row: 2, line: 4, column: 'b', value: '-' });
    });

    it('refuses a file without the site tag before the app runs', async () => {
      const directory = await writeDataset(join(workspace.root, 'tables'), [
        { name: 'readings.csv', text: 'a\n1\n', tags: { sensor: 'WS-300' } },
      ]);

      const running = runner().run({ inputManifest: manifest(directory) });

      await expect(running).rejects.toThrow(InvalidManifestContents);
      await expect(running).rejects.toThrow(/'readings.csv' in dataset 'tables'/);
    });

    it('refuses an unknown delimiter tag', async () => {
      const directory = await writeDataset(join(workspace.root, 'tables'), [
        { name: 'readings.csv', text: 'a:b\n1:2\n', tags: { site: 'x', delimiter: ':' } },
      ]);

      await expect(runner().run({ inputManifest: manifest(directory) })).rejects.toThrow(InvalidManifestContents);
    });
  });
});
