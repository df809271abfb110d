import { FilterDict, FilterList, FilterSet } from '../../../../src/core/filters';
import {
  FilterAttributeNotFound,
  InvalidFilterAction,
  InvalidFilterException,
  InvalidInputException,
} from '../../../../src/errors';

/** Octue's FilterableThing: an object with whatever attributes it is given. */
class Thing {
  constructor(fields: Record<string, unknown>) {
    Object.assign(this, fields);
  }
}

class Datafile {
  constructor(
    readonly name: string,
    readonly tags: Record<string, unknown>,
  ) {}

  /** A getter on the class, like Octue's properties. */
  get extension(): string {
    return this.name.slice(this.name.lastIndexOf('.') + 1);
  }
}

const names = (list: Iterable<{ name: string }>): string[] => [...list].map((item) => item.name);

describe('Class: FilterList', () => {
  describe('Method: filter — filter names', () => {
    const files = new FilterList([
      new Datafile('a.csv', { cluster: 0, manufacturer: 'Vestas', gt: 'tag called gt', nested: { depth: 1 } }),
      new Datafile('b.txt', { cluster: 1, manufacturer: 'Vergnet', contains: 'x' }),
      new Datafile('c.csv', { cluster: 2, manufacturer: 'Enercon', nested: { depth: 2 } }),
    ]);

    it.each([
      ['a name without an action means equals', { name: 'a.csv' }, ['a.csv']],
      ['a dict key without an action means equals', { tags__cluster: 0 }, ['a.csv']],
      ['a nested dict key without an action means equals', { tags__nested__depth: 2 }, ['c.csv']],
      ['an action after a dict key applies to its value', { tags__cluster__gt: 0 }, ['b.txt', 'c.csv']],
      ['an action after nested keys applies to the innermost value', { tags__nested__depth__lt: 2 }, ['a.csv']],
      ['a getter counts as an attribute', { extension__equals: 'csv' }, ['a.csv', 'c.csv']],
      ['a key named like an action of another type is a key', { tags__gt: 'tag called gt' }, ['a.csv']],
      ['an action valid for the type wins over a key of that name', { tags__contains: 'contains' }, ['b.txt']],
      ['several filters are ANDed', { name__ends_with: '.csv', tags__cluster__gt: 1 }, ['c.csv']],
      ['no filters keep every item', {}, ['a.csv', 'b.txt', 'c.csv']],
    ])('%s', (_case, filters, expected) => {
      expect(names(files.filter(filters))).toEqual(expected);
    });

    it('follows attributes of nested class instances and their dict keys', () => {
      const thing = new Thing({ name: new Thing({ a: new Thing({ b: 3 }), first: { given: 'Joe' } }) });
      const list = new FilterList([thing]);
      expect(list.filter({ name__a__b__equals: 3 }).length).toBe(1);
      expect(list.filter({ name__a__b: 3 }).length).toBe(1);
      expect(list.filter({ name__a__b: 4 }).length).toBe(0);
      expect(list.filter({ name__first__given__iequals: 'JOE' }).length).toBe(1);
    });

    it('follows Map keys, FilterDict keys and array indices', () => {
      const thing = {
        map: new Map([['key', { value: 1 }]]),
        datasets: new FilterDict({ raw: { name: 'raw-data' } }),
        previous_names: ['Scatta', 'Catta'],
      };
      const list = new FilterList([thing]);
      expect(list.filter({ map__key__value: 1 }).length).toBe(1);
      expect(list.filter({ datasets__raw__name__starts_with: 'raw' }).length).toBe(1);
      expect(list.filter({ previous_names__1: 'Catta' }).length).toBe(1);
      expect(list.filter({ previous_names__0__icontains: 'scat' }).length).toBe(1);
      expect(list.filter({ previous_names__2: 'x' }).length).toBe(0);
    });

    it.each([
      ['Map methods', { map__get__equals: 1 }],
      ['Object.prototype members of plain objects', { plain__toString__equals: 1 }],
      ['Object.prototype members of class instances', { instance__constructor__equals: 1 }],
    ])('does not treat %s as attributes', (_case, filters) => {
      const thing = { map: new Map(), plain: {}, instance: new Thing({}) };
      expect(new FilterList([thing]).filter(filters).length).toBe(0);
      expect(() => new FilterList([thing]).filter(filters, { ignoreItemsWithoutAttribute: false })).toThrow(
        FilterAttributeNotFound,
      );
    });

    it('raises InvalidFilterAction for an unknown action on a class instance', () => {
      const list = new FilterList([new Thing({ owner: new Thing({ name: 'Jo' }) })]);
      expect(() => list.filter({ owner__startswith: 'J' })).toThrow(InvalidFilterAction);
      expect(() => list.filter({ owner__startswith: 'J' })).toThrow(/action 'startswith' for values of type Thing/);
    });
  });

  describe('Method: filter — items without the attribute', () => {
    const things = new FilterList([new Thing({ a: 3 }), new Thing({ b: 90 }), new Thing({ a: 77, tags: {} })]);
    const values = (list: FilterList<Thing>) => list.toArray();

    it.each([
      [{ a__gt: 2 }, [things.at(0), things.at(2)]],
      [{ b__equals: 90 }, [things.at(1)]],
      [{ b: 90 }, [things.at(1)]],
      [{ b__equals: 0 }, []],
      [{ a__gt: 2, b__equals: 90 }, []],
      [{ tags__cluster: 0 }, []],
      [{ c__d__e: 0 }, []],
    ])('skips them by default for %j', (filters, expected) => {
      expect(values(things.filter(filters))).toEqual(expected);
      expect(values(things.filter(filters, { ignoreItemsWithoutAttribute: true }))).toEqual(expected);
    });

    it.each([
      [{ a__gt: 2 }, 'a', 'a__gt'],
      [{ b__equals: 90 }, 'b', 'b__equals'],
      [{ b: 0 }, 'b', 'b'],
      [{ a__gte: 3, b__equals: 90 }, 'b', 'b__equals'],
      [{ tags__cluster: 0 }, 'tags', 'tags__cluster'],
      [{ c__d__e: 0 }, 'c__d', 'c__d__e'],
    ])('raises FilterAttributeNotFound for %j when told not to ignore them', (filters, attributeName, filterName) => {
      let error: unknown;
      try {
        things.filter(filters, { ignoreItemsWithoutAttribute: false });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(FilterAttributeNotFound);
      expect(error).toBeInstanceOf(InvalidInputException);
      expect(error).toMatchObject({ attributeName, filterName });
      expect((error as Error).message).toContain(`'${attributeName}'`);
      expect((error as Error).message).toContain('ignoreItemsWithoutAttribute: true');
    });

    it('raises FilterAttributeNotFound for a dict key an item lacks', () => {
      const list = new FilterList([{ tags: { cluster: 0 } }, { tags: {} }]);
      expect(() => list.filter({ tags__cluster: 0 }, { ignoreItemsWithoutAttribute: false })).toThrow(
        expect.objectContaining({ attributeName: 'tags__cluster', filterName: 'tags__cluster' }),
      );
    });

    it('names the valid actions when a missing dict key might be a mistyped action', () => {
      const list = new FilterList([{ tags: { a: 1 } }]);
      expect(() => list.filter({ tags__icontain: 'A' }, { ignoreItemsWithoutAttribute: false })).toThrow(
        /nor is 'icontain' a filter action for Object values; its actions are .*icontains/,
      );
    });

    it('treats primitive items as lacking every attribute', () => {
      const list = new FilterList<unknown>([1, 'a', null, { a: 1 }]);
      expect(list.filter({ a: 1 }).toArray()).toEqual([{ a: 1 }]);
      expect(() => list.filter({ a: 1 }, { ignoreItemsWithoutAttribute: false })).toThrow(FilterAttributeNotFound);
    });
  });

  describe('Method: filter — malformed filters', () => {
    it.each(['', '__equals', 'a__', 'a____equals', 'a___equals__'])(
      'raises InvalidFilterException for the name %j even on an empty list',
      (name) => {
        expect(() => new FilterList([]).filter({ [name]: 1 })).toThrow(InvalidFilterException);
        expect(() => new FilterList([]).filter({ [name]: 1 })).toThrow(/Invalid filter name/);
      },
    );

    it.each([null, 'name'])('raises InvalidFilterException when the filters are %p', (filters) => {
      expect(() => new FilterSet([]).filter(filters as never)).toThrow(InvalidFilterException);
    });
  });
});
