/**
 * Received JSON whose keys name JavaScript's prototype machinery, and the checks that a decoding path kept them as
 * plain data. `__proto__` carries the prototype an attacker would like the decoded object to have.
 */

/** What the hostile `__proto__` key holds: a prototype that would grant `isAdmin` and shadow `toString`. */
export const CHOSEN_PROTOTYPE = { isAdmin: true, polluted: 'yes', toString: 'shadowed' };

/** A JSON object with the three keys, as text (a Python peer may send any of them: they are valid dict keys). */
export const HOSTILE_KEYS_JSON =
  '{"__proto__": {"isAdmin": true, "polluted": "yes", "toString": "shadowed"}, ' +
  '"constructor": {"prototype": {"polluted": "yes"}}, "prototype": {"polluted": "yes"}}';

/** A fresh parsed copy of {@link HOSTILE_KEYS_JSON} (`JSON.parse` makes `__proto__` an own data property). */
export function hostileKeysObject(): Record<string, unknown> {
  return JSON.parse(HOSTILE_KEYS_JSON) as Record<string, unknown>;
}

/** Whether `Object.prototype` was polluted, in this realm. */
export function objectPrototypePolluted(): boolean {
  const probe = {} as Record<string, unknown>;
  return probe.polluted !== undefined || probe.isAdmin !== undefined;
}

/**
 * Asserts that `value` is a decoded copy of {@link HOSTILE_KEYS_JSON}: an object with `Object.prototype` (of any
 * realm) as its prototype and the three keys as own enumerable data, nothing inherited from the chosen prototype, and
 * `Object.prototype` untouched.
 */
export function expectHostileKeysKeptAsData(value: unknown): void {
  expect(typeof value).toBe('object');
  const record = value as Record<string, unknown>;
  const prototype = Object.getPrototypeOf(record) as object | null;
  expect(prototype).not.toBeNull();
  expect(Object.getPrototypeOf(prototype)).toBeNull();
  expect(Object.keys(record).sort()).toEqual(['__proto__', 'constructor', 'prototype']);
  expect({ ...(Object.getOwnPropertyDescriptor(record, '__proto__')?.value as object) }).toEqual(CHOSEN_PROTOTYPE);
  expect(record.isAdmin).toBeUndefined();
  expect(typeof record.toString).toBe('function');
  expect(Object.getOwnPropertyDescriptor(record, 'constructor')?.value).toEqual({ prototype: { polluted: 'yes' } });
  expect(objectPrototypePolluted()).toBe(false);
}
