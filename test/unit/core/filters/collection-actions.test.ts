import { FilterDict, FilterSet } from '../../../../src/core/filters';
import { InvalidFilterAction, InvalidFilterValue } from '../../../../src/errors';
import { errorFrom, matches } from './matches';

/** Stands in for Skein's LabelSet, which will extend Set<string>. */
class LabelSet extends Set<string> {}

/** A non-array iterable, like a generator-backed collection. */
class Bag implements Iterable<unknown> {
  constructor(private readonly members: unknown[]) {}
  [Symbol.iterator](): Iterator<unknown> {
    return this.members[Symbol.iterator]();
  }
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('Class: FilterList', () => {
  describe('Method: filter — iterable attributes', () => {
    const list = [1, 2, 3];

    it.each([
      ['an array', list],
      ['a custom iterable', new Bag([1, 2, 3])],
      ['a FilterSet', new FilterSet([1, 2, 3])],
    ])('applies membership and identity actions to %s', (_kind, iterable) => {
      expect(matches(iterable, 'contains', 1)).toBe(true);
      expect(matches(iterable, 'contains', 5)).toBe(false);
      expect(matches(iterable, 'not_contains', 5)).toBe(true);
      expect(matches(iterable, 'not_contains', 1)).toBe(false);
      expect(matches(iterable, 'is', iterable)).toBe(true);
      expect(matches(iterable, 'is', null)).toBe(false);
      expect(matches(iterable, 'is_not', null)).toBe(true);
      expect(matches(iterable, 'is_not', iterable)).toBe(false);
    });

    it.each([
      [list, 'equals', [1, 2, 3], true],
      [list, 'equals', [1, 2], false],
      [list, 'equals', [3, 2, 1], false],
      [list, 'not_equals', [1, 2], true],
      [list, 'not_equals', [1, 2, 3], false],
      [list, 'is', [1, 2, 3], false],
      [[[1, 2], [3]], 'contains', [1, 2], true],
      [[{ a: 1 }], 'contains', { a: 1 }, true],
      [['Fred', 'Joe'], 'icontains', 'fred', true],
      [['Fred', 'Joe'], 'icontains', 'fre', false],
      [['Fred', 3], 'icontains', 'jim', false],
      [['Fred', 'Joe'], 'not_icontains', 'jim', true],
      [['Fred', 'Joe'], 'not_icontains', 'JOE', false],
      [new Bag(['a', 'b']), 'equals', new Bag(['a', 'b']), true],
      [new Bag(['a', 'b']), 'equals', ['a', 'b'], false],
      [new FilterSet([1, 2]), 'equals', new FilterSet([2, 1]), true],
      [new FilterSet([1, 2]), 'equals', new FilterSet([1]), false],
    ])('%p %s %p is %s', (item, action, value, expected) => {
      expect(matches(item, action, value)).toBe(expected);
    });

    const dictionaries: [string, unknown][] = [
      ['a plain object', { first: 'Joe', last: 'Bloggs' }],
      [
        'a Map',
        new Map([
          ['first', 'Joe'],
          ['last', 'Bloggs'],
        ]),
      ],
      ['a FilterDict', new FilterDict({ first: 'Joe', last: 'Bloggs' })],
    ];

    it.each(dictionaries)('checks the keys of %s for contains and icontains, as Python dicts do', (_kind, dict) => {
      expect(matches(dict, 'contains', 'first')).toBe(true);
      expect(matches(dict, 'contains', 'Joe')).toBe(false);
      expect(matches(dict, 'not_contains', 'middle')).toBe(true);
      expect(matches(dict, 'not_contains', 'last')).toBe(false);
      expect(matches(dict, 'icontains', 'FIRST')).toBe(true);
      expect(matches(dict, 'icontains', 'joe')).toBe(false);
      expect(matches(dict, 'not_icontains', 'JOE')).toBe(true);
      expect(matches(dict, 'not_icontains', 'Last')).toBe(false);
    });

    it.each(dictionaries)('compares %s with any dict of the same entries for equals', (_kind, dict) => {
      expect(matches(dict, 'equals', { last: 'Bloggs', first: 'Joe' })).toBe(true);
      expect(matches(dict, 'equals', new Map([['first', 'Joe']]))).toBe(false);
      expect(matches(dict, 'not_equals', { first: 'Joe' })).toBe(true);
      expect(matches(dict, 'not_equals', new FilterDict({ first: 'Joe', last: 'Bloggs' }))).toBe(false);
      expect(matches(dict, 'equals', ['first', 'last'])).toBe(false);
    });

    it.each([
      ['icontains', 5],
      ['not_icontains', ['a']],
    ])('rejects a %s value of %j with InvalidFilterValue', (action, value) => {
      expect(errorFrom(['a'], action, value)).toBeInstanceOf(InvalidFilterValue);
    });

    it.each([
      ['starts_with', 'Array'],
      ['lt', 'Array'],
      ['any_label_contains', 'Array'],
    ])('rejects the action %s, naming the type %s', (action, type) => {
      const error = errorFrom(['a'], action, 'a');
      expect(error).toBeInstanceOf(InvalidFilterAction);
      expect(error).toMatchObject({ valueType: type });
      expect((error as InvalidFilterAction).validActions).toEqual(
        expect.arrayContaining(['equals', 'not_equals', 'contains', 'not_contains', 'icontains', 'not_icontains']),
      );
    });
  });

  describe('Method: filter — label set attributes', () => {
    const labels = new LabelSet(['fred', 'charlie']);

    it.each([
      ['any_label_contains', 'a', true],
      ['any_label_contains', 'z', false],
      ['not_any_label_contains', 'z', true],
      ['not_any_label_contains', 'a', false],
      ['any_label_starts_with', 'f', true],
      ['any_label_starts_with', 'e', false],
      ['not_any_label_starts_with', 'e', true],
      ['not_any_label_starts_with', 'f', false],
      ['any_label_ends_with', 'e', true],
      ['any_label_ends_with', 'i', false],
      ['not_any_label_ends_with', 'i', true],
      ['not_any_label_ends_with', 'e', false],
      ['contains', 'fred', true],
      ['contains', 'fre', false],
      ['not_contains', 'fre', true],
      ['not_contains', 'charlie', false],
      ['equals', new Set(['charlie', 'fred']), true],
      ['equals', new LabelSet(['fred']), false],
      ['equals', ['fred', 'charlie'], false],
      ['not_equals', new Set(['fred']), true],
      ['not_equals', new LabelSet(['charlie', 'fred']), false],
      ['is', labels, true],
      ['is', new LabelSet(['fred', 'charlie']), false],
      ['is_not', new LabelSet(['fred', 'charlie']), true],
      ['is_not', labels, false],
    ])('LabelSet {fred, charlie} %s %p is %s', (action, value, expected) => {
      expect(matches(labels, action, value)).toBe(expected);
    });

    it('ignores members that are not strings in any_label_* actions', () => {
      expect(matches(new Set([1, 'b']), 'any_label_contains', '1')).toBe(false);
    });

    it.each([
      ['any_label_contains', 1, InvalidFilterValue],
      ['any_label_ends_with', undefined, InvalidFilterValue],
      ['icontains', 'f', InvalidFilterAction],
      ['gt', 'f', InvalidFilterAction],
    ])('rejects %s with %p', (action, value, errorClass) => {
      expect(errorFrom(labels, action, value)).toBeInstanceOf(errorClass);
    });
  });

  describe('Method: filter — other object attributes', () => {
    const point = new Point(1, 2);

    it.each([
      ['equals', new Point(1, 2), true],
      ['equals', new Point(1, 3), false],
      ['equals', { x: 1, y: 2 }, false],
      ['not_equals', new Point(2, 2), true],
      ['not_equals', new Point(1, 2), false],
      ['is', point, true],
      ['is', new Point(1, 2), false],
      ['is_not', new Point(1, 2), true],
      ['is_not', point, false],
    ])('Point(1, 2) %s %p is %s', (action, value, expected) => {
      expect(matches(point, action, value)).toBe(expected);
    });

    it('rejects actions other than equality and identity, naming the class', () => {
      const error = errorFrom(point, 'contains', 1);
      expect(error).toBeInstanceOf(InvalidFilterAction);
      expect(error).toMatchObject({ valueType: 'Point' });
      expect([...(error as InvalidFilterAction).validActions].sort()).toEqual(['equals', 'is', 'is_not', 'not_equals']);
    });
  });
});
