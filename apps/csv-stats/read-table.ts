import { pipeline } from 'node:stream/promises';

import { CsvError, parse } from 'csv-parse';
import type { Info } from 'csv-parse';

import type { ObjectStore } from '../../src/core/ports/object-store';
import type { Datafile } from '../../src/core/resources';
import { RunningStats, summariseColumn } from '../shared/statistics';
import type { TableSummary } from '../shared/statistics';
import { MalformedCsv, MissingColumn, NonNumericCell } from './errors';

/** The field separator of files without a `delimiter` tag. */
export const DEFAULT_DELIMITER = ',';

// A plain decimal number: no hex, no `Infinity`, no blanks (which `Number()` would all accept).
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** One column's running statistics and its count of empty cells. */
export class ColumnAccumulator {
  readonly stats = new RunningStats();
  missing = 0;
}

/**
 * The statistics of a dataset being read file by file: the chosen columns (fixed once known: given, or found from the
 * first data row) and each one's accumulator.
 */
export class TableStatistics {
  /** Data rows read so far, over every file. */
  rows = 0;
  /** Each chosen column's accumulator, in the order chosen. */
  readonly columns = new Map<string, ColumnAccumulator>();
  private chosen: readonly string[] | undefined;

  /** @param columns - The columns to summarise; left out or empty, the first data row decides. */
  constructor(columns?: readonly string[]) {
    if (columns !== undefined && columns.length > 0) this.choose(columns);
  }

  /** The chosen columns, or `undefined` until the first data row decides them. */
  get chosenColumns(): readonly string[] | undefined {
    return this.chosen;
  }

  /**
   * Fixes the columns to summarise.
   * @param columns - Their names.
   */
  choose(columns: readonly string[]): void {
    this.chosen = [...columns];
    for (const column of columns) this.columns.set(column, new ColumnAccumulator());
  }

  /** @returns The summary of everything read so far. */
  summary(): TableSummary {
    const columns = [...this.columns].map(([name, { stats, missing }]) => [name, summariseColumn(stats, missing)]);
    return { rows: this.rows, columns: Object.fromEntries(columns) };
  }
}

/** How far through a file reading is. */
export interface FileProgress {
  /** Data rows read. */
  readonly rows: number;
  /** Bytes parsed. */
  readonly bytes: number;
  /** Whether the whole file has been read (the last report). */
  readonly finished: boolean;
}

/** What {@link readTable} needs. */
export interface ReadTableParams {
  /** The CSV file; its `delimiter` tag (default a comma) is the field separator. */
  readonly datafile: Datafile;
  /** The store for files in the cloud (default: the store the datafile was loaded with). */
  readonly store?: ObjectStore;
  /** Where the file's values go. */
  readonly statistics: TableStatistics;
  /** Report progress after every this many rows (and once at the end). */
  readonly progressIntervalRows: number;
  /** Receives the progress reports. */
  readonly onProgress: (progress: FileProgress) => void;
}

interface ParsedRecord {
  readonly record: string[];
  readonly info: Info;
}

/** A chosen column's position in the file and where its values go. */
interface ColumnSlot {
  readonly name: string;
  readonly index: number;
  readonly accumulator: ColumnAccumulator;
}

function numericColumns(header: readonly string[], row: readonly string[]): string[] {
  return header.filter((name, index) => NUMBER.test(row[index] ?? '') && header.indexOf(name) === index);
}

function slotsFor(file: string, header: readonly string[], statistics: TableStatistics): ColumnSlot[] {
  return [...statistics.columns].map(([name, accumulator]) => {
    const index = header.indexOf(name);
    if (index === -1) {
      throw new MissingColumn(
        `The column '${name}' is not in the header of '${file}' (its columns are ${header.map((c) => `'${c}'`).join(', ')}). ` +
          'Choose columns every file has, or fix the header.',
        { file, column: name, available: header },
      );
    }
    if (header.indexOf(name, index + 1) !== -1) {
      throw new MalformedCsv(`The column '${name}' appears more than once in the header of '${file}'; rename one.`, {
        file,
        line: 1,
      });
    }
    return { name, index, accumulator };
  });
}

function addCell(slot: ColumnSlot, cell: string, where: { file: string; row: number; line: number }): void {
  if (cell === '') {
    slot.accumulator.missing += 1;
    return;
  }
  const value = NUMBER.test(cell) ? Number(cell) : Number.NaN;
  if (!Number.isFinite(value)) {
    throw new NonNumericCell(
      `Row ${where.row} (line ${where.line}) of '${where.file}' has '${cell}' in the column '${slot.name}', which is ` +
        'not a finite number. Fix the cell, empty it to count it as missing, or leave the column out of `columns`.',
      { ...where, column: slot.name, value: cell },
    );
  }
  slot.accumulator.stats.push(value);
}

function asMalformed(error: unknown, file: string): unknown {
  if (!(error instanceof CsvError)) return error;
  const line = typeof error.lines === 'number' ? error.lines : undefined;
  return new MalformedCsv(`'${file}' is not valid CSV: ${error.message}`, { file, line, cause: error });
}

/**
 * Streams one CSV file through csv-parse (the file is never held in memory) into the dataset's statistics: the first
 * row is the header, empty lines are skipped, cells are trimmed, empty cells count as missing.
 * @param params - The file, the statistics and the progress reporting.
 * @returns The number of data rows in the file.
 * @throws MalformedCsv for an empty file or CSV the parser refuses; MissingColumn when a chosen column is not in the
 *   header; NonNumericCell for a cell that is neither empty nor a number; the store's errors when the file cannot be
 *   read (e.g. FileNotFoundException).
 */
export async function readTable(params: ReadTableParams): Promise<number> {
  const { datafile, statistics, progressIntervalRows, onProgress } = params;
  const file = datafile.name;
  const tag = datafile.tags.get('delimiter');
  const delimiter = typeof tag === 'string' && tag !== '' ? tag : DEFAULT_DELIMITER;
  const source = await datafile.openReadStream(params.store === undefined ? {} : { store: params.store });
  const parser = parse({ delimiter, bom: true, trim: true, skip_empty_lines: true, info: true });
  let header: string[] | undefined;
  let slots: ColumnSlot[] | undefined;
  let rows = 0;
  // Node 20's pipeline reports an AbortError instead of the consumer's own error when the consumer throws while the
  // file is still open, so the consumer's error is kept here and thrown instead.
  let failure: unknown;
  try {
    await pipeline(source, parser, async (records: AsyncIterable<ParsedRecord>) => {
      try {
        for await (const { record, info } of records) {
          if (header === undefined) {
            header = record;
            if (statistics.chosenColumns !== undefined) slots = slotsFor(file, header, statistics);
            continue;
          }
          if (slots === undefined) {
            // No columns were chosen: the numeric cells of the first data row decide them, for every file.
            statistics.choose(numericColumns(header, record));
            slots = slotsFor(file, header, statistics);
          }
          rows += 1;
          statistics.rows += 1;
          const where = { file, row: rows, line: info.lines };
          for (const slot of slots) addCell(slot, record[slot.index] ?? '', where);
          if (rows % progressIntervalRows === 0) onProgress({ rows, bytes: info.bytes, finished: false });
        }
      } catch (error) {
        failure = error;
        throw error;
      }
    });
  } catch (error) {
    throw asMalformed(failure ?? error, file);
  }
  if (header === undefined) {
    throw new MalformedCsv(`'${file}' is empty: a CSV file needs at least a header row.`, { file });
  }
  onProgress({ rows, bytes: parser.info.bytes, finished: true });
  return rows;
}
