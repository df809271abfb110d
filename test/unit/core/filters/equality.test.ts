import { FilterDict, FilterSet } from '../../../../src/core/filters';
import { casefold, compareStrings, deepEqual } from '../../../../src/core/filters/equality';

class Point {
  constructor(
    readonly x: number,
    readonly y: unknown,
  ) {}
}

describe('Function: deepEqual', () => {
  it.each([
    [1, 1, true],
    [1, 1n, true],
    [0, -0, true],
    [NaN, NaN, false],
    [1, '1', false],
    [null, undefined, false],
    [new Date(5), new Date(5), true],
    [new Date(5), 5, false],
    [[1, [2, 3]], [1, [2, 3]], true],
    [[1, 2], [2, 1], false],
    [[1], { 0: 1 }, false],
    [new Set([1, 2]), new Set([2, 1]), true],
    [new Set([[1]]), new Set([[1]]), true],
    [new Set([1]), new Set([1, 2]), false],
    [new Set([1]), [1], false],
    [new FilterSet([1, 2]), new Set([2, 1]), true],
    [new Map([['a', 1]]), { a: 1 }, true],
    [new FilterDict({ a: [1] }), new Map([['a', [1]]]), true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: 1, b: undefined }, { a: 1, c: undefined }, false],
    [new Point(1, { z: [1] }), new Point(1, { z: [1] }), true],
    [new Point(1, 2), { x: 1, y: 2 }, false],
  ])('deepEqual(%p, %p) is %s', (a, b, expected) => {
    expect(deepEqual(a, b)).toBe(expected);
    expect(deepEqual(b, a)).toBe(expected);
  });
});

describe('Function: compareStrings', () => {
  it.each([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['a', 'ab', -1],
    ['Z', 'a', -1],
    ['\uffff', '😀', -1],
    ['😀', '😁', -1],
  ])('orders %j against %j by code point (sign %p)', (a, b, sign) => {
    expect(Math.sign(compareStrings(a, b))).toBe(sign);
  });
});

describe('Function: casefold', () => {
  it.each([
    ['Straße', 'strasse'],
    ['ΣΊΣΥΦΟΣ', 'σίσυφοσ'],
    ['ﬁle', 'file'],
    ['οδός και', 'οδόσ και'],
    ['CAFE\u0301', 'café'],
  ])('folds %j to %j', (text, folded) => {
    expect(casefold(text)).toBe(folded);
  });
});
