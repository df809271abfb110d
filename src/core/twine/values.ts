import { InvalidMonitorMessage, InvalidValuesContents, TwineTypeException } from '../../errors';
import { validateWithSchema } from '../json-schema';
import { loadJsonSource } from './sources';
import type { ValuesStrand } from './strands';
import type { ValuesSchemaStrand } from './types';

/** Options for validating values. */
export interface ValuesOptions {
  /**
   * Fill in the `default`s of the strand's schema. The defaults go into a copy, never into the caller's object, and
   * the copy is returned. Default `true`.
   */
  readonly useDefaults?: boolean;
}

function copyOf(strand: ValuesStrand, value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch (error) {
    throw new TwineTypeException(
      `The ${strand} cannot be copied to fill in defaults: values must be JSON data (objects, arrays, strings, ` +
        `numbers, booleans, null), not ${(error as Error).message}.`,
      { strand, cause: error },
    );
  }
}

/**
 * Validates a values document (configuration, input or output values, or a monitor message) against its strand's
 * schema.
 * @param strand - The values strand.
 * @param schema - The twine's schema for the strand.
 * @param source - The values: any JSON value, a JSON string or a `.json` path. A monitor message is always taken as
 *   the value itself, because monitor messages come from code rather than from files.
 * @param options - Whether to fill in defaults (default `true`).
 * @returns The values, with defaults filled in when asked (a copy when the source was an object).
 * @throws InvalidValuesJson or TwineFileNotFound when the source cannot be loaded.
 * @throws TwineTypeException when defaults are asked for but the values are not copyable JSON data.
 * @throws InvalidValuesContents (or InvalidMonitorMessage for monitor messages) with every failing pointer.
 */
export function validateValuesData(
  strand: ValuesStrand,
  schema: ValuesSchemaStrand,
  source: unknown,
  options?: ValuesOptions,
): unknown {
  const useDefaults = options?.useDefaults ?? true;
  const isMonitorMessage = strand === 'monitor_message';
  const loaded = isMonitorMessage ? source : loadJsonSource(source, strand);
  // Parsed JSON is already a fresh object; anything the caller passed in is copied before defaults are written.
  const values = useDefaults && (isMonitorMessage || typeof source !== 'string') ? copyOf(strand, loaded) : loaded;
  const result = validateWithSchema(schema, values, { useDefaults });
  if (!result.valid) {
    const context = { strand, failures: result.failures, cause: result.errors };
    if (isMonitorMessage) {
      throw new InvalidMonitorMessage(
        "The monitor message does not satisfy the twine's monitor_message_schema.",
        context,
      );
    }
    throw new InvalidValuesContents(`The ${strand} do not satisfy the twine's ${strand}_schema.`, context);
  }
  return values;
}
