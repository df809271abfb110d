import { isNumeric, type Numeric } from './equality';
import { isIterable } from './collection-kinds';

/** Returned by a {@link ValueParser} for a filter value of the wrong shape. */
export const INVALID: unique symbol = Symbol('invalid filter value');

/**
 * Checks (and where useful converts) the value given to a filter action, so each action is declared with the shape
 * of value it needs and a wrong one fails with a clear `InvalidFilterValue` instead of a silent JavaScript coercion.
 */
export interface ValueParser<V> {
  /** What the action expects, for messages, e.g. `a string`. */
  readonly expects: string;
  /** The parsed value, or {@link INVALID}. */
  parse(value: unknown): V | typeof INVALID;
}

/** Accepts any value unchanged (`equals`, `is`, `contains`, …). */
export const anyValue: ValueParser<unknown> = { expects: 'any value', parse: (value) => value };

/** Accepts a string. */
export const aString: ValueParser<string> = {
  expects: 'a string',
  parse: (value) => (typeof value === 'string' ? value : INVALID),
};

/** Accepts a number or a bigint. */
export const aNumber: ValueParser<Numeric> = {
  expects: 'a number or bigint',
  parse: (value) => (isNumeric(value) ? value : INVALID),
};

/** Accepts an integer (number or bigint), as a number: the date/time part filters (`year_equals`, …). */
export const anInteger: ValueParser<number> = {
  expects: 'an integer',
  parse: (value) => (typeof value === 'bigint' ? Number(value) : Number.isInteger(value) ? (value as number) : INVALID),
};

/** Accepts a valid `Date`. */
export const aDate: ValueParser<Date> = {
  expects: 'a valid Date',
  parse: (value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value : INVALID),
};

/**
 * Accepts a `[low, high]` pair (Python's `(low, high)` tuple), both bounds parsed by `bound`.
 * @param bound - Parser for each bound.
 * @returns A parser of the pair.
 */
export function rangeOf<V>(bound: ValueParser<V>): ValueParser<readonly [V, V]> {
  return {
    expects: `a [low, high] array whose bounds are each ${bound.expects}`,
    parse: (value) => {
      if (!Array.isArray(value) || value.length !== 2) return INVALID;
      const low = bound.parse(value[0]);
      const high = bound.parse(value[1]);
      if (low === INVALID || high === INVALID) return INVALID;
      return [low, high] as const;
    },
  };
}

/**
 * Accepts any iterable other than a string (an array, a `Set`, …) whose members are each parsed by `member`: the
 * `*_in` filters (`month_in: [1, 2]`, `time_in: new Set(['12:00'])`).
 * @param member - Parser for each member.
 * @returns A parser of the collection, giving an array.
 */
export function collectionOf<V>(member: ValueParser<V>): ValueParser<readonly V[]> {
  return {
    expects: `an array or Set whose members are each ${member.expects}`,
    parse: (value) => {
      if (typeof value === 'string' || !isIterable(value)) return INVALID;
      const members = [...value].map((item) => member.parse(item));
      return members.some((item) => item === INVALID) ? INVALID : (members as V[]);
    },
  };
}

const TIME_OF_DAY = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;
const CALENDAR_DATE = /^(-?\d{4,})-(\d{2})-(\d{2})$/;

function isIntegerIn(value: unknown, low: number, high: number): value is number {
  return Number.isInteger(value) && (value as number) >= low && (value as number) <= high;
}

function millisecondsOfDay(
  hour: unknown,
  minute: unknown,
  second: unknown,
  millisecond: unknown,
): number | typeof INVALID {
  if (!isIntegerIn(hour, 0, 23) || !isIntegerIn(minute, 0, 59) || !isIntegerIn(second, 0, 59)) return INVALID;
  if (!isIntegerIn(millisecond, 0, 999)) return INVALID;
  return ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
}

/** The UTC time of day of `date`, in milliseconds since midnight (Python's `datetime.time()` at ms precision). */
export function utcTimeOfDay(date: Date): number {
  return (
    ((date.getUTCHours() * 60 + date.getUTCMinutes()) * 60 + date.getUTCSeconds()) * 1000 + date.getUTCMilliseconds()
  );
}

/**
 * Accepts a time of day as `'HH:MM'`, `'HH:MM:SS'` or `'HH:MM:SS.mmm'` (UTC, 24-hour) or as
 * `{ hour, minute?, second?, millisecond? }`, parsed to milliseconds since midnight. Python's `datetime.time`
 * carries microseconds; Skein's `Date`s carry milliseconds, so that is the finest precision.
 */
export const aTimeOfDay: ValueParser<number> = {
  expects: "a time of day ('HH:MM[:SS[.mmm]]' or { hour, minute?, second?, millisecond? })",
  parse: (value) => {
    if (typeof value === 'string') {
      const match = TIME_OF_DAY.exec(value);
      if (!match) return INVALID;
      const [, hour, minute, second = '0', fraction = '0'] = match;
      return millisecondsOfDay(Number(hour), Number(minute), Number(second), Number(fraction.padEnd(3, '0')));
    }
    if (typeof value !== 'object' || value === null || value instanceof Date) return INVALID;
    const { hour, minute = 0, second = 0, millisecond = 0 } = value as Record<string, unknown>;
    return millisecondsOfDay(hour, minute, second, millisecond);
  },
};

/** A sortable integer for a calendar date (`year * 10000 + month * 100 + day`). */
function dateKey(year: number, month: number, day: number): number {
  return year * 10000 + month * 100 + day;
}

/** The UTC calendar date of `date` as a sortable key (Python's `datetime.date()`). */
export function utcDateKey(date: Date): number {
  return dateKey(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

function calendarDateKey(year: unknown, month: unknown, day: unknown): number | typeof INVALID {
  if (!Number.isInteger(year) || !isIntegerIn(month, 1, 12) || !isIntegerIn(day, 1, 31)) return INVALID;
  // Round-trip through a Date to reject days a month lacks (2021-02-30); setUTCFullYear keeps years 0-99 literal.
  const probe = new Date(0);
  probe.setUTCFullYear(year as number, month - 1, day);
  return probe.getUTCMonth() === month - 1 ? dateKey(year as number, month, day) : INVALID;
}

/**
 * Accepts a calendar date (`in_date_range`) as `'YYYY-MM-DD'`, `{ year, month, day }` (month 1–12) or a `Date`
 * (its UTC date), parsed to a sortable key.
 */
export const aCalendarDate: ValueParser<number> = {
  expects: "a calendar date ('YYYY-MM-DD', { year, month, day } or a Date)",
  parse: (value) => {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? INVALID : utcDateKey(value);
    if (typeof value === 'string') {
      const match = CALENDAR_DATE.exec(value);
      return match ? calendarDateKey(Number(match[1]), Number(match[2]), Number(match[3])) : INVALID;
    }
    if (typeof value !== 'object' || value === null) return INVALID;
    const { year, month, day } = value as Record<string, unknown>;
    return calendarDateKey(year, month, day);
  },
};
