import type { JSONSchema4 } from 'json-schema';

import { setOwnProperty } from '../core/json/own-property';
import type { Twine } from '../core/twine';
import type { ManifestStrandSpecification } from '../core/twine';

/** Options of {@link generateTwineTypes}. */
export interface TwineTypesOptions {
  /** Where the twine came from, named in the file's header, e.g. `twine.json`. */
  readonly source?: string;
  /** The module `Analysis` and `ChildLike` are imported from; default `skein`. */
  readonly sdkModule?: string;
}

/** The values strands, the name of each one's type, and the Analysis property that holds it. */
const VALUES_TYPES = [
  { key: 'configuration_values_schema', type: 'ConfigurationValues', property: 'configurationValues' },
  { key: 'input_values_schema', type: 'InputValues', property: 'inputValues' },
  { key: 'output_values_schema', type: 'OutputValues', property: 'outputValues' },
  { key: 'monitor_message_schema', type: 'MonitorMessage', property: undefined },
] as const;

const MANIFEST_TYPES = [
  { key: 'configuration_manifest', type: 'ConfigurationManifest' },
  { key: 'input_manifest', type: 'InputManifest' },
  { key: 'output_manifest', type: 'OutputManifest' },
] as const;

const ROOT_NAME = 'TwineStrandTypes';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pascalCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
  const joined = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

/**
 * Copies a strand's schema into the combined schema: local `$ref`s are re-rooted under its definition, and references
 * to other documents become `unknown` (the generator must never fetch schemas over the network; Skein validates
 * them at run time).
 */
function relocate(schema: unknown, definition: string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => relocate(item, definition));
  if (!isRecord(schema)) return schema;
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    if (ref.startsWith('#')) return { ...schema, $ref: `#/definitions/${definition}${ref.slice(1)}` };
    return { tsType: 'unknown', description: `Defined by the schema at ${ref} (checked when the service runs).` };
  }
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) setOwnProperty(copy, key, relocate(value, definition));
  return copy;
}

function strandSchema(schema: Readonly<Record<string, unknown>>, name: string): JSONSchema4 {
  // `optional` is twine syntax, not JSON Schema; the root `$id`/`$schema` would re-base references.
  const { optional: _optional, $id: _id, $schema: _schema, title, description, ...rest } = schema;
  const relocated = relocate(rest, name) as Record<string, unknown>;
  const summary = [title, description].filter((part): part is string => typeof part === 'string').join(': ');
  return { ...relocated, title: name, ...(summary === '' ? {} : { description: summary }) } as JSONSchema4;
}

// Single-quoted string literals, as the formatted declarations have.
function literal(value: string): string {
  return `'${JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

function literalUnion(values: readonly string[]): string {
  return values.length === 0 ? 'never' : values.map(literal).join(' | ');
}

interface Collected {
  readonly definitions: Record<string, JSONSchema4>;
  readonly properties: Record<string, JSONSchema4>;
  readonly required: string[];
  readonly extra: string[];
  readonly analysis: string[];
}

function collectValues(twine: Twine, into: Collected): void {
  const strands = twine.strands as Readonly<Record<string, unknown>>;
  for (const { key, type, property } of VALUES_TYPES) {
    const schema = strands[key];
    if (!isRecord(schema)) continue;
    into.definitions[type] = strandSchema(schema, type);
    const name = property ?? 'monitorMessage';
    into.properties[name] = { $ref: `#/definitions/${type}` };
    const optional = schema.optional === true;
    if (!optional) into.required.push(name);
    if (property !== undefined) {
      const readonly = property === 'outputValues' ? '' : 'readonly ';
      into.analysis.push(`  ${readonly}${property}: ${type}${optional ? ' | undefined' : ''};`);
    }
  }
}

