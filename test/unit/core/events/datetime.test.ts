import { formatEventDatetime, hasNormalEventDatetimeForm, normaliseEventDatetime } from '../../../../src/core/events';

describe('Function: formatEventDatetime', () => {
  it.each([
    ['2025-05-13T15:39:34.123Z', '2025-05-13T15:39:34.123000+00:00'],
    ['2025-05-13T15:39:34.000Z', '2025-05-13T15:39:34+00:00'],
  ])('formats %s as Python isoformat %s', (iso, expected) => {
    expect(formatEventDatetime(new Date(iso))).toBe(expected);
  });
});

describe('Function: normaliseEventDatetime', () => {
  it.each([
    ['2024-04-11T10:46:48.236064', '2024-04-11T10:46:48.236064+00:00'],
    ['2024-04-11T10:46:48.236064+00:00', '2024-04-11T10:46:48.236064+00:00'],
    ['2024-04-11T10:46:48.236064Z', '2024-04-11T10:46:48.236064+00:00'],
    ['2024-04-11 10:46:48.2', '2024-04-11T10:46:48.200000+00:00'],
    ['2024-04-11T10:46:48.123456789Z', '2024-04-11T10:46:48.123456+00:00'],
    ['2024-04-11T10:46:48', '2024-04-11T10:46:48+00:00'],
    ['2024-04-11T12:46:48.5+02:00', '2024-04-11T10:46:48.500000+00:00'],
    ['2024-04-11T00:16:48-0130', '2024-04-11T01:46:48+00:00'],
    ['2024-12-31T23:30:00-01:00', '2025-01-01T00:30:00+00:00'],
  ])('normalises %j to %j', (value, expected) => {
    expect(normaliseEventDatetime(value)).toBe(expected);
  });

  it.each([
    [new Date('2024-04-11T10:46:48.236Z'), '2024-04-11T10:46:48.236000+00:00'],
    [{ value: '2024-04-11T10:46:48.236064Z' }, '2024-04-11T10:46:48.236064+00:00'],
    [{ _type: 'datetime', value: '2024-04-11T10:46:48+00:00' }, '2024-04-11T10:46:48+00:00'],
  ])('normalises the object %j', (value, expected) => {
    expect(normaliseEventDatetime(value)).toBe(expected);
  });

  it.each(['yesterday', '2024-13-01T00:00:00', '2024-02-30T00:00:00', '2024-04-11T24:00:00', '2024-04-11', 42, null])(
    'returns undefined for %j',
    (value) => {
      expect(normaliseEventDatetime(value)).toBeUndefined();
    },
  );

  it('returns undefined for an invalid Date', () => {
    expect(normaliseEventDatetime(new Date('nope'))).toBeUndefined();
  });
});

describe('Function: hasNormalEventDatetimeForm', () => {
  it.each([
    ['2025-05-13T15:39:34.123000+00:00', true],
    ['2025-05-13T15:39:34+00:00', true],
    ['2025-05-13T15:39:34.000000+00:00', false],
    ['2025-05-13T15:39:34Z', false],
    ['2025-05-13 15:39:34+00:00', false],
    ['2025-05-13T15:39:34.123+00:00', false],
    [1747150774, false],
  ])('says %p is %p', (value, expected) => {
    expect(hasNormalEventDatetimeForm(value)).toBe(expected);
    // Whatever is in the normal form is what normalising it would give.
    if (expected) expect(normaliseEventDatetime(value)).toBe(value);
  });
});
