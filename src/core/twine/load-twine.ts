import { InvalidSchema, InvalidTwineContents, TwineTypeException, TwineVersionConflict } from '../../errors';
import type { ValidationFailure } from '../../errors';
import { validateTwineMetaSchema } from '../generated/twine-validators';
import { compileSchema, joinPointer, validateWithPrecompiled } from '../json-schema';
import { loadJsonSource } from './sources';
import { STRAND_NAMES, VALUES_STRANDS, MANIFEST_STRANDS, twineKeyOf } from './strands';
import type { TwineStrands } from './types';

const KNOWN_KEYS = STRAND_NAMES.map(twineKeyOf).join(', ');

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
  }
  return value;
}

function copyOf(loaded: unknown): unknown {
  try {
    return structuredClone(loaded);
  } catch (error) {
    throw new TwineTypeException(`A twine must be JSON data, but it holds ${(error as Error).message}.`, {
      strand: 'twine',
      cause: error,
    });
  }
}

// An unknown top-level key is almost always a misspelt strand, so say which keys are allowed.
function explain(failure: ValidationFailure): ValidationFailure {
  const isTopLevel = failure.pointer.lastIndexOf('/') === 0;
  return failure.keyword === 'additionalProperties' && isTopLevel
    ? { ...failure, message: `is not a strand of a twine (expected one of ${KNOWN_KEYS})` }
    : failure;
}

// The meta-schema is precompiled (src/core/generated), so checking a twine loads no Ajv and compiles nothing.
function checkMetaSchema(twine: unknown): void {
  const result = validateWithPrecompiled(validateTwineMetaSchema, twine);
  if (!result.valid) {
    throw new InvalidTwineContents('The twine does not satisfy the twine meta-schema.', {
      strand: 'twine',
      failures: result.failures.map(explain),
      cause: result.errors,
    });
  }
}

function compileProblems(
  schema: unknown,
  pointer: string,
  useDefaults: boolean,
): { failures: ValidationFailure[]; cause?: unknown } {
  try {
    // Compile the variant validation will use first: values fill in defaults, file tags never do.
    compileSchema(schema, { useDefaults });
    return { failures: [] };
  } catch (error) {
    if (!(error instanceof InvalidSchema)) {
      throw error;
    }
    const failures = error.failures.length > 0 ? error.failures : [{ pointer: '', message: error.message }];
    return {
      failures: failures.map((failure) => ({ ...failure, pointer: pointer + failure.pointer })),
      cause: error,
    };
  }
}

// Compiling every schema in the twine up front turns a broken strand schema into an error when the twine is loaded,
// rather than when the first question arrives.
function checkStrandSchemas(strands: TwineStrands): void {
  const problems = [
    ...VALUES_STRANDS.flatMap((strand) => {
      const schema = strands[`${strand}_schema`];
      return schema === undefined ? [] : [compileProblems(schema, joinPointer('', `${strand}_schema`), true)];
    }),
    ...MANIFEST_STRANDS.flatMap((strand) =>
      Object.entries(strands[strand]?.datasets ?? {}).flatMap(([key, dataset]) =>
        dataset.file_tags_template === undefined
          ? []
          : [
              compileProblems(
                dataset.file_tags_template,
                joinPointer('', strand, 'datasets', key, 'file_tags_template'),
                false,
              ),
            ],
      ),
    ),
  ];
  const failures = problems.flatMap((problem) => problem.failures);
  if (failures.length > 0) {
    throw new InvalidTwineContents('The twine holds JSON Schemas that cannot be used.', {
      strand: 'twine',
      failures,
      cause: problems.map((problem) => problem.cause).filter((cause) => cause !== undefined),
    });
  }
}

/**
 * Loads a twine and checks it: JSON, the twine meta-schema, every schema inside it, and (when asked) its
 * `twined_version`.
 * @param source - The twine: an object, a JSON string or a `.json` path.
 * @param twinedVersion - When given, the version the twine's `twined_version` (if any) must equal.
 * @returns A deep-frozen copy of the twine's JSON.
 * @throws TwineFileNotFound, InvalidTwineJson, InvalidTwineContents, TwineTypeException or TwineVersionConflict.
 */
export function loadTwine(source: unknown, twinedVersion?: string): Readonly<Record<string, unknown>> {
  const twine = copyOf(loadJsonSource(source, 'twine'));
  checkMetaSchema(twine);
  const raw = deepFreeze(twine as Record<string, unknown>);
  checkStrandSchemas(raw as TwineStrands);
  const declared = raw.twined_version;
  if (twinedVersion !== undefined && declared !== undefined && declared !== twinedVersion) {
    throw new TwineVersionConflict(
      `The twine requires twined version ${String(declared)} but this is version ${twinedVersion}.`,
      { strand: 'twine' },
    );
  }
  return raw;
}
