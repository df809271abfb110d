import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import {
  SERVICE_COMMUNICATION_SCHEMA,
  SERVICE_COMMUNICATION_SCHEMA_ID,
  decodeEvent,
} from '../../../../src/core/events';
import { validateEventAttributes, validateServiceCommunication } from '../../../../src/core/generated/event-validators';
import {
  validateChildrenSchema,
  validateManifestSchema,
  validateTwineMetaSchema,
} from '../../../../src/core/generated/twine-validators';
import {
  checkSchema,
  compileSchema,
  registerSchema,
  toValidationFailures,
  validateWithPrecompiled,
} from '../../../../src/core/json-schema';
import type { PrecompiledValidator, SchemaValidationResult } from '../../../../src/core/json-schema';
import { CHILDREN_SCHEMA, MANIFEST_SCHEMA, TWINE_META_SCHEMA } from '../../../../src/core/twine';
import { CHILD_ATTRIBUTES, QUESTION_ATTRIBUTES } from '../../../helpers/event-samples';

const ROOT = resolve(__dirname, '../../../..');
const SCRIPT = join(ROOT, 'scripts/generate-validators.mjs');
const GENERATED = join(ROOT, 'src/core/generated');
const FIXTURES = join(ROOT, 'test/fixtures/octue');

const readJson = (...segments: string[]): unknown => JSON.parse(readFileSync(join(...segments), 'utf8'));