function collectManifests(twine: Twine, into: Collected): void {
  const strands = twine.strands as Readonly<Record<string, unknown>>;
  for (const { key, type } of MANIFEST_TYPES) {
    const strand = strands[key] as ManifestStrandSpecification | undefined;
    if (!isRecord(strand) || !isRecord(strand.datasets)) continue;
    const keys = Object.keys(strand.datasets);
    into.extra.push(
      `/** The keys of the datasets the ${key} holds (\`analysis.${type.charAt(0).toLowerCase()}${type.slice(1)}` +
        `.getDataset(key)\`). */`,
      `export type ${type}DatasetKey = ${literalUnion(keys)};`,
      '',
    );
    for (const [datasetKey, specification] of Object.entries(strand.datasets)) {
      const template = specification.file_tags_template;
      if (!isRecord(template) || typeof template.$ref === 'string') continue;
      const name = `${type}${pascalCase(datasetKey)}FileTags`;
      into.definitions[name] = strandSchema(template, name);
      into.properties[`${type.charAt(0).toLowerCase()}${type.slice(1)}${pascalCase(datasetKey)}FileTags`] = {
        $ref: `#/definitions/${name}`,
      };
    }
  }
}

function collectNames(twine: Twine, into: Collected): void {
  const strands = twine.strands;
  if (strands.children !== undefined) {
    const keys = strands.children.map((child) => child.key);
    into.extra.push(`/** The keys of the children this service asks (\`analysis.children[key]\`). */`);
    into.extra.push(`export type ChildKey = ${literalUnion(keys)};`, '');
    into.analysis.push('  readonly children: Readonly<Record<ChildKey, ChildLike>>;');
  }
  if (strands.credentials !== undefined) {
    const names = strands.credentials.map((credential) => credential.name);
    into.extra.push(`/** The names of the credentials this service needs (\`analysis.credentials[name]\`). */`);
    into.extra.push(`export type CredentialName = ${literalUnion(names)};`, '');
    into.analysis.push('  readonly credentials: Readonly<Record<CredentialName, string>>;');
  }
}

/**
 * Generates TypeScript declarations for a twine: one type per values strand (`ConfigurationValues`, `InputValues`,
 * `OutputValues`, `MonitorMessage`) and per file tags template, unions of the dataset keys, child keys and credential
 * names, and `TypedAnalysis`, the `Analysis` an app receives with those types in place, so an app declared as
 * `run(analysis: TypedAnalysis)` gets typed `analysis.inputValues` and friends.
 * @param twine - The twine (already checked against the meta-schema).
 * @param options - The source named in the header and the module to import Skein's types from.
 * @returns The text of a `.d.ts`/`.ts` module.
 * @throws Whatever json-schema-to-typescript throws for a schema it cannot turn into types.
 */
export async function generateTwineTypes(twine: Twine, options: TwineTypesOptions = {}): Promise<string> {
  const collected: Collected = { definitions: {}, properties: {}, required: [], extra: [], analysis: [] };
  collectValues(twine, collected);
  collectManifests(twine, collected);
  collectNames(twine, collected);
  const root: JSONSchema4 = {
    title: ROOT_NAME,
    description: 'Every typed strand of the twine, by the name an app uses for it.',
    type: 'object',
    additionalProperties: false,
    properties: collected.properties,
    required: collected.required,
    definitions: collected.definitions,
  };
  // Loaded only here: the generator and the formatter it brings are large, and no other command needs them.
  const { compile } = await import('json-schema-to-typescript');
  const declarations = await compile(root, ROOT_NAME, {
    bannerComment: '',
    unknownAny: true,
    strictIndexSignatures: true,
    declareExternallyReferenced: true,
    unreachableDefinitions: true,
    format: true,
    style: { singleQuote: true, printWidth: 120 },
    $refOptions: { resolve: { http: false, file: false } },
  });
  const source = options.source ?? 'the twine';
  const sdk = options.sdkModule ?? 'skein';
  const imports = collected.analysis.some((line) => line.includes('ChildLike')) ? 'Analysis, ChildLike' : 'Analysis';
  return [
    '/* eslint-disable */',
    `// TypeScript types for the strands of ${source}, generated by \`skein twine types\`.`,
    '// Do not edit: change the twine and generate this file again.',
    `import type { ${imports} } from '${sdk}';`,
    '',
    declarations.trim(),
    '',
    ...collected.extra,
    '/** The analysis an app of this service receives, with the strands of its twine typed. */',
    collected.analysis.length === 0
      ? 'export type TypedAnalysis = Analysis;'
      : 'export type TypedAnalysis = Analysis & {',
    ...(collected.analysis.length === 0 ? [] : [...collected.analysis, '};']),
    '',
  ].join('\n');
}
