import { inspect } from 'node:util';

import { BrokenSequenceException, FilterAttributeNotFound, InvalidInputException } from '../../errors';
import { lookupPath } from './attributes';
import { typeNameOf } from './collection-kinds';
import { compareNumeric, compareStrings, deepEqual, isNumeric, type Numeric } from './equality';
import type { OrderByOptions } from './types';

const show = (value: unknown): string => inspect(value, { breakLength: Infinity });

/** Booleans order as 0 and 1, as Python's `bool` is an `int`. */
function asOrderedNumber(value: unknown): Numeric | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return isNumeric(value) ? value : undefined;
}

/**
 * Python's `<` for sort keys: numbers (and bigints and booleans) numerically, strings by code point, dates by
 * instant, arrays lexicographically (so `[]` < `['Kitty']` < `['Scatta', 'Catta']`).
 * @throws InvalidInputException for values that cannot be ordered against each other (Python's `TypeError`).
 */
export function compareForOrdering(a: unknown, b: unknown, attributeName: string): number {
  const [numberA, numberB] = [asOrderedNumber(a), asOrderedNumber(b)];
  if (numberA !== undefined && numberB !== undefined) return compareNumeric(numberA, numberB);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
      if (!deepEqual(a[i], b[i])) return compareForOrdering(a[i], b[i], attributeName);
    }
    return a.length - b.length;
  }
  throw new InvalidInputException(
    `Cannot order by '${attributeName}': values of type ${typeNameOf(a)} and ${typeNameOf(b)} cannot be compared ` +
      `(order by numbers, strings, Dates or arrays of them).`,
  );
}

function checkIncrements(keys: readonly unknown[], increment: Numeric, attributeName: string): void {
  for (let i = 1; i < keys.length; i += 1) {
    const [previous, current] = [keys[i - 1], keys[i]];
    if (!isNumeric(previous) || !isNumeric(current)) {
      throw new InvalidInputException(
        `Cannot check a constant increment of '${attributeName}': its values must be numbers or bigints, not ` +
          `${typeNameOf(previous)} and ${typeNameOf(current)}.`,
      );
    }
    const step =
      typeof previous === typeof current
        ? (current as number) - (previous as number)
        : Number(current) - Number(previous);
    if (compareNumeric(step, increment) !== 0) {
      throw new BrokenSequenceException(
        `The values of '${attributeName}' do not rise by a constant ${show(increment)}: item ${i - 1} has ` +
          `${show(previous)} and item ${i} has ${show(current)}.`,
      );
    }
  }
}

/**
 * Orders entries by an attribute of their subjects (Octue's `order_by`), optionally checking the sequence.
 * @param entries - The container's entries.
 * @param attributeName - The attribute to order by; nested names are separated by `__` (or `.`, as Octue accepts).
 * @param options - See {@link OrderByOptions}.
 * @param subjectOf - The part of an entry holding the attribute (a `FilterDict` orders by its values).
 * @returns The entries in order; equal keys keep their original relative order, also when reversed (as in Python).
 * @throws FilterAttributeNotFound when an entry lacks the attribute; InvalidInputException when the values cannot be
 * compared; BrokenSequenceException when a requested check fails.
 */
export function orderEntries<E>(
  entries: Iterable<E>,
  attributeName: string,
  options: OrderByOptions,
  subjectOf: (entry: E) => unknown,
): E[] {
  const path = attributeName.split(/__|\./);
  if (path.some((segment) => segment === '')) {
    throw new InvalidInputException(`Invalid attribute name '${attributeName}' to order by: it has an empty part.`);
  }
  const keyed = [...entries].map((entry) => {
    const key = lookupPath(subjectOf(entry), path);
    if (!key.found) {
      throw new FilterAttributeNotFound(
        `Cannot order by '${attributeName}': an item of type ${typeNameOf(subjectOf(entry))} has no such attribute ` +
          `or key.`,
        { attributeName: path.join('__') },
      );
    }
    return { entry, key: key.value };
  });
  const direction = options.reverse ? -1 : 1;
  keyed.sort((a, b) => direction * compareForOrdering(a.key, b.key, attributeName));

  if (options.checkStartValue !== undefined) {
    const first = keyed[0];
    if (!first || !deepEqual(first.key, options.checkStartValue)) {
      const actual = first ? `the first item has ${show(first.key)}` : 'there are no items';
      throw new BrokenSequenceException(
        `Expected the sequence ordered by '${attributeName}' to start at ${show(options.checkStartValue)}, but ${actual}.`,
      );
    }
  }
  if (options.checkConstantIncrement !== undefined) {
    checkIncrements(
      keyed.map(({ key }) => key),
      options.checkConstantIncrement,
      attributeName,
    );
  }
  return keyed.map(({ entry }) => entry);
}
