import { LabelSet, cleanLabel } from '../../../../src/core/resources/labels';
import { InvalidLabelException } from '../../../../src/errors';

const EXPECTED = new Set(['a', 'b-c', 'd-e-f']);

describe('Class: LabelSet', () => {
  describe('Method: constructor', () => {
    it.each([
      ['a whitespace-separated string', 'a b-c  d-e-f\n'],
      ['a JSON list string', '["a", "b-c", "d-e-f"]'],
      ['an array', ['a', 'b-c', 'd-e-f']],
      ['a Set', new Set(['a', 'b-c', 'd-e-f'])],
      ['another LabelSet', new LabelSet(['a', 'b-c', 'd-e-f'])],
      ['labels with surrounding whitespace', [' a ', 'b-c', '\td-e-f']],
    ])('builds labels from %s', (_label, input) => {
      expect(new Set(new LabelSet(input))).toEqual(EXPECTED);
    });

    it('builds an empty set from nothing', () => {
      expect(new LabelSet().size).toBe(0);
      expect(new LabelSet(null).size).toBe(0);
      expect(new LabelSet('').size).toBe(0);
    });

    it.each([':a', '@', 'a_b', '-bah', 'humbug:', 'back\\slashy', '/a', 'a/', 'blah:3.5.', 'HELLO-WORLD', 'a-'])(
      'throws InvalidLabelException for %j',
      (label) => {
        expect(() => new LabelSet([label])).toThrow(InvalidLabelException);
      },
    );

    it('throws InvalidLabelException for a non-string label', () => {
      expect(() => new LabelSet([{ 'not-a': 'string' }] as never)).toThrow('Labels must be expressed as strings');
    });

    it('throws InvalidLabelException for input that is neither a string nor iterable', () => {
      expect(() => new LabelSet(5 as never)).toThrow(InvalidLabelException);
    });
  });

  describe('Method: add', () => {
    it('cleans and adds a valid label', () => {
      const labels = new LabelSet(['a']);
      labels.add(' c ');
      expect(labels.has('c')).toBe(true);
    });

    it('throws InvalidLabelException for an invalid label', () => {
      expect(() => new LabelSet().add('d_')).toThrow(
        "Invalid label 'd_'. Labels must contain only lowercase characters 'a-z', '0-9', and '-'.",
      );
    });
  });

  describe('Method: update', () => {
    it('adds several labels, or none when one is invalid', () => {
      const labels = new LabelSet(['a']);
      labels.update('b', 'c');
      expect(labels.sorted()).toEqual(['a', 'b', 'c']);
      expect(() => labels.update('d', 'E')).toThrow(InvalidLabelException);
      expect(labels.sorted()).toEqual(['a', 'b', 'c']);
    });
  });

  describe('Method: sorted', () => {
    it('sorts by code point', () => {
      expect(new LabelSet('b a-1 a 10 9').sorted()).toEqual(['10', '9', 'a', 'a-1', 'b']);
    });
  });

  describe('Method: anyLabelStartsWith / anyLabelEndsWith / anyLabelContains', () => {
    const labels = new LabelSet('alpha-one beta');
    it.each([
      ['anyLabelStartsWith', 'alp', true],
      ['anyLabelStartsWith', 'one', false],
      ['anyLabelEndsWith', 'one', true],
      ['anyLabelEndsWith', 'alp', false],
      ['anyLabelContains', 'ha-o', true],
      ['anyLabelContains', 'gamma', false],
    ] as const)('%s(%j) is %p', (method, value, expected) => {
      expect(labels[method](value)).toBe(expected);
    });
  });
});

describe('Function: cleanLabel', () => {
  it('strips surrounding whitespace', () => {
    expect(cleanLabel('  blah-35 ')).toBe('blah-35');
  });
});
