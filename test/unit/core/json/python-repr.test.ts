import {
  PythonTuple,
  comparePython,
  pythonFloatRepr,
  pythonNumberRepr,
  pythonRepr,
  pythonSorted,
  pythonStringRepr,
} from '../../../../src/core/json/python-repr';

// Expected strings were produced by CPython 3 (`repr(value)`).
describe('Function: pythonStringRepr', () => {
  it.each([
    ['a', "'a'"],
    ["it's", `"it's"`],
    ['say "hi"', `'say "hi"'`],
    ['both \' "', `'both \\' "'`],
    ['back\\slash', "'back\\\\slash'"],
    ['tab\t', "'tab\\t'"],
    ['nl\n', "'nl\\n'"],
    ['cr\r', "'cr\\r'"],
    ['é', "'é'"],
    ['\x7f', "'\\x7f'"],
    ['\x00', "'\\x00'"],
    ['\u00a0', "'\\xa0'"],
    ['\u2028', "'\\u2028'"],
    ['\u200b', "'\\u200b'"],
    ['😀', "'😀'"],
    ['\u{e0001}', "'\\U000e0001'"],
    ['', "''"],
  ])('formats %j as CPython does (%s)', (input, expected) => {
    expect(pythonStringRepr(input)).toBe(expected);
  });
});

describe('Function: pythonNumberRepr', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [-12, '-12'],
    [0.1, '0.1'],
    [2.5, '2.5'],
    [1e-5, '1e-05'],
    [1e-7, '1e-07'],
    [0.00012, '0.00012'],
    [-0.0001, '-0.0001'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [1e22, '1e+22'],
    [123456789.123, '123456789.123'],
    [1234567890123456.7, '1234567890123456.8'],
    [5e-324, '5e-324'],
    [Number.NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ])('formats %p as %s', (input, expected) => {
    expect(pythonNumberRepr(input)).toBe(expected);
  });

  it('formats an integral float in float form when asked directly', () => {
    expect(pythonFloatRepr(3)).toBe('3.0');
  });
});

describe('Function: pythonRepr', () => {
  it.each([
    [null, 'None'],
    [true, 'True'],
    [false, 'False'],
    [12345678901234567890n, '12345678901234567890'],
    [[], '[]'],
    [['AAAAAA==', 'mnG7TA=='], "['AAAAAA==', 'mnG7TA==']"],
    [[new PythonTuple(['a', 'x']), new PythonTuple(['b', 'y'])], "[('a', 'x'), ('b', 'y')]"],
    [new PythonTuple(['a']), "('a',)"],
    [new PythonTuple([]), '()'],
    [[1, [2, 'x'], null], "[1, [2, 'x'], None]"],
  ])('formats %p as %s', (input, expected) => {
    expect(pythonRepr(input)).toBe(expected);
  });
});

describe('Function: pythonSorted', () => {
  it('sorts strings by code point, as Python does', () => {
    // UTF-16 order would put U+FF5E after U+1F600's surrogates; code point order puts it first.
    expect(pythonSorted(['😀', '\uff5e', 'b', 'B', 'a'])).toEqual(['B', 'a', 'b', '\uff5e', '😀']);
  });

  it('sorts numbers numerically', () => {
    expect(pythonSorted([10, 9, 100, -1])).toEqual([-1, 9, 10, 100]);
  });

  it('sorts tuples item by item', () => {
    const sorted = pythonSorted([new PythonTuple(['b', 'a']), new PythonTuple(['a', 'z']), new PythonTuple(['a'])]);
    expect(pythonRepr(sorted)).toBe("[('a',), ('a', 'z'), ('b', 'a')]");
  });

  it('orders values of different kinds by kind instead of failing', () => {
    expect(comparePython(1, 'a')).toBeLessThan(0);
    expect(comparePython(null, false)).toBeLessThan(0);
  });
});
