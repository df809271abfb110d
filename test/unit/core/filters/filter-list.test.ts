import { FilterList } from '../../../../src/core/filters';
import {
  BrokenSequenceException,
  FilterAttributeNotFound,
  InvalidInputException,
  UnexpectedNumberOfResultsException,
} from '../../../../src/errors';

const cats = [
  { name: 'Zorg', age: 5 },
  { name: 'James', age: 3 },
  { name: 'Princess Carolyn', age: 4 },
] as const;

describe('Class: FilterList', () => {
  describe('Method: constructor', () => {
    it('copies any iterable, keeping order and duplicates', () => {
      const source = [3, 1, 3];
      const list = new FilterList(new Set(source));
      const withDuplicates = new FilterList(source);
      source.push(9);
      expect(list.toArray()).toEqual([3, 1]);
      expect(withDuplicates.toArray()).toEqual([3, 1, 3]);
      expect(new FilterList().length).toBe(0);
    });
  });

  describe('Method: at', () => {
    it.each([
      [0, 'Zorg'],
      [2, 'Princess Carolyn'],
      [-1, 'Princess Carolyn'],
      [3, undefined],
    ])('returns the item at %p', (index, expected) => {
      expect(new FilterList(cats).at(index)?.name).toBe(expected);
    });
  });

  describe('Method: toArray', () => {
    it('returns a fresh array each time, so the list cannot be changed through it', () => {
      const list = new FilterList([1, 2]);
      list.toArray().push(3);
      expect([...list]).toEqual([1, 2]);
      expect(list.length).toBe(2);
    });
  });

  describe('Method: filter', () => {
    it('returns a new FilterList of the matches in their original order', () => {
      const list = new FilterList([...cats, cats[1]]);
      const result = list.filter({ age__lte: 4 });
      expect(result).toBeInstanceOf(FilterList);
      expect(result.toArray()).toEqual([cats[1], cats[2], cats[1]]);
      expect(list.length).toBe(4);
    });
  });

  describe('Method: one', () => {
    const list = new FilterList(cats);

    it('returns the only match', () => {
      expect(list.one({ name__starts_with: 'J' })).toBe(cats[1]);
    });

    it.each([
      [{ age__gt: 10 }, /but none matched/],
      [{ age__gt: 3 }, /but 2 matched/],
      [{}, /exactly one result for no filters, but 3 matched/],
    ])('raises UnexpectedNumberOfResultsException for %j', (filters, message) => {
      expect(() => list.one(filters)).toThrow(UnexpectedNumberOfResultsException);
      expect(() => list.one(filters)).toThrow(message);
    });

    it('returns the only item when given no filters', () => {
      expect(new FilterList([cats[0]]).one()).toBe(cats[0]);
    });

    it('names the filters in its message', () => {
      expect(() => list.one({ name__contains: 'x' })).toThrow("filters { name__contains: 'x' }");
    });
  });

  describe('Method: orderBy', () => {
    it.each([
      ['name', {}, ['James', 'Princess Carolyn', 'Zorg']],
      ['age', {}, ['James', 'Princess Carolyn', 'Zorg']],
      ['age', { reverse: true }, ['Zorg', 'Princess Carolyn', 'James']],
      ['age', { checkStartValue: 3, checkConstantIncrement: 1 }, ['James', 'Princess Carolyn', 'Zorg']],
      ['age', { reverse: true, checkStartValue: 5, checkConstantIncrement: -1 }, ['Zorg', 'Princess Carolyn', 'James']],
    ])('orders by %s with %j', (attribute, options, expected) => {
      const ordered = new FilterList(cats).orderBy(attribute, options);
      expect(ordered).toBeInstanceOf(FilterList);
      expect(ordered.toArray().map((cat) => cat.name)).toEqual(expected);
    });

    it('orders arrays lexicographically, as Python does', () => {
      const things = [{ names: ['Scatta', 'Catta'] }, { names: ['Kitty'] }, { names: [] }, { names: ['Kitty', 'A'] }];
      const ordered = new FilterList(things).orderBy('names').toArray();
      expect(ordered).toEqual([things[2], things[1], things[3], things[0]]);
    });

    it.each([
      ['strings by code point', ['\uffff', '😀', 'a'], ['a', '\uffff', '😀']],
      ['numbers, bigints and booleans numerically', [2n, 1.5, true, 0], [0, true, 1.5, 2n]],
      [
        'dates by instant',
        [new Date('2001-01-01T00:00:00Z'), new Date('2000-01-01T00:00:00Z')],
        [new Date('2000-01-01T00:00:00Z'), new Date('2001-01-01T00:00:00Z')],
      ],
    ])('orders %s', (_case, keys, expected) => {
      const ordered = new FilterList(keys.map((key) => ({ key }))).orderBy('key');
      expect(ordered.toArray().map(({ key }) => key)).toEqual(expected);
    });

    it('keeps equal items in their original order, also in reverse (as Python sorted does)', () => {
      const items = [
        { k: 1, id: 'a' },
        { k: 2, id: 'b' },
        { k: 1, id: 'c' },
        { k: 2, id: 'd' },
      ];
      const ids = (options = {}) =>
        new FilterList(items)
          .orderBy('k', options)
          .toArray()
          .map(({ id }) => id);
      expect(ids()).toEqual(['a', 'c', 'b', 'd']);
      expect(ids({ reverse: true })).toEqual(['b', 'd', 'a', 'c']);
    });

    it.each(['name__first', 'name.first'])('orders by the nested attribute %s', (attribute) => {
      const items = [{ name: { first: 'Miaow' } }, { name: { first: 'Kitty' } }];
      expect(new FilterList(items).orderBy(attribute).toArray()).toEqual([items[1], items[0]]);
    });

    it.each([
      [[1, 0], { checkStartValue: 3 }, /start at 3, but the first item has 0/],
      [[], { checkStartValue: 0 }, /start at 0, but there are no items/],
      [[1, 0, 5], { checkConstantIncrement: 1 }, /rise by a constant 1: item 1 has 1 and item 2 has 5/],
      [[0, 2, 4], { checkConstantIncrement: 1 }, /constant 1/],
      [[1, 2, 3], { reverse: true, checkConstantIncrement: 1 }, /constant 1/],
      [[0.1, 0.2, 0.3], { checkConstantIncrement: 0.1 }, /constant 0.1/],
    ])('raises BrokenSequenceException for %j with %j', (values, options, message) => {
      const list = new FilterList(values.map((a) => ({ a })));
      expect(() => list.orderBy('a', options)).toThrow(BrokenSequenceException);
      expect(() => list.orderBy('a', options)).toThrow(message);
    });

    it.each([
      [[1, 0, 2], { checkStartValue: 0, checkConstantIncrement: 1 }],
      [[10n, 12n, 14n], { checkStartValue: 10, checkConstantIncrement: 2n }],
      [[1.5, 0.5, 1], { checkConstantIncrement: 0.5 }],
      [[], { checkConstantIncrement: 1 }],
      [[7], { checkConstantIncrement: 1, checkStartValue: 7 }],
    ])('accepts the sequence %j with %j', (values, options) => {
      expect(() => new FilterList(values.map((a) => ({ a }))).orderBy('a', options)).not.toThrow();
    });

    it('raises FilterAttributeNotFound, an InvalidInputException, for an item without the attribute', () => {
      const list = new FilterList([{ age: 5 }, { name: 'x' }]);
      expect(() => list.orderBy('age')).toThrow(FilterAttributeNotFound);
      expect(() => list.orderBy('dog-likeness')).toThrow(InvalidInputException);
      expect(() => list.orderBy('dog-likeness')).toThrow("Cannot order by 'dog-likeness'");
    });

    it.each([
      [[1, 'a'], /values of type (number and string|string and number) cannot be compared/],
      [[{}, {}], /values of type Object and Object cannot be compared/],
      [[null, 1], /values of type (null and number|number and null)/],
    ])('raises InvalidInputException for unorderable values %j', (values, message) => {
      const list = new FilterList(values.map((a) => ({ a })));
      expect(() => list.orderBy('a')).toThrow(InvalidInputException);
      expect(() => list.orderBy('a')).toThrow(message);
    });

    it('raises InvalidInputException for a constant-increment check on non-numbers', () => {
      const list = new FilterList([{ a: 'x' }, { a: 'y' }]);
      expect(() => list.orderBy('a', { checkConstantIncrement: 1 })).toThrow(/must be numbers or bigints/);
    });

    it.each(['', 'a__', 'a..b'])('raises InvalidInputException for the attribute name %j', (name) => {
      expect(() => new FilterList([{ a: 1 }]).orderBy(name)).toThrow(/Invalid attribute name/);
    });
  });
});
