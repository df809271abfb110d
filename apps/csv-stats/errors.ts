import { InvalidInputException } from '../../src/errors';

// The csv-stats app's own leaves of the error tree. They are input errors (Octue's InvalidInputException family), so
// a parent sees what was wrong with its data; pass CSV_STATS_ERROR_CLASSES to a Child's `errorClasses` to have them
// re-created as these classes rather than as RemoteExceptions. Context fields are empty on re-created errors (only
// the message crosses the wire), so the messages name the file, row and column themselves.

/** Where in a CSV file something was found. */
export interface CellContext {
  /** The file's name. */
  readonly file?: string;
  /** The data row, counted from 1 after the header row. */
  readonly row?: number;
  /** The line of the file the row ends on, counted from 1. */
  readonly line?: number;
  /** The column's name. */
  readonly column?: string;
  /** The cell's text. */
  readonly value?: string;
}

/** A cell of a summarised column holds text that is not a number (empty cells are allowed: they count as missing). */
export class NonNumericCell extends InvalidInputException {
  readonly file: string | undefined;
  readonly row: number | undefined;
  readonly line: number | undefined;
  readonly column: string | undefined;
  readonly value: string | undefined;

  /**
   * @param message - Which file, row, column and text, and what to do.
   * @param context - The same as fields.
   */
  constructor(message: string, context: CellContext = {}) {
    super(message);
    this.file = context.file;
    this.row = context.row;
    this.line = context.line;
    this.column = context.column;
    this.value = context.value;
  }
}

/** A column chosen for summarising is not in a file's header row. */
export class MissingColumn extends InvalidInputException {
  readonly file: string | undefined;
  readonly column: string | undefined;
  /** The columns the file does have. */
  readonly available: readonly string[];

  /**
   * @param message - Which column is missing from which file, and which columns there are.
   * @param context - The file, the column and the file's columns.
   */
  constructor(message: string, context: { file?: string; column?: string; available?: readonly string[] } = {}) {
    super(message);
    this.file = context.file;
    this.column = context.column;
    this.available = context.available ?? [];
  }
}

/** A file is not CSV the parser can read: no header row, rows of different lengths, broken quoting. */
export class MalformedCsv extends InvalidInputException {
  readonly file: string | undefined;
  /** The line the parser stopped at, when known. */
  readonly line: number | undefined;

  /**
   * @param message - Which file, where, and what the parser said.
   * @param context - The file, the line and the parser's error as `cause`.
   */
  constructor(message: string, context: { file?: string; line?: number; cause?: unknown } = {}) {
    super(message, { cause: context.cause });
    this.file = context.file;
    this.line = context.line;
  }
}

/** Every csv-stats error class, for a parent's `Child` (`errorClasses`) to re-create them by name. */
export const CSV_STATS_ERROR_CLASSES = [NonNumericCell, MissingColumn, MalformedCsv] as const;
