import { asMapLike, isIterable, isPlainObject, type SetLike } from '../collection-kinds';
import { casefold, deepEqual } from '../equality';
import { aString, anyValue } from '../values';
import { EQUALITY_ACTIONS, IDENTITY_ACTIONS, action, complemented, type ActionTable } from './define';

/** What `in` looks through, as in Python: a dict's keys, any other iterable's members. */
function membersOf(item: object): Iterable<unknown> {
  const map = asMapLike(item);
  if (map) return map.keys();
  if (isPlainObject(item)) return Object.keys(item);
  return isIterable(item) ? item : [];
}

function someMember(item: object, test: (member: unknown) => boolean): boolean {
  for (const member of membersOf(item)) {
    if (test(member)) return true;
  }
  return false;
}

/**
 * Iterables (arrays, `Map`s, `FilterDict`s, plain objects, other iterables): equality, identity, `contains` (Python's
 * `in`: membership by `==`, or key presence for dicts) and `icontains`. Octue's own `icontains` calls `casefold` on
 * the container and so always fails for lists; Skein defines it as case-insensitive membership of string members
 * (or keys), the meaning its name and `contains` suggest.
 */
export const ITERABLE_ACTIONS: ActionTable<object> = {
  ...EQUALITY_ACTIONS,
  ...IDENTITY_ACTIONS,
  ...complemented<object>({
    contains: action(anyValue, (item, value) => someMember(item, (member) => deepEqual(member, value))),
    icontains: action(aString, (item, value) => {
      const folded = casefold(value);
      return someMember(item, (member) => typeof member === 'string' && casefold(member) === folded);
    }),
  }),
};

function someLabel(labels: SetLike, test: (label: string) => boolean): boolean {
  for (const label of labels) {
    if (typeof label === 'string' && test(label)) return true;
  }
  return false;
}

/**
 * Sets (any `Set`, notably a `LabelSet`): equality, identity, `contains` (membership) and the `any_label_*` substring
 * tests over the string members, each with a `not_` complement.
 */
export const LABEL_SET_ACTIONS: ActionTable<SetLike> = {
  ...EQUALITY_ACTIONS,
  ...IDENTITY_ACTIONS,
  ...complemented<SetLike>({
    contains: action(anyValue, (labels, value) => labels.has(value)),
    any_label_contains: action(aString, (labels, value) => someLabel(labels, (label) => label.includes(value))),
    any_label_starts_with: action(aString, (labels, value) => someLabel(labels, (label) => label.startsWith(value))),
    any_label_ends_with: action(aString, (labels, value) => someLabel(labels, (label) => label.endsWith(value))),
  }),
};

/**
 * Other objects (class instances that are not iterable, e.g. a nested resource): `equals`, `not_equals`, `is`,
 * `is_not`. Octue has no filters for such values; these let a filter compare a nested object as a whole.
 */
export const OBJECT_ACTIONS: ActionTable<object> = { ...EQUALITY_ACTIONS, ...IDENTITY_ACTIONS };
