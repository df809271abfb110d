import { FilterDict, FilterList } from '../../../../src/core/filters';
import {
  BrokenSequenceException,
  FilterAttributeNotFound,
  InvalidInputException,
  UnexpectedNumberOfResultsException,
} from '../../../../src/errors';

interface Animal {
  name: string;
  age: number;
  size: string;
  previous_names: string[];
}

const animals: Record<string, Animal> = {
  cat: { name: 'Princess Carolyn', age: 3, size: 'small', previous_names: ['scatta', 'catta'] },
  dog: { name: 'Spot', age: 90, size: 'big', previous_names: [] },
  another_dog: { name: 'Ranger', age: 91, size: 'small', previous_names: ['doggo', 'oggo', 'loggo'] },
};
const ANIMALS = new FilterDict(animals);

describe('Class: FilterDict', () => {
  describe('Method: constructor', () => {
    it.each([
      ['a plain object', { a: 1, b: 3 }],
      [
        'a Map',
        new Map([
          ['a', 1],
          ['b', 3],
        ]),
      ],
      [
        'entries',
        [
          ['a', 1],
          ['b', 3],
        ] as [string, number][],
      ],
      ['another FilterDict', new FilterDict({ a: 1, b: 3 })],
    ])('builds from %s', (_kind, source) => {
      expect(new FilterDict(source).toObject()).toEqual({ a: 1, b: 3 });
    });

    it('keeps a __proto__ key as an ordinary key', () => {
      const dict = new FilterDict<number>(JSON.parse('{"__proto__": 1}') as Record<string, number>);
      expect(dict.get('__proto__')).toBe(1);
      expect(Object.keys(dict.toObject())).toEqual(['__proto__']);
    });

    it.each([
      ['a number', 5],
      ['null', null],
      ['an array of strings', ['a', 'b']],
      ['pairs with non-string keys', [[1, 'a']]],
    ])('raises InvalidInputException for %s', (_kind, source) => {
      expect(() => new FilterDict(source as never)).toThrow(InvalidInputException);
    });
  });

  describe('Method: get / has / keys / values / entries', () => {
    it('reads the entries in insertion order', () => {
      expect(ANIMALS.size).toBe(3);
      expect(ANIMALS.get('cat')).toBe(animals.cat);
      expect(ANIMALS.get('cow')).toBeUndefined();
      expect(ANIMALS.has('dog')).toBe(true);
      expect(ANIMALS.has('toString')).toBe(false);
      expect([...ANIMALS.keys()]).toEqual(['cat', 'dog', 'another_dog']);
      expect([...ANIMALS.values()]).toEqual([animals.cat, animals.dog, animals.another_dog]);
      expect([...ANIMALS.entries()]).toEqual(Object.entries(animals));
      expect([...ANIMALS]).toEqual(Object.entries(animals));
    });

    it('returns a fresh object from toObject', () => {
      const object = ANIMALS.toObject();
      delete object.cat;
      expect(ANIMALS.has('cat')).toBe(true);
    });
  });

  describe('Method: filter', () => {
    it.each([
      [{ age__gte: 90 }, ['dog', 'another_dog']],
      [{ size__equals: 'small', age__lt: 5 }, ['cat']],
      [{ previous_names__contains: 'oggo' }, ['another_dog']],
      [{ name: 'Spot' }, ['dog']],
      [{ age__gt: 1000 }, []],
    ])('filters by the values for %j and keeps their keys', (filters, keys) => {
      const result = ANIMALS.filter(filters);
      expect(result).toBeInstanceOf(FilterDict);
      expect([...result.keys()]).toEqual(keys);
      expect(keys.every((key) => result.get(key) === animals[key])).toBe(true);
    });

    it('can be chained', () => {
      const old = ANIMALS.filter({ age__gte: 90 });
      expect([...old.filter({ size__equals: 'small' }).keys()]).toEqual(['another_dog']);
    });

    it('skips values without the attribute, or raises when told not to', () => {
      const dict = new FilterDict<Record<string, number>>({ first: { a: 3 }, second: { b: 90 }, third: { a: 77 } });
      expect([...dict.filter({ a__gt: 2 }).keys()]).toEqual(['first', 'third']);
      expect(() => dict.filter({ a__gt: 2 }, { ignoreItemsWithoutAttribute: false })).toThrow(FilterAttributeNotFound);
    });
  });

  describe('Method: one', () => {
    it('returns the matching [key, value] pair', () => {
      expect(ANIMALS.one({ age__equals: 91 })).toEqual(['another_dog', animals.another_dog]);
    });

    it('returns the only pair when given no filters', () => {
      expect(new FilterDict({ my_thing: 1 }).one()).toEqual(['my_thing', 1]);
    });

    it.each([
      [{ age__equals: 10 }, 'none matched'],
      [{ size__equals: 'small' }, '2 matched'],
    ])('raises UnexpectedNumberOfResultsException for %j', (filters, count) => {
      expect(() => ANIMALS.one(filters)).toThrow(UnexpectedNumberOfResultsException);
      expect(() => ANIMALS.one(filters)).toThrow(count);
    });
  });

  describe('Method: orderBy', () => {
    it.each([
      ['name', {}, ['cat', 'another_dog', 'dog']],
      ['age', {}, ['cat', 'dog', 'another_dog']],
      ['previous_names', {}, ['dog', 'another_dog', 'cat']],
      ['age', { reverse: true }, ['another_dog', 'dog', 'cat']],
      ['age', { checkStartValue: 3 }, ['cat', 'dog', 'another_dog']],
    ])('returns a FilterList of [key, value] pairs ordered by the values %s with %j', (attribute, options, keys) => {
      const ordered = ANIMALS.orderBy(attribute, options);
      expect(ordered).toBeInstanceOf(FilterList);
      expect(ordered.toArray()).toEqual(keys.map((key) => [key, animals[key]]));
    });

    it('checks the values for a constant increment', () => {
      expect(() => ANIMALS.orderBy('age', { checkConstantIncrement: 1 })).toThrow(BrokenSequenceException);
    });

    it('raises FilterAttributeNotFound for a non-existent attribute', () => {
      expect(() => ANIMALS.orderBy('dog-likeness')).toThrow(FilterAttributeNotFound);
    });
  });
});