function runCheck(...args: string[]): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [SCRIPT, '--check', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

// The same schema compiled at run time by src/core/json-schema, for comparison with the precompiled validator.
function atRunTime(schema: unknown, data: unknown): SchemaValidationResult {
  const validator = compileSchema(schema);
  if (validator(data) === true) {
    return { valid: true, failures: [], errors: [] };
  }
  const errors = [...(validator.errors ?? [])];
  return { valid: false, failures: toValidationFailures(errors), errors };
}

// Ajv's errors without `schemaPath`, which names the schema location and differs when the run-time validator reaches
// the same rules through a `$ref` wrapper.
const errorSummary = (result: SchemaValidationResult) =>
  result.errors.map(({ instancePath, keyword, params, message }) => ({ instancePath, keyword, params, message }));

function expectSameAsRunTime(validator: PrecompiledValidator, schema: unknown, data: unknown, valid: boolean): void {
  const precompiled = validateWithPrecompiled(validator, data);
  const runTime = atRunTime(schema, data);
  expect(precompiled.valid).toBe(valid);
  expect(runTime.valid).toBe(valid);
  expect(precompiled.failures).toEqual(runTime.failures);
  expect(errorSummary(precompiled)).toEqual(errorSummary(runTime));
}

/** A named document, and whether it satisfies the schema. */
type Case = [name: string, data: unknown, valid: boolean];

const SERIALISED_DATASET = {
  id: 'd',
  name: 'dataset',
  tags: {},
  labels: ['a'],
  files: ['gs://bucket/a.csv', { id: 'f', path: 'gs://bucket/b.csv', timestamp: null, tags: {}, labels: [] }],
};

describe('Script: generate-validators.mjs', () => {
  it('finds the committed validators up to date with their schemas and the installed ajv', () => {
    const { status, stderr } = runCheck();
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('names each validator module that was edited or is missing', () => {
    const copy = mkdtempSync(join(tmpdir(), 'skein-generated-'));
    try {
      for (const file of readdirSync(GENERATED)) {
        copyFileSync(join(GENERATED, file), join(copy, file));
      }
      writeFileSync(
        join(copy, 'event-validators.js'),
        `${readFileSync(join(copy, 'event-validators.js'), 'utf8')}//\n`,
      );
      unlinkSync(join(copy, 'twine-validators.d.ts'));
      const { status, stderr } = runCheck('--dir', copy);
      expect(status).toBe(1);
      expect(stderr).toContain(`stale: ${join(copy, 'event-validators.js')}`);
      expect(stderr).toContain(`stale: ${join(copy, 'twine-validators.d.ts')}`);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('Constant: the precompiled schemas', () => {
  it.each<[string, unknown]>([
    ['twine meta-schema', TWINE_META_SCHEMA],
    ['manifest schema', MANIFEST_SCHEMA],
    ['children schema', CHILDREN_SCHEMA],
    ['service-communication schema', SERVICE_COMMUNICATION_SCHEMA],
  ])('the %s satisfies its meta-schema, so it can be registered without checking', (_name, schema) => {
    expect(checkSchema(schema)).toEqual([]);
  });
});

describe('Function: validateTwineMetaSchema', () => {
  const fixtureTwines = readdirSync(join(FIXTURES, 'twines')).map((file): Case => [
    `Octue's ${file}`,
    readJson(FIXTURES, 'twines', file),
    true,
  ]);

  it.each<Case>([
    ...fixtureTwines,
    ['an empty twine', {}, true],
    ['a misspelt strand', { input_valeus_schema: {} }, false],
    ['a credential name in lower case', { credentials: [{ name: 'secret' }, { purpose: 1 }] }, false],
    ['a manifest strand without datasets', { input_manifest: { optional: 'no' } }, false],
    [
      'file tag templates that are neither inline object schemas nor references',
      {
        input_manifest: {
          datasets: { a: { file_tags_template: { type: 'array' } }, b: { file_tags_template: { $ref: 1 } } },
        },
      },
      false,
    ],
    ['children without keys and a non-string version', { children: [{ purpose: 'x' }], twined_version: 1 }, false],
    ['an array', [], false],
  ])('reports %s as the run-time validator does', (_name, data, valid) => {
    expectSameAsRunTime(validateTwineMetaSchema, TWINE_META_SCHEMA, data, valid);
  });
});

describe('Function: validateManifestSchema', () => {
  it.each<Case>([
    ["Octue's diagnostics input manifest", readJson(FIXTURES, 'fixtures/diagnostics/input_manifest.json'), true],
    [
      'datasets as paths and serialised',
      { id: 'm', name: null, datasets: { a: 'gs://b/p', b: SERIALISED_DATASET } },
      true,
    ],
    ['an empty object', {}, false],
    [
      'a serialised dataset with bad files',
      { id: 1, name: 2, datasets: { a: { id: 'd', files: [{ id: 'f', timestamp: 'now' }, 3] } } },
      false,
    ],
    ['datasets as an array', { id: 'm', datasets: [] }, false],
  ])('reports %s as the run-time validator does', (_name, data, valid) => {
    expectSameAsRunTime(validateManifestSchema, MANIFEST_SCHEMA, data, valid);
  });
});

describe('Function: validateChildrenSchema', () => {
  const child = { key: 'k', id: 'octue/child:1.0.0', backend: { name: 'GCPPubSubBackend', project_id: 'p' } };
  it.each<Case>([
    ['a child', [child], true],
    ['a child with another backend and no key', [{ id: 'x', backend: { name: 'Other' } }], false],
    ['an object', { child }, false],
    ['a number in the list', [child, 1], false],
  ])('reports %s as the run-time validator does', (_name, data, valid) => {
    expectSameAsRunTime(validateChildrenSchema, CHILDREN_SCHEMA, data, valid);
  });
});

describe('Function: validateServiceCommunication', () => {
  // As recorded, Octue's golden events carry datetimes without a UTC offset; decoding them adds it.
  const recorded = readJson(FIXTURES, 'fixtures/events.json') as Parameters<typeof decodeEvent>[0][];
  const golden = recorded.flatMap((candidate, index): Case[] => [
    [`Octue's golden event ${index} as recorded`, candidate, false],
    [`Octue's golden event ${index} decoded`, decodeEvent(candidate), true],
  ]);

  it.each<Case>([
    ...golden,
    ['a heartbeat', { event: { kind: 'heartbeat' }, attributes: CHILD_ATTRIBUTES }, true],
    [
      'a question with a bad manifest and bad question attributes',
      {
        event: { kind: 'question', input_manifest: { datasets: { a: 1 } }, children: [{ key: 'k', backend: {} }] },
        attributes: { ...QUESTION_ATTRIBUTES, uuid: 'nope', datetime: 'yesterday', forward_logs: 'yes' },
      },
      false,
    ],
    [
      'an exception without a traceback from a negative retry',
      { event: { kind: 'exception', exception_type: 'E' }, attributes: { ...CHILD_ATTRIBUTES, retry_count: -1 } },
      false,
    ],
    [
      'a log record missing fields, with an extra top-level key',
      { event: { kind: 'log_record', log_record: { name: 'x' } }, attributes: CHILD_ATTRIBUTES, extra: 1 },
      false,
    ],
    ['an unknown kind without attributes', { event: { kind: 'bogus' } }, false],
    ['null', null, false],
  ])('reports %s as the run-time validator does', (_name, data, valid) => {
    expectSameAsRunTime(validateServiceCommunication, SERVICE_COMMUNICATION_SCHEMA, data, valid);
  });
});

describe('Function: validateEventAttributes', () => {
  const attributesSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $ref: `${SERVICE_COMMUNICATION_SCHEMA_ID}#/$defs/attributes`,
  };
  beforeAll(() => registerSchema(SERVICE_COMMUNICATION_SCHEMA));

  it.each<Case>([
    ["a child's attributes", CHILD_ATTRIBUTES, true],
    ["a question's attributes", QUESTION_ATTRIBUTES, true],
    [
      'question attributes with a bad diagnostics mode and no CPUs',
      { ...QUESTION_ATTRIBUTES, save_diagnostics: 'SOMETIMES', cpus: 0, forward_logs: undefined },
      false,
    ],
    ['an unknown sender type', { sender_type: 'OTHER' }, false],
    ['a string', 'attributes', false],
  ])('reports %s as the run-time validator does', (_name, data, valid) => {
    expectSameAsRunTime(validateEventAttributes, attributesSchema, data, valid);
  });
});
