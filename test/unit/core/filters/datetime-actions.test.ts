import { InvalidFilterAction, InvalidFilterValue } from '../../../../src/errors';
import { errorFrom, matches } from './matches';

// A Saturday: Python's weekday() is 5 and isoweekday() is 6.
const timestamp = new Date('2000-01-01T00:00:00Z');
const utc = (iso: string): Date => new Date(iso);

describe('Class: FilterList', () => {
  describe('Method: filter — Date attributes', () => {
    it.each([
      ['equals', utc('2000-01-01T00:00:00Z'), true],
      ['equals', utc('0002-02-02T00:00:00Z'), false],
      ['not_equals', utc('0002-02-02T00:00:00Z'), true],
      ['not_equals', utc('2000-01-01T00:00:00Z'), false],
      ['is', timestamp, true],
      ['is', utc('2000-01-01T00:00:00Z'), false],
      ['is_not', utc('2000-01-01T00:00:00Z'), true],
      ['is_not', timestamp, false],
      ['gt', utc('1900-01-02T00:00:00Z'), true],
      ['gt', utc('3000-01-02T00:00:00Z'), false],
      ['gte', utc('2000-01-01T00:00:00Z'), true],
      ['gte', utc('3000-01-02T00:00:00Z'), false],
      ['lt', utc('3000-01-02T00:00:00Z'), true],
      ['lt', utc('1990-01-02T00:00:00Z'), false],
      ['lte', utc('2000-01-01T00:00:00Z'), true],
      ['lte', utc('1900-01-02T00:00:00Z'), false],
      ['in_range', [utc('1900-01-02T00:00:00Z'), utc('3000-01-02T00:00:00Z')], true],
      ['in_range', [utc('2000-01-01T00:00:00Z'), utc('2000-01-01T00:00:00Z')], true],
      ['in_range', [utc('2100-01-02T00:00:00Z'), utc('3000-01-02T00:00:00Z')], false],
      ['not_in_range', [utc('2100-01-02T00:00:00Z'), utc('3000-01-02T00:00:00Z')], true],
      ['not_in_range', [utc('1900-01-02T00:00:00Z'), utc('3000-01-02T00:00:00Z')], false],
      ['year_equals', 2000, true],
      ['year_equals', 3000, false],
      ['year_in', new Set([2000, 3000, 4000]), true],
      ['year_in', [3000, 4000], false],
      ['month_equals', 1, true],
      ['month_equals', 9, false],
      ['month_in', [1, 2, 3], true],
      ['month_in', [2, 3], false],
      ['day_equals', 1, true],
      ['day_equals', 2, false],
      ['day_in', [1, 2, 3], true],
      ['day_in', [2, 3], false],
      ['weekday_equals', 5, true],
      ['weekday_equals', 3, false],
      ['weekday_in', [5, 6, 7], true],
      ['weekday_in', [6, 7], false],
      ['iso_weekday_equals', 6, true],
      ['iso_weekday_equals', 4, false],
      ['iso_weekday_in', [5, 6, 7], true],
      ['iso_weekday_in', [7, 8], false],
      ['time_equals', '00:00:00', true],
      ['time_equals', '00:00', true],
      ['time_equals', { hour: 0 }, true],
      ['time_equals', '01:02:03', false],
      ['time_equals', { hour: 1, minute: 2, second: 3 }, false],
      ['time_in', ['12:00', '00:00:00.000'], true],
      ['time_in', new Set(['12:00']), false],
      ['hour_equals', 0, true],
      ['hour_equals', 1, false],
      ['hour_in', [0, 1, 2], true],
      ['hour_in', [1, 2], false],
      ['minute_equals', 0, true],
      ['minute_equals', 1n, false],
      ['minute_in', [0, 1, 2], true],
      ['minute_in', [1, 2], false],
      ['second_equals', 0, true],
      ['second_equals', 1, false],
      ['second_in', [0, 1, 2], true],
      ['second_in', [1, 2], false],
      ['in_date_range', ['1000-01-04', '3000-07-10'], true],
      ['in_date_range', ['2000-01-01', '2000-01-01'], true],
      ['in_date_range', [{ year: 1999, month: 12, day: 31 }, utc('2000-01-01T23:59:59Z')], true],
      ['in_date_range', ['2000-01-04', '3000-07-10'], false],
      ['in_time_range', ['00:00:00', '13:02:22'], true],
      ['in_time_range', ['00:00:01', '13:02:22'], false],
    ])('2000-01-01T00:00:00Z %s %p is %s', (action, value, expected) => {
      expect(matches(timestamp, action, value)).toBe(expected);
    });

    it.each([
      ['day_equals', 2, true],
      ['hour_equals', 4, true],
      ['minute_equals', 30, true],
      ['weekday_equals', 6, true],
      ['time_equals', '04:30:15.25', true],
      ['time_equals', '04:30:15', false],
      ['in_time_range', ['04:00', '05:00'], true],
      ['in_date_range', ['2000-01-02', '2000-01-02'], true],
    ])('reads date parts in UTC: 2000-01-01T23:30:15.250-05:00 %s %p is %s', (action, value, expected) => {
      expect(matches(utc('2000-01-01T23:30:15.250-05:00'), action, value)).toBe(expected);
    });

    it('compares a year below 100 literally', () => {
      const early = new Date(0);
      early.setUTCFullYear(50, 5, 1);
      expect(matches(early, 'year_equals', 50)).toBe(true);
      expect(matches(early, 'in_date_range', ['0050-01-01', '0050-12-31'])).toBe(true);
    });

    it.each([
      ['lt', '2000-01-01', 'a valid Date'],
      ['gt', new Date(NaN), 'a valid Date'],
      ['in_range', [timestamp], 'a [low, high] array'],
      ['year_equals', '2000', 'an integer'],
      ['month_equals', 1.5, 'an integer'],
      ['year_in', '2000', 'an array or Set'],
      ['day_in', [1, '2'], 'an array or Set'],
      ['time_equals', '25:00', 'a time of day'],
      ['time_equals', '1:00', 'a time of day'],
      ['time_equals', { minute: 3 }, 'a time of day'],
      ['time_equals', { hour: 1, second: 60 }, 'a time of day'],
      ['time_in', ['00:00', 'noon'], 'a time of day'],
      ['in_time_range', ['00:00'], 'a [low, high] array'],
      ['in_date_range', ['2021-02-30', '2022-01-01'], 'a calendar date'],
      ['in_date_range', ['2021-1-1', '2022-01-01'], 'a calendar date'],
      ['in_date_range', [{ year: 2021, month: 13, day: 1 }, '2022-01-01'], 'a calendar date'],
      ['in_date_range', [new Date(NaN), '2022-01-01'], 'a calendar date'],
    ])('rejects a %s value of %p with InvalidFilterValue', (action, value, expected) => {
      const error = errorFrom(timestamp, action, value);
      expect(error).toBeInstanceOf(InvalidFilterValue);
      expect((error as InvalidFilterValue).expected).toContain(expected);
    });

    it('rejects an action Dates lack, listing the Date actions', () => {
      const error = errorFrom(timestamp, 'week_equals', 1);
      expect(error).toBeInstanceOf(InvalidFilterAction);
      expect(error).toMatchObject({ valueType: 'Date' });
      expect((error as InvalidFilterAction).validActions).toEqual(
        expect.arrayContaining(['iso_weekday_in', 'in_date_range', 'in_time_range', 'time_equals', 'not_in_range']),
      );
    });

    it('treats an invalid Date attribute as matching no comparison', () => {
      expect(matches(new Date(NaN), 'lt', timestamp)).toBe(false);
      expect(matches(new Date(NaN), 'gte', timestamp)).toBe(false);
      expect(matches(new Date(NaN), 'year_equals', 2000)).toBe(false);
    });
  });
});
