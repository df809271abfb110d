import { InvalidValuesContents } from '../../errors';
import type { ValidationFailure } from '../../errors';
import { validateChildrenSchema } from '../generated/twine-validators';
import { joinPointer, validateWithPrecompiled } from '../json-schema';
import { loadJsonSource } from './sources';
import type { ChildRecord, ChildSpecification } from './types';

/**
 * Validates the children given to a service: their shape against the children schema, then that every key the
 * twine's children strand lists has at least one child and that every child's key is listed.
 * @param spec - The twine's children strand (`undefined` when the twine has none, so any child is unexpected).
 * @param source - The children: an array, a JSON string or a `.json` path.
 * @returns The loaded children.
 * @throws InvalidValuesJson or TwineFileNotFound when the source cannot be loaded.
 * @throws InvalidValuesContents (strand `children`, with every failing pointer) when any check fails.
 */
export function validateChildrenData(spec: readonly ChildSpecification[] | undefined, source: unknown): ChildRecord[] {
  const children = loadJsonSource(source, 'children');
  const shape = validateWithPrecompiled(validateChildrenSchema, children);
  if (!shape.valid) {
    throw new InvalidValuesContents('The children are not valid (Octue children 0.2.0 shape).', {
      strand: 'children',
      failures: shape.failures,
      cause: shape.errors,
    });
  }
  const records = children as ChildRecord[];
  const expected = new Set((spec ?? []).map((child) => child.key));
  const given = new Set(records.map((child) => child.key));
  const failures: ValidationFailure[] = [
    ...[...expected]
      .filter((key) => !given.has(key))
      .map((key) => ({
        pointer: '',
        message: `has no child with the key '${key}' that the twine's children strand lists`,
        keyword: 'required',
      })),
    ...records.flatMap((child, index) =>
      expected.has(child.key)
        ? []
        : [
            {
              pointer: joinPointer('', index, 'key'),
              message: `'${child.key}' is not a key in the twine's children strand`,
              keyword: 'enum',
            },
          ],
    ),
  ];
  if (failures.length > 0) {
    throw new InvalidValuesContents("The children do not match the keys in the twine's children strand.", {
      strand: 'children',
      failures,
    });
  }
  return records;
}
