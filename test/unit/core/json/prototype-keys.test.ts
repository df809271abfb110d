import {
  decodeOctueJson,
  encodeOctueJson,
  fromOctuePrimitive,
  toOctuePrimitive,
} from '../../../../src/core/json/octue-json';
import { copyOwnProperties, setOwnProperty } from '../../../../src/core/json/own-property';
import {
  CHOSEN_PROTOTYPE,
  HOSTILE_KEYS_JSON,
  expectHostileKeysKeptAsData,
  hostileKeysObject,
} from '../../../helpers/prototype-keys';

describe('Function: decodeOctueJson', () => {
  it('keeps __proto__, constructor and prototype keys as own data, never as a prototype', () => {
    expectHostileKeysKeptAsData(decodeOctueJson(HOSTILE_KEYS_JSON));
  });

  it('keeps them as data at any depth: in nested objects, arrays and sets', () => {
    const decoded = decodeOctueJson(
      `{"a": {"b": [${HOSTILE_KEYS_JSON}]}, "s": {"_type": "set", "items": [${HOSTILE_KEYS_JSON}]}}`,
    ) as { a: { b: unknown[] }; s: Set<unknown> };

    expectHostileKeysKeptAsData(decoded.a.b[0]);
    expectHostileKeysKeptAsData([...decoded.s][0]);
  });
});

describe('Function: fromOctuePrimitive', () => {
  it('copies a parsed object without turning its own __proto__ key into the prototype', () => {
    expectHostileKeysKeptAsData(fromOctuePrimitive(hostileKeysObject()));
  });
});

describe('Function: encodeOctueJson / toOctuePrimitive', () => {
  it('writes an own __proto__ key as data, so values sent back lose nothing', () => {
    const decoded = decodeOctueJson(HOSTILE_KEYS_JSON);

    expectHostileKeysKeptAsData(toOctuePrimitive(decoded));
    expect(JSON.parse(encodeOctueJson(decoded))).toEqual(JSON.parse(HOSTILE_KEYS_JSON));
    expect(encodeOctueJson(decoded)).toContain('"__proto__": {"isAdmin": true');
  });
});

describe('Function: setOwnProperty', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('sets %s as an own enumerable data property', (key) => {
    const target: Record<string, unknown> = {};

    setOwnProperty(target, key, { ...CHOSEN_PROTOTYPE });

    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(target, key)).toMatchObject({ enumerable: true, writable: true });
    expect(target.isAdmin).toBeUndefined();
  });
});

describe('Function: copyOwnProperties', () => {
  it('copies every own key as data and converts values', () => {
    const copy = copyOwnProperties(hostileKeysObject(), (value) => value);

    expectHostileKeysKeptAsData(copy);
    expect(copyOwnProperties({ a: 1 }, (value, key) => `${key}=${String(value)}`)).toEqual({ a: 'a=1' });
  });
});
