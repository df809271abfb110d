export { SCHEMA_DIALECTS, DEFAULT_SCHEMA_DIALECT, DIALECT_URIS, schemaDialectOf } from './dialects';
export type { SchemaDialect } from './dialects';
export { registerSchema, registerTrustedSchema, isSchemaRegistered } from './ajv-instances';
export type { IdentifiedSchema } from './ajv-instances';
export { checkSchema, compileSchema, validateWithSchema } from './compile';
export type { SchemaOptions, SchemaValidationResult, SchemaValidator } from './compile';
export { toValidationFailures, escapePointerToken, joinPointer } from './failures';
export { validateWithPrecompiled } from './precompiled';
export type { PrecompiledValidator } from './precompiled';
