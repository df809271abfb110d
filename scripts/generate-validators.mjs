#!/usr/bin/env node
// Precompiles Skein's fixed JSON Schemas (the twine meta-schema, the manifest and children schemas, the
// service-communication schema) into validator modules with Ajv's standalone code generation, so a cold start neither
// loads Ajv nor compiles them (about 170 ms on the first event on a quiet machine, 370 ms on a busy one). User schemas
// (a twine's strands) still compile at run time.
// The modules are JavaScript (CommonJS, as Ajv writes it) with a typed declaration file each: generated code, kept out
// of the TypeScript sources (tsconfig.build.json has allowJs so tsc copies them to dist/).
//
//   node scripts/generate-validators.mjs                    write src/core/generated/*.js and *.d.ts
//   node scripts/generate-validators.mjs --check            exit 1 naming every committed module that is stale
//   node scripts/generate-validators.mjs --check --dir D    compare the modules in D instead (used by the unit test)
//
// Run it after changing one of those schemas or upgrading ajv / ajv-formats; test/unit/core/generated fails until then.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;
const standaloneCode = require('ajv/dist/standalone').default;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GENERATED_DIR = 'src/core/generated';

// The twine meta-schema has no `$id`; the generator names it with this key (it appears only in a source comment).
const TWINE_META_SCHEMA_KEY = 'urn:skein:schema:twine-meta-schema';
const SERVICE_COMMUNICATION_ID = 'urn:skein:schema:service-communication:0.15.0';

/** One generated module: the schemas it holds and the validators it exports. */
const MODULES = [
  {
    file: 'twine-validators',
    schemas: [
      { path: 'src/core/twine/schemas/twine.schema.json', key: TWINE_META_SCHEMA_KEY },
      { path: 'src/core/twine/schemas/manifest.schema.json' },
      { path: 'src/core/twine/schemas/children.schema.json' },
    ],
    exports: [
      {
        name: 'validateTwineMetaSchema',
        ref: TWINE_META_SCHEMA_KEY,
        doc: 'Checks a twine against the twine meta-schema (src/core/twine/schemas/twine.schema.json).',
      },
      {
        name: 'validateManifestSchema',
        ref: 'https://jsonschema.registry.octue.com/octue/manifest/0.1.0.json',
        doc: 'Checks manifest data against the manifest schema (src/core/twine/schemas/manifest.schema.json).',
      },
      {
        name: 'validateChildrenSchema',
        ref: 'https://jsonschema.registry.octue.com/octue/children/0.2.0.json',
        doc: 'Checks the children given to a service against the children schema (src/core/twine/schemas/children.schema.json).',
      },
    ],
  },
  {
    file: 'event-validators',
    schemas: [{ path: 'src/core/events/schemas/service-communication.schema.json' }],
    exports: [
      {
        name: 'validateServiceCommunication',
        ref: SERVICE_COMMUNICATION_ID,
        doc: 'Checks `{event, attributes}` against the service-communication schema (src/core/events/schemas).',
      },
      {
        name: 'validateEventAttributes',
        ref: `${SERVICE_COMMUNICATION_ID}#/$defs/attributes`,
        doc: "Checks decoded attributes on their own against the service-communication schema's `$defs/attributes`.",
      },
    ],
  },
];

const versionOf = (name) => require(`${name}/package.json`).version;

// The same options as the run-time instances in src/core/json-schema/ajv-instances.ts (every failure, third-party
// keywords allowed, no defaults filled in), plus source generation; ajv-formats' full formats as addFormats gives them.
function createAjv() {
  const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: false, code: { source: true, esm: true } });
  addFormats(ajv);
  return ajv;
}

// Standalone code exports `export const <name> = validateN;`; those lines become CommonJS exports at the end, typed
// by the declaration file written beside the module.
function commonJsExports(code, exports) {
  let body = code.replace(/^"use strict";/, '');
  const assignments = exports.map(({ name }) => {
    const pattern = new RegExp(`export const ${name} = (validate\\d+);`);
    const match = pattern.exec(body);
    if (match === null) {
      throw new Error(`Ajv's standalone code has no export named ${name}; has its output format changed?`);
    }
    body = body.replace(match[0], '');
    return `exports.${name} = ${match[1]};`;
  });
  if (/\bexport\b/.test(body.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) {
    throw new Error("Ajv's standalone code has exports the generator does not know about.");
  }
  return { body, assignments };
}

// The header both files carry: what they are made from and how to make them again.
function header(module) {
  return [
    '// GENERATED by scripts/generate-validators.mjs (Ajv standalone code) - do not edit.',
    '// Schemas (draft 2020-12):',
    ...module.schemas.map(({ path }) => `//   ${path}`),
    `// Made with ajv ${versionOf('ajv')} and ajv-formats ${versionOf('ajv-formats')}. After changing a schema or upgrading either`,
    '// package, run `node scripts/generate-validators.mjs`; test/unit/core/generated fails while this file is stale.',
  ];
}

async function formatted(text, file) {
  const target = join(root, GENERATED_DIR, file);
  return format(text, { ...(await resolveConfig(target)), filepath: target });
}

/**
 * Generates one module: Ajv's JavaScript (CommonJS, so tsc and jest load it as it is) and its typed declarations,
 * formatted as the repository's prettier configuration asks.
 * @param {(typeof MODULES)[number]} module - The module to generate.
 * @returns {Promise<[string, string][]>} `[file name, text]` of the `.js` and `.d.ts` files.
 */
async function generateModule(module) {
  const ajv = createAjv();
  for (const { path, key } of module.schemas) {
    ajv.addSchema(JSON.parse(readFileSync(join(root, path), 'utf8')), key);
  }
  const code = standaloneCode(ajv, Object.fromEntries(module.exports.map(({ name, ref }) => [name, ref])));
  const { body, assignments } = commonJsExports(code, module.exports);
  const js = ['/* eslint-disable */', ...header(module), "'use strict';", '', body, '', ...assignments, ''].join('\n');
  const declarations = [
    ...header(module),
    "import type { PrecompiledValidator } from '../json-schema';",
    '',
    ...module.exports.map(({ name, doc }) => `/** ${doc} */\nexport declare const ${name}: PrecompiledValidator;`),
    '',
  ].join('\n');
  return [
    [`${module.file}.js`, await formatted(js, `${module.file}.js`)],
    [`${module.file}.d.ts`, await formatted(declarations, `${module.file}.d.ts`)],
  ];
}

/**
 * Generates every module.
 * @returns {Promise<Map<string, string>>} Source text by file name.
 */
export async function generateValidators() {
  const sources = new Map();
  for (const module of MODULES) {
    for (const [file, text] of await generateModule(module)) sources.set(file, text);
  }
  return sources;
}

async function main(argv) {
  const check = argv.includes('--check');
  const dirIndex = argv.indexOf('--dir');
  const dir = dirIndex === -1 ? join(root, GENERATED_DIR) : resolve(argv[dirIndex + 1] ?? '');
  const sources = await generateValidators();
  if (check) {
    const stale = [...sources].filter(([file, text]) => {
      const path = join(dir, file);
      return !existsSync(path) || readFileSync(path, 'utf8') !== text;
    });
    for (const [file] of stale) {
      process.stderr.write(`stale: ${join(dir, file)} (run: node scripts/generate-validators.mjs)\n`);
    }
    return stale.length === 0 ? 0 : 1;
  }
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of sources) {
    writeFileSync(join(dir, file), text);
    process.stdout.write(`wrote ${relative(process.cwd(), join(dir, file))}\n`);
  }
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
