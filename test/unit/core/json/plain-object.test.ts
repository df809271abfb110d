import { runInNewContext } from 'node:vm';

import { encodeOctueJson } from '../../../../src/core/json/octue-json';
import { isPlainObject } from '../../../../src/core/json/plain-object';

describe('Function: isPlainObject', () => {
  it.each([
    ['a literal', {}, true],
    ['a null-prototype object', Object.create(null) as object, true],
    ['a structuredClone copy', structuredClone({ a: 1 }), true],
    ['an object from another realm', runInNewContext('({ a: 1 })') as object, true],
    ['a Date', new Date(0), false],
    ['an array', [], false],
    ['a class instance', new (class Thing {})(), false],
  ])('says %s is %s', (_label, value, expected) => {
    expect(isPlainObject(value)).toBe(expected);
  });
});

describe('Function: encodeOctueJson', () => {
  it('encodes values made in another realm (structuredClone, vm) like local ones', () => {
    const foreign = runInNewContext('({ when: new Date(0), tags: new Set(["b", "a"]), n: 1 })') as object;
    expect(JSON.parse(encodeOctueJson(foreign))).toEqual({
      when: { _type: 'datetime', value: '1970-01-01T00:00:00+00:00' },
      tags: { _type: 'set', items: ['a', 'b'] },
      n: 1,
    });
  });
});
