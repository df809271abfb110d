import {
  aCalendarDate,
  aDate,
  aTimeOfDay,
  anInteger,
  collectionOf,
  rangeOf,
  utcDateKey,
  utcTimeOfDay,
} from '../values';
import {
  EQUALITY_ACTIONS,
  IDENTITY_ACTIONS,
  action,
  comparisonActions,
  type ActionTable,
  type FilterAction,
} from './define';

/**
 * The parts of a date that `<part>_equals` / `<part>_in` test, read in UTC because Octue timestamps are UTC (so a
 * filter gives the same answer on every machine). `weekday` counts Monday as 0 (Python's `weekday()`),
 * `iso_weekday` Monday as 1 (`isoweekday()`).
 */
const UTC_PARTS: Readonly<Record<string, (date: Date) => number>> = {
  year: (date) => date.getUTCFullYear(),
  month: (date) => date.getUTCMonth() + 1,
  day: (date) => date.getUTCDate(),
  weekday: (date) => (date.getUTCDay() + 6) % 7,
  iso_weekday: (date) => date.getUTCDay() || 7,
  hour: (date) => date.getUTCHours(),
  minute: (date) => date.getUTCMinutes(),
  second: (date) => date.getUTCSeconds(),
};

/** Builds `<part>_equals` (an integer) and `<part>_in` (a collection of integers) for every part above. */
function partActions(): ActionTable<Date> {
  const table: Record<string, FilterAction<Date>> = {};
  for (const [part, read] of Object.entries(UTC_PARTS)) {
    table[`${part}_equals`] = action(anInteger, (date, value) => read(date) === value);
    table[`${part}_in`] = action(collectionOf(anInteger), (date, values) => values.includes(read(date)));
  }
  return table;
}

/**
 * Dates (Python `datetime`s): equality, identity, ordering (`lt`, …, inclusive `in_range` of two `Date`s), the UTC
 * part tests (`year_equals`, `weekday_in`, …) and the time-of-day and calendar-date tests. Times of day are given as
 * `'HH:MM[:SS[.mmm]]'` strings or `{ hour, minute?, second?, millisecond? }`; calendar dates as `'YYYY-MM-DD'`,
 * `{ year, month, day }` or a `Date`. `time_equals` compares to the millisecond, like Python's `time` equality
 * (which compares to the microsecond).
 */
export const DATETIME_ACTIONS: ActionTable<Date> = {
  ...EQUALITY_ACTIONS,
  ...IDENTITY_ACTIONS,
  ...comparisonActions(aDate, (item: Date, value: Date) => item.getTime() - value.getTime()),
  ...partActions(),
  time_equals: action(aTimeOfDay, (date, time) => utcTimeOfDay(date) === time),
  time_in: action(collectionOf(aTimeOfDay), (date, times) => times.includes(utcTimeOfDay(date))),
  in_time_range: action(rangeOf(aTimeOfDay), (date, [low, high]) => {
    const time = utcTimeOfDay(date);
    return low <= time && time <= high;
  }),
  in_date_range: action(rangeOf(aCalendarDate), (date, [low, high]) => {
    const day = utcDateKey(date);
    return low <= day && day <= high;
  }),
};
