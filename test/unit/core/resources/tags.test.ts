import { TagDict, checkTagName } from '../../../../src/core/resources/tags';
import { InvalidTagException } from '../../../../src/errors';

describe('Class: TagDict', () => {
  describe('Method: constructor', () => {
    it.each([
      ['a plain object', { a: 1, b: 'two' }],
      [
        'a Map',
        new Map<string, unknown>([
          ['a', 1],
          ['b', 'two'],
        ]),
      ],
      [
        'pairs',
        [
          ['a', 1],
          ['b', 'two'],
        ] as [string, unknown][],
      ],
      ['another TagDict', new TagDict({ a: 1, b: 'two' })],
    ])('builds tags from %s', (_label, input) => {
      expect(new TagDict(input).toPrimitive()).toEqual({ a: 1, b: 'two' });
    });

    it('builds empty tags from nothing', () => {
      expect(new TagDict().size).toBe(0);
      expect(new TagDict(null).size).toBe(0);
    });

    it('keeps any JSON value', () => {
      const tags = new TagDict({ nested: { list: [1, { x: null }] }, flag: true });
      expect(tags.get('nested')).toEqual({ list: [1, { x: null }] });
    });

    it.each(['.blah.', '@', 'Upper', '_leading', 'trailing_', 'has-hyphen', 'space s', ''])(
      'throws InvalidTagException for the name %j',
      (name) => {
        expect(() => new TagDict({ [name]: 1 })).toThrow(InvalidTagException);
      },
    );

    it('says what a valid tag name looks like', () => {
      expect(() => new TagDict({ 'Bad!': 1 })).toThrow(
        "Invalid tag 'Bad!'. Tags must contain only lowercase characters 'a-z', '0-9', and '_'.",
      );
    });

    it('throws InvalidTagException for input that is not a mapping', () => {
      expect(() => new TagDict('a=b' as never)).toThrow(InvalidTagException);
      expect(() => new TagDict([['a', 1, 2]] as never)).toThrow(/\[name, value\] pairs/);
    });
  });

  describe('Method: set', () => {
    it('adds a tag with a valid name', () => {
      const tags = new TagDict();
      tags.set('hello', 9);
      expect(tags.toPrimitive()).toEqual({ hello: 9 });
    });

    it('throws InvalidTagException for a bad name', () => {
      expect(() => new TagDict().set('@@@', 9)).toThrow(InvalidTagException);
    });
  });

  describe('Method: update', () => {
    it('adds several tags', () => {
      const tags = new TagDict({ a: 1, b: 2 });
      tags.update({ c: 3, d: 4 });
      expect(tags.toPrimitive()).toEqual({ a: 1, b: 2, c: 3, d: 4 });
    });

    it('leaves the tags unchanged when any name is bad', () => {
      const tags = new TagDict({ a: 1, b: 2 });
      expect(() => tags.update({ d: 4, '@': 3 })).toThrow(InvalidTagException);
      expect(tags.toPrimitive()).toEqual({ a: 1, b: 2 });
    });
  });
});

describe('Function: checkTagName', () => {
  it.each(['a', 'a1', '1a', 'a_b', 'a__b', 'x_0_y'])('accepts %s', (name) => {
    expect(() => checkTagName(name)).not.toThrow();
  });

  it('rejects a non-string name', () => {
    expect(() => checkTagName(3)).toThrow(InvalidTagException);
  });
});
