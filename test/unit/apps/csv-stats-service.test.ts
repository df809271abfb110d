import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as csvStats from '../../../apps/csv-stats';
import { CSV_STATS_TWINE, NonNumericCell } from '../../../apps/csv-stats';
import type { CsvStatsOutput } from '../../../apps/csv-stats';
import { Runner, createLogger, memoryLogSink } from '../../../src/service';
import {
  AppNetwork,
  CSV_STATS_ID,
  EXAMPLES,
  NUMERIC_COLUMNS,
  expectSummary,
  naiveSummary,
  readNaively,
  removeLocalOutputs,
  temporaryWorkspace,
  writeDataset,
} from './helpers';

describe('Class: Service (csv-stats)', () => {
  let network: AppNetwork;
  let workspace: ReturnType<typeof temporaryWorkspace>;

  beforeEach(async () => {
    workspace = temporaryWorkspace();
    network = await AppNetwork.start();
    // The parent sends local datasets from the example data and the workspace: exactly what the service may read.
    const allowedLocalRoots = [EXAMPLES, workspace.root];
    await network.serve(
      CSV_STATS_ID,
      new Runner({ app: csvStats, twine: CSV_STATS_TWINE, serviceId: CSV_STATS_ID, allowedLocalRoots }),
    );
  });

  afterEach(async () => {
    await network.close();
    workspace.cleanup();
  });

  describe('Method: answer', () => {
    it('answers a Child with the statistics, progress messages, logs and a local summary dataset', async () => {
      const { sink, entries } = memoryLogSink();
      const child = network.child(CSV_STATS_ID, {
        logger: createLogger({ name: 'parent', sinks: [{ sink }] }),
        // Without an output location csv-stats leaves its summary in a new directory in the OS's temporary directory,
        // and the answer names it there: the parent must allow that root to read it (answers are refused local paths).
        allowedLocalRoots: [tmpdir()],
      });
      const messages: unknown[] = [];

      const { answer } = await child.ask({
        inputManifest: {
          id: '1a3b1c0e-2d7e-4c53-9d1e-3f3f0b7a9e51',
          name: null,
          datasets: { tables: join(EXAMPLES, 'harbour') },
        },
        allowLocalFiles: true,
        handleMonitorMessage: (data) => {
          messages.push(data);
        },
      });

      try {
        const output = answer.outputValues as CsvStatsOutput;
        const naive = readNaively(join(EXAMPLES, 'harbour'), NUMERIC_COLUMNS);
        for (const column of NUMERIC_COLUMNS) {
          const { values, missing } = naive.get(column) ?? { values: [], missing: 0 };
          expectSummary(output.columns[column], naiveSummary(values, missing));
        }
        expect(messages).toEqual([
          {
            file: '2024-03-week-1.csv',
            file_number: 1,
            file_count: 2,
            rows_processed: 56,
            fraction: expect.any(Number),
          },
          { file: '2024-03-week-2.csv', file_number: 2, file_count: 2, rows_processed: 56, fraction: 1 },
        ]);
        const relayed = entries.map((entry) => entry.message);
        expect(relayed).toEqual(
          expect.arrayContaining([expect.stringContaining('Reading 2024-03-week-1.csv (file 1 of 2).')]),
        );
        const summary = answer.outputManifest?.datasets.summary;
        expect(summary?.files.one({ name: 'summary.csv' }).existsLocally).toBe(true);
      } finally {
        await removeLocalOutputs(answer.outputManifest);
      }
    });

    it('sends a non-numeric cell to the parent as a NonNumericCell naming the file, row and column', async () => {
      const directory = await writeDataset(join(workspace.root, 'bad'), [
        { name: 'readings.csv', text: 'temperature_c\n4.5\nwarm\n' },
      ]);

      const asking = network.child(CSV_STATS_ID).ask({
        inputManifest: { id: '5c1f8e1e-8a43-4d0c-9f51-0d4d4f6fd2a3', name: null, datasets: { tables: directory } },
        allowLocalFiles: true,
      });

      await expect(asking).rejects.toThrow(NonNumericCell);
      await expect(asking).rejects.toThrow(
        /Row 2 \(line 3\) of 'readings.csv' has 'warm' in the column 'temperature_c'/,
      );
    });
  });
});
