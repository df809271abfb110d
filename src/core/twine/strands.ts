/** Strands whose twine entry is a JSON Schema for a values document (the twine key adds `_schema`). */
export const VALUES_STRANDS = ['configuration_values', 'input_values', 'output_values', 'monitor_message'] as const;

/** Strands whose twine entry lists the datasets a manifest must hold. */
export const MANIFEST_STRANDS = ['configuration_manifest', 'input_manifest', 'output_manifest'] as const;

/** Every strand a twine can have, in Octue's names. */
export const STRAND_NAMES = [...VALUES_STRANDS, ...MANIFEST_STRANDS, 'credentials', 'children'] as const;

/** A values strand, e.g. `input_values`. */
export type ValuesStrand = (typeof VALUES_STRANDS)[number];

/** A manifest strand, e.g. `input_manifest`. */
export type ManifestStrand = (typeof MANIFEST_STRANDS)[number];

/** Any strand name. */
export type StrandName = (typeof STRAND_NAMES)[number];

/** The key a strand has in `twine.json`: values strands add `_schema` (`input_values_schema`). */
export type TwineKey = `${ValuesStrand}_schema` | ManifestStrand | 'credentials' | 'children';

/** The camelCase names {@link Twine.validate} takes, by strand. */
export const STRAND_ARGUMENTS = {
  configurationValues: 'configuration_values',
  configurationManifest: 'configuration_manifest',
  inputValues: 'input_values',
  inputManifest: 'input_manifest',
  outputValues: 'output_values',
  outputManifest: 'output_manifest',
  monitorMessage: 'monitor_message',
  credentials: 'credentials',
  children: 'children',
} as const satisfies Record<string, StrandName>;

/** A camelCase strand argument, e.g. `inputValues`. */
export type StrandArgument = keyof typeof STRAND_ARGUMENTS;

/**
 * Whether a value names a strand.
 * @param name - Untrusted input.
 * @returns `true` for one of {@link STRAND_NAMES}.
 */
export function isStrandName(name: unknown): name is StrandName {
  return typeof name === 'string' && (STRAND_NAMES as readonly string[]).includes(name);
}

/**
 * Whether a strand is a values strand.
 * @param name - A strand name.
 * @returns `true` for one of {@link VALUES_STRANDS}.
 */
export function isValuesStrand(name: unknown): name is ValuesStrand {
  return typeof name === 'string' && (VALUES_STRANDS as readonly string[]).includes(name);
}

/**
 * Whether a strand is a manifest strand.
 * @param name - A strand name.
 * @returns `true` for one of {@link MANIFEST_STRANDS}.
 */
export function isManifestStrand(name: unknown): name is ManifestStrand {
  return typeof name === 'string' && (MANIFEST_STRANDS as readonly string[]).includes(name);
}

/**
 * The key a strand has in `twine.json`.
 * @param strand - A strand name.
 * @returns `input_values_schema` for `input_values`, the name itself for other strands.
 */
export function twineKeyOf(strand: StrandName): TwineKey {
  return isValuesStrand(strand) ? `${strand}_schema` : strand;
}
