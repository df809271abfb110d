import { InvalidFilterAction, InvalidFilterValue } from '../../../../src/errors';
import { errorFrom, matches } from './matches';

describe('Class: FilterList', () => {
  describe('Method: filter — string attributes', () => {
    it.each([
      ['equals', 'Michael', true],
      ['equals', 'Clive', false],
      ['not_equals', 'Clive', true],
      ['not_equals', 'Michael', false],
      ['iequals', 'michael', true],
      ['iequals', 'James', false],
      ['not_iequals', 'James', true],
      ['not_iequals', 'MICHAEL', false],
      ['is', 'Michael', true],
      ['is', 'Clive', false],
      ['is_not', 'Clive', true],
      ['is_not', 'Michael', false],
      ['lt', 'Noel', true],
      ['lt', 'Harry', false],
      ['lt', 'Michael', false],
      ['lte', 'Michael', true],
      ['lte', 'Harry', false],
      ['gt', 'Clive', true],
      ['gt', 'Noel', false],
      ['gte', 'Michael', true],
      ['gte', 'Noel', false],
      ['contains', 'cha', true],
      ['contains', 'd', false],
      ['contains', 'm', false],
      ['not_contains', 'd', true],
      ['not_contains', 'M', false],
      ['icontains', 'm', true],
      ['icontains', 'd', false],
      ['not_icontains', 'd', true],
      ['not_icontains', 'M', false],
      ['starts_with', 'M', true],
      ['starts_with', 'l', false],
      ['not_starts_with', 'l', true],
      ['not_starts_with', 'Mi', false],
      ['ends_with', 'el', true],
      ['ends_with', 'M', false],
      ['not_ends_with', 'M', true],
      ['not_ends_with', 'l', false],
      ['in_range', ['Amy', 'Zoe'], true],
      ['in_range', ['Michael', 'Michael'], true],
      ['in_range', ['Noel', 'Peter'], false],
      ['not_in_range', ['Noel', 'Peter'], true],
      ['not_in_range', ['Amy', 'Zoe'], false],
    ])("'Michael' %s %j is %s", (action, value, expected) => {
      expect(matches('Michael', action, value)).toBe(expected);
    });

    it.each([
      ['Straße', 'iequals', 'STRASSE', true],
      ['Straße', 'icontains', 'SS', true],
      ['ΣΊΣΥΦΟΣ', 'iequals', 'σίσυφος', true],
      ['café', 'iequals', 'CAFE\u0301', true],
      ['ΟΔΟΣ ΚΑΙ', 'icontains', 'σ κ', true],
      ['café', 'icontains', 'e', false],
      ['\ufffd', 'lt', '😀', true],
      ['😀', 'gt', '\uffff', true],
      ['a', 'lt', 'ab', true],
    ])(
      '%j %s %j is %s (casefold, normalisation and code-point order as in Python)',
      (item, action, value, expected) => {
        expect(matches(item, action, value)).toBe(expected);
      },
    );

    it.each([
      ['lt', 5, 'a string'],
      ['contains', 5, 'a string'],
      ['icontains', null, 'a string'],
      ['starts_with', ['M'], 'a string'],
      ['in_range', ['Amy'], 'a [low, high] array whose bounds are each a string'],
      ['in_range', 'Amy', 'a [low, high] array whose bounds are each a string'],
    ])('rejects a %s value of %j with InvalidFilterValue', (action, value, expected) => {
      const error = errorFrom('Michael', action, value);
      expect(error).toBeInstanceOf(InvalidFilterValue);
      expect(error).toMatchObject({ filterName: `attribute__${action}`, action, expected });
      expect((error as Error).message).toContain(`needs ${expected}`);
    });
  });

  describe('Method: filter — number attributes', () => {
    it.each([5, 5.2, 5n])('applies every number action to %p', (age) => {
      expect(matches(age, 'equals', age)).toBe(true);
      expect(matches(age, 'equals', 63)).toBe(false);
      expect(matches(age, 'not_equals', 63)).toBe(true);
      expect(matches(age, 'not_equals', age)).toBe(false);
      expect(matches(age, 'lt', 6)).toBe(true);
      expect(matches(age, 'lt', 0)).toBe(false);
      expect(matches(age, 'lte', age)).toBe(true);
      expect(matches(age, 'lte', 0n)).toBe(false);
      expect(matches(age, 'gt', 4)).toBe(true);
      expect(matches(age, 'gt', 63)).toBe(false);
      expect(matches(age, 'gte', age)).toBe(true);
      expect(matches(age, 'gte', 63)).toBe(false);
      expect(matches(age, 'is', age)).toBe(true);
      expect(matches(age, 'is', 63)).toBe(false);
      expect(matches(age, 'is_not', 63)).toBe(true);
      expect(matches(age, 'is_not', age)).toBe(false);
      expect(matches(age, 'in_range', [0, 10])).toBe(true);
      expect(matches(age, 'in_range', [0, 3])).toBe(false);
      expect(matches(age, 'not_in_range', [0, 3])).toBe(true);
      expect(matches(age, 'not_in_range', [0, 10])).toBe(false);
    });

    it.each([
      [5, 'in_range', [5, 5], true],
      [5, 'in_range', [5, 6], true],
      [5, 'in_range', [4, 5], true],
      [5, 'equals', 5n, true],
      [5n, 'lt', 5.5, true],
      [NaN, 'equals', NaN, false],
      [NaN, 'lt', 1, false],
      [NaN, 'gte', 1, false],
      [1, 'equals', true, false],
      [1, 'equals', '1', false],
    ])('%p %s %p is %s', (item, action, value, expected) => {
      expect(matches(item, action, value)).toBe(expected);
    });

    it.each([
      ['lt', '6'],
      ['gte', null],
      ['in_range', [0, '10']],
      ['in_range', [0, 1, 2]],
    ])('rejects a %s value of %j with InvalidFilterValue', (action, value) => {
      expect(errorFrom(5, action, value)).toBeInstanceOf(InvalidFilterValue);
    });
  });

  describe('Method: filter — boolean attributes', () => {
    it.each([
      ['is', true, true],
      ['is', false, false],
      ['is_not', false, true],
      ['is_not', true, false],
      ['equals', true, true],
      ['equals', false, false],
      ['equals', 1, false],
      ['not_equals', false, true],
      ['not_equals', true, false],
    ])('true %s %p is %s', (action, value, expected) => {
      expect(matches(true, action, value)).toBe(expected);
    });
  });

  describe('Method: filter — null and undefined attributes', () => {
    it.each([
      [null, 'is', null, true],
      [null, 'is', true, false],
      [null, 'is', undefined, false],
      [null, 'is_not', true, true],
      [null, 'is_not', null, false],
      [null, 'equals', null, true],
      [null, 'equals', undefined, true],
      [null, 'equals', true, false],
      [null, 'not_equals', true, true],
      [null, 'not_equals', null, false],
      [undefined, 'is', undefined, true],
      [undefined, 'is', null, false],
      [undefined, 'equals', null, true],
      [undefined, 'not_equals', 0, true],
    ])('%p %s %p is %s', (item, action, value, expected) => {
      expect(matches(item, action, value)).toBe(expected);
    });
  });

  describe('Method: filter — unknown actions', () => {
    it.each([
      ['Michael', 'startswith', 'string', 'starts_with'],
      [5, 'contains', 'number', 'in_range'],
      [5n, 'iequals', 'bigint', 'gte'],
      [true, 'lt', 'boolean', 'is_not'],
      [null, 'gt', 'null', 'not_equals'],
      [undefined, 'contains', 'undefined', 'equals'],
    ])(
      'rejects %p with action %s naming the filter, the type %s and the valid actions',
      (item, action, type, valid) => {
        const error = errorFrom(item, action, 1);
        expect(error).toBeInstanceOf(InvalidFilterAction);
        expect(error).toMatchObject({ filterName: `attribute__${action}`, action, valueType: type });
        expect((error as InvalidFilterAction).validActions).toContain(valid);
        expect((error as Error).message).toContain(`'${action}'`);
        expect((error as Error).message).toContain(`type ${type}`);
        expect((error as Error).message).toContain(valid);
      },
    );

    it('rejects any filter on a function attribute, which has no actions', () => {
      const error = errorFrom(() => undefined, 'equals', 1);
      expect(error).toBeInstanceOf(InvalidFilterAction);
      expect(error).toMatchObject({ valueType: 'function', validActions: [] });
      expect((error as Error).message).toContain('cannot be filtered');
    });
  });
});
