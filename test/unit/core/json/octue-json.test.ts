import {
  decodeOctueJson,
  encodeOctueJson,
  formatPythonIsoformat,
  fromOctuePrimitive,
  parseIsoDatetime,
  toOctuePrimitive,
} from '../../../../src/core/json/octue-json';
import { InvalidInputException } from '../../../../src/errors';

describe('Function: encodeOctueJson', () => {
  it('encodes a set as a sorted _type set, byte for byte as OctueJSONEncoder', () => {
    expect(encodeOctueJson(new Set(['b', 'a', 'c']))).toBe('{"_type": "set", "items": ["a", "b", "c"]}');
  });

  it('sorts numeric set items numerically', () => {
    expect(encodeOctueJson(new Set([10, 9, 100]))).toBe('{"_type": "set", "items": [9, 10, 100]}');
  });

  it('encodes a Date as a _type datetime with Python isoformat', () => {
    expect(encodeOctueJson(new Date(Date.UTC(2025, 4, 13, 15, 39, 34, 123)))).toBe(
      '{"_type": "datetime", "value": "2025-05-13T15:39:34.123000+00:00"}',
    );
  });

  it('encodes an object through its toPrimitive method', () => {
    const thing = { toPrimitive: () => ({ kind: 'thing', members: new Set(['x']) }) };
    expect(encodeOctueJson(thing)).toBe('{"kind": "thing", "members": {"_type": "set", "items": ["x"]}}');
  });

  it('encodes a Map as an object and keeps strings quoted', () => {
    expect(encodeOctueJson(new Map([['a', 1]]))).toBe('{"a": 1}');
    expect(encodeOctueJson('1b2')).toBe('"1b2"');
  });

  it('encodes nested values and turns undefined array items into null', () => {
    expect(encodeOctueJson({ list: [undefined, 1n], skip: undefined })).toBe('{"list": [null, 1]}');
  });

  it.each([
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['a class instance without toPrimitive', new (class Opaque {})()],
  ])('throws InvalidInputException for %s', (_label, value) => {
    expect(() => encodeOctueJson({ value })).toThrow(InvalidInputException);
  });

  it('uses toJSON for other class instances', () => {
    expect(encodeOctueJson(new URL('https://example.com/a'))).toBe('"https://example.com/a"');
  });
});

describe('Function: decodeOctueJson', () => {
  it('restores sets and datetimes at any depth', () => {
    const decoded = decodeOctueJson(
      '{"labels": {"_type": "set", "items": ["a", "b"]}, "when": [{"_type": "datetime", "value": "2021-01-01T00:00:00+00:00"}]}',
    ) as { labels: Set<string>; when: Date[] };
    expect(decoded.labels).toEqual(new Set(['a', 'b']));
    expect(decoded.when[0]?.toISOString()).toBe('2021-01-01T00:00:00.000Z');
  });

  it('accepts plain JSON too', () => {
    expect(decodeOctueJson('{"labels": ["a"], "n": 1}')).toEqual({ labels: ['a'], n: 1 });
  });

  it('leaves objects with an unknown _type as they are', () => {
    expect(decodeOctueJson('{"_type": "other", "value": 1}')).toEqual({ _type: 'other', value: 1 });
  });

  it('round-trips what encodeOctueJson writes', () => {
    const value = { tags: { a: 1 }, labels: new Set(['x', 'y']), timestamp: new Date(Date.UTC(2020, 0, 2, 3, 4, 5)) };
    expect(decodeOctueJson(encodeOctueJson(value))).toEqual(value);
  });

  it('throws InvalidInputException for text that is not JSON', () => {
    expect(() => decodeOctueJson('{nope')).toThrow(InvalidInputException);
  });

  it('throws InvalidInputException for a malformed datetime', () => {
    expect(() => decodeOctueJson('{"_type": "datetime", "value": "yesterday"}')).toThrow(/not an ISO 8601 date-time/);
  });
});

describe('Function: toOctuePrimitive / fromOctuePrimitive', () => {
  it('converts both ways without going through text', () => {
    const primitive = toOctuePrimitive({ s: new Set(['b', 'a']) });
    expect(primitive).toEqual({ s: { _type: 'set', items: ['a', 'b'] } });
    expect(fromOctuePrimitive(primitive)).toEqual({ s: new Set(['a', 'b']) });
  });
});

describe('Function: formatPythonIsoformat', () => {
  it('leaves out the fraction when there are no milliseconds', () => {
    expect(formatPythonIsoformat(new Date(Date.UTC(2021, 0, 1)))).toBe('2021-01-01T00:00:00+00:00');
  });

  it('throws InvalidInputException for an invalid Date', () => {
    expect(() => formatPythonIsoformat(new Date(Number.NaN))).toThrow(InvalidInputException);
  });
});

describe('Function: parseIsoDatetime', () => {
  it.each([
    ['2025-05-13T15:39:34.123456+00:00', '2025-05-13T15:39:34.123Z'],
    ['2025-05-13T15:39:34Z', '2025-05-13T15:39:34.000Z'],
    ['2025-05-13T15:39:34', '2025-05-13T15:39:34.000Z'],
    ['2025-05-13 15:39', '2025-05-13T15:39:00.000Z'],
    ['2025-05-13T17:39:34+02:00', '2025-05-13T15:39:34.000Z'],
    ['2025-05-13T10:09:34-0530', '2025-05-13T15:39:34.000Z'],
    ['2025-05-13', '2025-05-13T00:00:00.000Z'],
  ])('reads %s as %s (no offset means UTC)', (input, expected) => {
    expect(parseIsoDatetime(input).toISOString()).toBe(expected);
  });

  it.each(['2025-02-30T00:00:00', '2025-13-01', '2025-01-01T24:00:00', 'not a date'])(
    'throws InvalidInputException for %s',
    (input) => {
      expect(() => parseIsoDatetime(input)).toThrow(InvalidInputException);
    },
  );
});
