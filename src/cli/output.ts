import { SkeinValidationError } from '../errors';
import type { ValidationFailure } from '../errors';
import { summaryOf } from './errors';

/** One problem found by a validation command. */
export interface ReportedError {
  /** The strand (or `twine`) the problem is in. */
  readonly strand: string;
  /** The error class name, e.g. `InvalidValuesContents`. */
  readonly error: string;
  /** The one-line summary. */
  readonly message: string;
  /** Every failing value with its JSON pointer. */
  readonly failures: readonly ValidationFailure[];
}

/** A checked document: the strand (or `twine`) and the file it came from. */
export interface CheckedDocument {
  readonly strand: string;
  readonly path: string;
}

/** The result of a validation command, as printed with `--json`. */
export interface ValidationReport {
  readonly valid: boolean;
  readonly checked: readonly CheckedDocument[];
  readonly errors: readonly ReportedError[];
}

/**
 * Turns a caught error into a reported problem.
 * @param error - A Skein error (or anything else thrown while validating).
 * @param strand - The strand being checked, used when the error names none.
 * @returns The problem.
 */
export function reportError(error: unknown, strand: string): ReportedError {
  const failure = error instanceof Error ? error : new Error(String(error));
  return {
    strand: failure instanceof SkeinValidationError ? (failure.strand ?? strand) : strand,
    error: failure.name,
    message: summaryOf(failure),
    failures: failure instanceof SkeinValidationError ? failure.failures : [],
  };
}

function listChecked(checked: readonly CheckedDocument[]): string {
  return checked.map((document) => `${document.strand} (${document.path})`).join(', ');
}

/**
 * Formats a report for people: one `valid` line, or an `invalid` line followed by each problem and every failing
 * pointer, prefixed by its strand.
 * @param report - The report.
 * @returns The text, ending in a newline.
 */
export function formatReport(report: ValidationReport): string {
  if (report.valid) {
    return `valid: checked ${listChecked(report.checked)}\n`;
  }
  const count = report.errors.length;
  const lines = [`invalid: ${count} ${count === 1 ? 'problem' : 'problems'} (checked ${listChecked(report.checked)})`];
  for (const error of report.errors) {
    lines.push(`${error.strand}: ${error.error}: ${error.message}`);
    for (const failure of error.failures) {
      lines.push(`  ${error.strand} ${failure.pointer === '' ? '(root)' : failure.pointer}: ${failure.message}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
