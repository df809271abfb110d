import { formatPythonIsoformat } from '../json/octue-json';

// Event datetimes are kept as text in Python's `isoformat()` form for a UTC datetime, so microseconds sent by Python
// peers survive a round trip (a JS Date only holds milliseconds).

const NORMAL_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(?!000000)\d{6})?\+00:00$/;

/**
 * Whether a value is already written as {@link normaliseEventDatetime} would write it (what Skein and Octue send). Only
 * the form is checked, not the calendar: callers that skip normalising rely on a later date-time format check.
 * @param value - The received value.
 * @returns `true` for text in the normal form.
 */
export function hasNormalEventDatetimeForm(value: unknown): value is string {
  return typeof value === 'string' && NORMAL_FORM.test(value);
}

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Formats a date as Python's `datetime.now(tz=timezone.utc).isoformat()` would, e.g.
 * `2025-05-13T15:39:34.123000+00:00` (no fraction when it is zero, as in Python).
 * @param date - The date.
 * @returns The ISO 8601 text with a `+00:00` offset.
 * @throws InvalidInputException when the date is invalid.
 */
export function formatEventDatetime(date: Date): string {
  return formatPythonIsoformat(date);
}

/**
 * Normalises an event datetime from any form peers and stores produce to Python's UTC `isoformat()` text: ISO 8601
 * text with a `+00:00`/`Z`/other offset or none (naive values are UTC, as Octue writes them and BigQuery returns
 * them), a `Date`, a BigQuery timestamp object (`{value: "…"}`) or an Octue JSON `{"_type": "datetime"}` object.
 * Microseconds are kept; finer fractions are truncated.
 * @param value - The received value.
 * @returns The normalised text, or `undefined` when the value is not a recognisable date-time.
 */
export function normaliseEventDatetime(value: unknown): string | undefined {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? undefined : formatPythonIsoformat(value);
  }
  if (typeof value === 'object' && value !== null && typeof (value as { value?: unknown }).value === 'string') {
    return normaliseEventDatetime((value as { value: string }).value);
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = DATETIME.exec(value.trim());
  if (match === null) {
    return undefined;
  }
  const [, year, month, day, hour, minute, second, fraction = '', offset = 'Z'] = match;
  const seconds = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  const calendar = new Date(seconds);
  const inRange =
    calendar.getUTCDate() === Number(day) &&
    calendar.getUTCMonth() === Number(month) - 1 &&
    Number(hour) < 24 &&
    Number(minute) < 60 &&
    Number(second) < 60;
  if (!inRange) {
    return undefined;
  }
  const utc = new Date(seconds - offsetMinutes(offset) * 60_000);
  const micros = fraction.slice(0, 6).padEnd(6, '0');
  return `${utc.toISOString().slice(0, 19)}${micros === '000000' ? '' : `.${micros}`}+00:00`;
}

function offsetMinutes(offset: string): number {
  if (offset.toUpperCase() === 'Z') {
    return 0;
  }
  const digits = offset.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
  return offset.startsWith('-') ? -minutes : minutes;
}
