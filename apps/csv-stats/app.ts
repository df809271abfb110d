import { promises as fs } from 'node:fs';

import { InvalidInputException } from '../../src/errors';
import type { Datafile } from '../../src/core/resources';
import { Manifest } from '../../src/core/resources';
import type { Analysis } from '../../src/service';
import type { ColumnSummary } from '../shared/statistics';
import { readTable, TableStatistics } from './read-table';
import type { FileProgress } from './read-table';
import { writeSummaryDataset } from './summary-csv';

/** The csv-stats configuration values, with the twine's defaults filled in. */
export interface CsvStatsConfiguration {
  readonly columns?: readonly string[];
  readonly progress_interval_rows: number;
}

/** The csv-stats input values. */
export interface CsvStatsInput {
  readonly columns?: readonly string[];
}

/** One file read, as listed in the output values. */
export interface FileRead {
  readonly name: string;
  readonly site: string;
  readonly rows: number;
}

/** The csv-stats output values. */
export interface CsvStatsOutput {
  readonly rows: number;
  readonly files: readonly FileRead[];
  readonly columns: Readonly<Record<string, ColumnSummary>>;
}

/** The key of the input dataset in the twine. */
export const TABLES_DATASET = 'tables';

function byName(a: Datafile, b: Datafile): number {
  return a.name.localeCompare(b.name, 'en') || a.path.localeCompare(b.path, 'en');
}

async function sizeOf(datafile: Datafile): Promise<number | undefined> {
  if (datafile.localPath !== null) {
    const stats = await fs.stat(datafile.localPath).catch(() => null);
    if (stats?.isFile()) return stats.size;
  }
  const size = datafile.cloudMetadata?.size;
  return typeof size === 'number' ? size : undefined;
}

/** Turns a file's progress into the fraction of the whole dataset done: by bytes when every size is known. */
function progressMeter(sizes: readonly (number | undefined)[]): (index: number, progress: FileProgress) => number {
  const known = sizes.every((size) => size !== undefined);
  const total = sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0);
  return (index, progress) => {
    const size = sizes[index];
    const fileFraction = progress.finished ? 1 : size ? Math.min(1, progress.bytes / size) : 0;
    if (!known || total === 0) return (index + fileFraction) / sizes.length;
    const before = sizes.slice(0, index).reduce<number>((sum, s) => sum + (s ?? 0), 0);
    return Math.min(1, (before + fileFraction * (size ?? 0)) / total);
  };
}

/**
 * The csv-stats app: streams every CSV file of the `tables` dataset (in name order) and summarises the chosen columns
 * (the question's `columns`, else the configured ones, else the numeric columns of the first data row) with
 * Welford's algorithm. It sends a progress monitor message every `progress_interval_rows` rows and when each file is
 * finished, logs each file, sets the output values (`{rows, files, columns}`) and puts `summary.csv` in the `summary`
 * output dataset. With an output location, it finalises (uploads) the outputs itself and deletes its temporary files;
 * without one, the summary stays in a temporary directory the output manifest points to.
 * @param analysis - The analysis (see the twine, twines/csv-stats.json).
 * @throws InvalidInputException without an input manifest; MissingColumn, NonNumericCell, MalformedCsv for bad
 *   tables; the store's errors when a file cannot be read.
 */
export async function run(analysis: Analysis): Promise<void> {
  const configuration = analysis.twine.validateValues(
    'configuration_values',
    analysis.configurationValues ?? {},
  ) as CsvStatsConfiguration;
  const input = (analysis.inputValues ?? {}) as CsvStatsInput;
  if (analysis.inputManifest === undefined) {
    throw new InvalidInputException(`csv-stats needs an input manifest with a '${TABLES_DATASET}' dataset.`);
  }
  const files = analysis.inputManifest.getDataset(TABLES_DATASET).files.toArray().sort(byName);
  const fraction = progressMeter(await Promise.all(files.map(sizeOf)));
  const statistics = new TableStatistics(input.columns ?? configuration.columns);
  const read: FileRead[] = [];

  for (const [index, datafile] of files.entries()) {
    analysis.logger.info('Reading %s (file %d of %d).', datafile.name, index + 1, files.length);
    const rows = await readTable({
      datafile,
      store: analysis.objectStore,
      statistics,
      progressIntervalRows: configuration.progress_interval_rows,
      onProgress: (progress) =>
        analysis.sendMonitorMessage({
          file: datafile.name,
          file_number: index + 1,
          file_count: files.length,
          rows_processed: progress.rows,
          fraction: fraction(index, progress),
        }),
    });
    read.push({ name: datafile.name, site: String(datafile.tags.get('site')), rows });
    analysis.logger.info('Read %d rows of %s.', rows, datafile.name);
  }

  const summary = statistics.summary();
  const output: CsvStatsOutput = { rows: summary.rows, files: read, columns: summary.columns };
  analysis.outputValues = output;
  analysis.logger.info('Summarised %d columns over %d rows.', Object.keys(summary.columns).length, summary.rows);

  const written = await writeSummaryDataset(summary);
  if (analysis.outputManifest === undefined) {
    analysis.outputManifest = new Manifest({ datasets: { summary: written.dataset } });
  } else {
    analysis.outputManifest.datasets.summary = written.dataset;
  }
  if (analysis.outputLocation !== undefined) {
    // Upload now so the temporary files can go (a function instance's /tmp is memory).
    try {
      await analysis.finalise();
    } finally {
      await written.remove();
    }
  }
}
