export { Twine } from './twine';
export type { TwineOptions, StrandSources, ValidatedStrands } from './twine';
export type { ValuesOptions } from './values';
export {
  STRAND_NAMES,
  VALUES_STRANDS,
  MANIFEST_STRANDS,
  STRAND_ARGUMENTS,
  isStrandName,
  isValuesStrand,
  isManifestStrand,
  twineKeyOf,
} from './strands';
export type { StrandName, ValuesStrand, ManifestStrand, StrandArgument, TwineKey } from './strands';
export type {
  TwineStrands,
  ValuesSchemaStrand,
  ManifestStrandSpecification,
  DatasetSpecification,
  CredentialSpecification,
  ChildSpecification,
  ChildRecord,
  Environment,
  JsonSchemaObject,
} from './types';
export type { ManifestLike, DatasetLike, DatafileLike } from './manifest-like';
export { isManifestLike } from './manifest-like';
export { loadJsonSource, readJsonFile, parseJsonText } from './sources';
export type { JsonSource, SourceKind } from './sources';
export {
  TWINE_META_SCHEMA,
  MANIFEST_SCHEMA,
  CHILDREN_SCHEMA,
  MANIFEST_SCHEMA_ID,
  CHILDREN_SCHEMA_ID,
  registerTwineSchemas,
} from './schemas';
