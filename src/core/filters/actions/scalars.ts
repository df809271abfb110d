import { casefold, compareNumeric, compareStrings, type Numeric } from '../equality';
import { aNumber, aString, anyValue } from '../values';
import {
  EQUALITY_ACTIONS,
  IDENTITY_ACTIONS,
  action,
  comparisonActions,
  complemented,
  type ActionTable,
} from './define';

/**
 * `null` and `undefined` (Python's `None`): `is`, `is_not`, `equals`, `not_equals`. JavaScript has two "nothing"
 * values where Python has one, so `equals` treats them as equal; `is` stays strict identity.
 */
export const NULL_ACTIONS: ActionTable<null | undefined> = {
  ...IDENTITY_ACTIONS,
  ...complemented({ equals: action(anyValue, (_item, value) => value === null || value === undefined) }),
};

/** Booleans: `is`, `is_not`, `equals`, `not_equals`. */
export const BOOLEAN_ACTIONS: ActionTable<boolean> = { ...IDENTITY_ACTIONS, ...EQUALITY_ACTIONS };

/**
 * Strings: equality and identity, case-insensitive equality (`iequals`), ordering by code point (`lt`, …,
 * `in_range`), substring tests and their case-insensitive forms, all with `not_` complements. `i*` actions compare
 * with `casefold` (Python's `str.casefold` approximated locale-independently).
 */
export const STRING_ACTIONS: ActionTable<string> = {
  ...EQUALITY_ACTIONS,
  ...IDENTITY_ACTIONS,
  ...comparisonActions(aString, compareStrings),
  ...complemented<string>({
    iequals: action(aString, (item, value) => casefold(item) === casefold(value)),
    contains: action(aString, (item, value) => item.includes(value)),
    icontains: action(aString, (item, value) => casefold(item).includes(casefold(value))),
    starts_with: action(aString, (item, value) => item.startsWith(value)),
    ends_with: action(aString, (item, value) => item.endsWith(value)),
  }),
};

/** Numbers and bigints: equality, identity and ordering (`lt`, `lte`, `gt`, `gte`, inclusive `in_range`). */
export const NUMBER_ACTIONS: ActionTable<Numeric> = {
  ...EQUALITY_ACTIONS,
  ...IDENTITY_ACTIONS,
  ...comparisonActions(aNumber, compareNumeric),
};
