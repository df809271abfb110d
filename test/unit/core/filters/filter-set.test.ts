import { FilterList, FilterSet } from '../../../../src/core/filters';
import { BrokenSequenceException, UnexpectedNumberOfResultsException } from '../../../../src/errors';

class Thing {
  constructor(fields: Record<string, unknown>) {
    Object.assign(this, fields);
  }
}

describe('Class: FilterSet', () => {
  describe('Method: constructor', () => {
    it('collapses duplicate members and accepts any iterable', () => {
      const thing = new Thing({ a: 1 });
      expect(new FilterSet([thing, thing]).size).toBe(1);
      expect(new FilterSet(new FilterSet([1, 2])).toArray()).toEqual([1, 2]);
      expect(new FilterSet().size).toBe(0);
    });
  });

  describe('Method: add', () => {
    it('adds a member and returns the set', () => {
      const set = new FilterSet<number>();
      expect(set.add(1).add(2).add(1)).toBe(set);
      expect(set.toArray()).toEqual([1, 2]);
    });
  });

  describe('Method: has', () => {
    it('checks membership by identity', () => {
      const thing = new Thing({ a: 1 });
      const set = new FilterSet([thing]);
      expect(set.has(thing)).toBe(true);
      expect(set.has(new Thing({ a: 1 }))).toBe(false);
    });
  });

  describe('Method: delete', () => {
    it('removes a member and says whether it was there', () => {
      const set = new FilterSet([1, 2]);
      expect(set.delete(1)).toBe(true);
      expect(set.delete(1)).toBe(false);
      expect([...set]).toEqual([2]);
    });
  });

  describe('Method: filter', () => {
    const things = [new Thing({ a: 3, b: 2 }), new Thing({ a: 3, b: 99 }), new Thing({ a: 77 })];
    const set = new FilterSet(things);

    it.each([
      [{ a__equals: 3 }, [things[0], things[1]]],
      [{ a__equals: 3, b__gt: 80 }, [things[1]]],
      [{ a: 77 }, [things[2]]],
      [{ b__equals: 0 }, []],
    ])('returns a new FilterSet of the members matching %j', (filters, expected) => {
      const result = set.filter(filters);
      expect(result).toBeInstanceOf(FilterSet);
      expect(result).not.toBe(set);
      expect(result.toArray()).toEqual(expected);
      expect(set.size).toBe(3);
    });
  });

  describe('Method: one', () => {
    const things = [new Thing({ a: 3, b: 2 }), new Thing({ a: 3, b: 99 }), new Thing({ a: 77 })];
    const set = new FilterSet(things);

    it('returns the one match without changing the set, so it can be called again', () => {
      expect(set.one({ a__equals: 77 })).toBe(things[2]);
      expect(set.one({ a__equals: 77 })).toBe(things[2]);
      expect(set.size).toBe(3);
    });

    it.each([
      [{ a__equals: 10 }, 'none matched'],
      [{ a__equals: 3 }, '2 matched'],
    ])('raises UnexpectedNumberOfResultsException for %j, saying %s', (filters, count) => {
      expect(() => set.one(filters)).toThrow(UnexpectedNumberOfResultsException);
      expect(() => set.one(filters)).toThrow(count);
    });

    it('returns the only member when given no filters', () => {
      expect(new FilterSet([things[0]]).one()).toBe(things[0]);
      expect(() => set.one()).toThrow('3 matched');
    });
  });

  describe('Method: orderBy', () => {
    it('returns a FilterList ordered by the attribute', () => {
      const things = [new Thing({ age: 5 }), new Thing({ age: 3 }), new Thing({ age: 4 })];
      const ordered = new FilterSet(things).orderBy('age');
      expect(ordered).toBeInstanceOf(FilterList);
      expect(ordered.toArray()).toEqual([things[1], things[2], things[0]]);
      expect(new FilterSet(things).orderBy('age', { reverse: true }).toArray()).toEqual([
        things[0],
        things[2],
        things[1],
      ]);
    });

    it('checks the start value and increment', () => {
      const things = [new Thing({ a: 1 }), new Thing({ a: 0 }), new Thing({ a: 2 })];
      expect(new FilterSet(things).orderBy('a', { checkStartValue: 0, checkConstantIncrement: 1 }).length).toBe(3);
      expect(() => new FilterSet(things).orderBy('a', { checkStartValue: 1 })).toThrow(BrokenSequenceException);
      expect(() => new FilterSet(things).orderBy('a', { checkConstantIncrement: 2 })).toThrow(BrokenSequenceException);
    });
  });

  describe('Method: [Symbol.iterator]', () => {
    it('iterates in insertion order', () => {
      expect([...new FilterSet(['b', 'a', 'c'])]).toEqual(['b', 'a', 'c']);
    });
  });
});
