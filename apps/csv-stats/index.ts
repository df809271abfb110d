/**
 * The csv-stats example service (a child): summarises the CSV files of one dataset. A composition root builds it as
 * `new Runner({ app: { run }, twine: CSV_STATS_TWINE, configurationValues, objectStore, outputLocation, … })` and
 * serves it with a `Service`; parents asking it pass {@link CSV_STATS_ERROR_CLASSES} to their `Child`.
 * @module
 */
import twine from '../../twines/csv-stats.json';

export { run, TABLES_DATASET } from './app';
export type { CsvStatsConfiguration, CsvStatsInput, CsvStatsOutput, FileRead } from './app';
export { CSV_STATS_ERROR_CLASSES, MalformedCsv, MissingColumn, NonNumericCell } from './errors';
export type { CellContext } from './errors';
export { SUMMARY_FILE_NAME, SUMMARY_HEADER, formatSummaryCsv } from './summary-csv';

/** The csv-stats twine (twines/csv-stats.json). */
export const CSV_STATS_TWINE: Readonly<Record<string, unknown>> = twine;
