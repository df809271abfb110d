import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Datafile, Dataset } from '../../src/core/resources';
import type { TableSummary } from '../shared/statistics';

/** The name of the summary file in the output dataset. */
export const SUMMARY_FILE_NAME = 'summary.csv';

/** The header of the summary file: the column's name, then its statistics as in the output values. */
export const SUMMARY_HEADER = [
  'column',
  'count',
  'missing',
  'mean',
  'm2',
  'variance',
  'sample_variance',
  'min',
  'max',
] as const;

function cell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // RFC 4180 quoting, for column names holding commas, quotes or line breaks.
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Formats a table summary as CSV: a header row, then one row per column. Numbers are written in full (JavaScript's
 * shortest round-trip form); `null` statistics are empty cells.
 * @param summary - The summary.
 * @returns The CSV text, ending with a line break.
 */
export function formatSummaryCsv(summary: TableSummary): string {
  const lines = [SUMMARY_HEADER.join(',')];
  for (const [name, column] of Object.entries(summary.columns)) {
    const values = SUMMARY_HEADER.slice(1).map(
      (key) => column[key as Exclude<(typeof SUMMARY_HEADER)[number], 'column'>],
    );
    lines.push([name, ...values].map(cell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** A summary dataset written to a temporary directory. */
export interface SummaryDataset {
  /** The dataset (named `summary`) holding `summary.csv`, labelled `summary`. */
  readonly dataset: Dataset;
  /** Deletes the temporary directory (once the dataset has been uploaded, or is no longer needed). */
  remove(): Promise<void>;
}

/**
 * Writes `summary.csv` (see {@link formatSummaryCsv}), with its `.octue` metadata, into a new temporary directory and
 * makes it a dataset.
 * @param summary - The summary to write.
 * @returns The dataset and a function that deletes it.
 */
export async function writeSummaryDataset(summary: TableSummary): Promise<SummaryDataset> {
  const directory = await fs.mkdtemp(join(tmpdir(), 'csv-stats-summary-'));
  const filePath = join(directory, SUMMARY_FILE_NAME);
  await fs.writeFile(filePath, formatSummaryCsv(summary));
  const datafile = new Datafile({ path: filePath, labels: ['summary'], tags: { rows: summary.rows } });
  await datafile.updateLocalMetadata();
  return {
    dataset: new Dataset({ path: directory, name: 'summary', files: [datafile] }),
    remove: () => fs.rm(directory, { recursive: true, force: true }),
  };
}
