import { InvalidInputException } from '../../../../src/errors';
import { pythonJsonDumps, pythonJsonString } from '../../../../src/core/json/python-json';

// Expected strings were produced by CPython 3's `json.dumps`.
describe('Function: pythonJsonDumps', () => {
  it('writes one line with Python separators and ASCII escapes by default', () => {
    const value = { a: [1, 'é', null, true], b: { c: 'x\ny' }, d: 1.5, e: '😀', f: [], g: {} };
    expect(pythonJsonDumps(value)).toBe(
      '{"a": [1, "\\u00e9", null, true], "b": {"c": "x\\ny"}, "d": 1.5, "e": "\\ud83d\\ude00", "f": [], "g": {}}',
    );
  });

  it('indents and sorts keys as json.dumps(indent=4, sort_keys=True) does', () => {
    const value = { z: 1, a: { y: [1, { k: [] }], b: {} } };
    expect(pythonJsonDumps(value, { indent: 4, sortKeys: true })).toBe(
      '{\n    "a": {\n        "b": {},\n        "y": [\n            1,\n            {\n                "k": []\n' +
        '            }\n        ]\n    },\n    "z": 1\n}',
    );
  });

  it('writes floats in Python form and special floats as JavaScript literals', () => {
    expect(pythonJsonDumps([1e-5, 1e16, Number.NaN, Infinity, -Infinity])).toBe(
      '[1e-05, 1e+16, NaN, Infinity, -Infinity]',
    );
  });

  it('leaves out object keys whose value is undefined', () => {
    expect(pythonJsonDumps({ a: 1, b: undefined } as never)).toBe('{"a": 1}');
  });

  it('throws InvalidInputException for a value JSON cannot express', () => {
    expect(() => pythonJsonDumps({ when: new Date(0) } as never)).toThrow(InvalidInputException);
    expect(() => pythonJsonDumps((() => 1) as never)).toThrow(/cannot be written as JSON/);
  });
});

describe('Function: pythonJsonString', () => {
  it.each([
    ['plain', '"plain"'],
    ['quote " and \\', '"quote \\" and \\\\"'],
    ['\b\f\u0001\u007f', '"\\b\\f\\u0001\\u007f"'],
  ])('escapes %j as %s', (input, expected) => {
    expect(pythonJsonString(input)).toBe(expected);
  });
});
