// Conformance with Octue's twines and schemas: every Octue twine loads, every malformed variant is refused as Octue
// refuses it, and Skein's own schemas agree with Octue's reference schemas (validated with the same Ajv factory).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { validateWithSchema } from '../../src/core/json-schema';
import { MANIFEST_SCHEMA, STRAND_NAMES, Twine, twineKeyOf } from '../../src/core/twine';
import { InvalidTwine, InvalidTwineContents, InvalidTwineJson } from '../../src/errors';

const OCTUE = resolve(__dirname, '../fixtures/octue');
const TWINES_DIR = join(OCTUE, 'twines');
const TWINE_FILES = readdirSync(TWINES_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

const octueTwineSchema = readJson(join(OCTUE, 'schemas', 'twine.json'));
const octueManifestSchema = readJson(join(OCTUE, 'schemas', 'manifest-0.1.0.json'));

function errorOf(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Malformed twines Octue's meta-schema refuses too, as [description, change to a valid twine]. */
const MALFORMED: [string, (twine: Record<string, unknown>) => Record<string, unknown>][] = [
  ['a values strand that is a string', (t) => ({ ...t, input_values_schema: 'not a schema' })],
  ['a values strand with a non-boolean "optional"', (t) => ({ ...t, output_values_schema: { optional: 'no' } })],
  ['a values strand whose "properties" is a list', (t) => ({ ...t, configuration_values_schema: { properties: [] } })],
  ['a manifest strand without datasets', (t) => ({ ...t, input_manifest: {} })],
  ['a dataset that is not an object', (t) => ({ ...t, output_manifest: { datasets: { a: 'path' } } })],
  [
    'a file tags template without properties',
    (t) => ({ ...t, input_manifest: { datasets: { a: { file_tags_template: { type: 'object' } } } } }),
  ],
  ['children given as an object', (t) => ({ ...t, children: { key: 'a' } })],
  ['a child without a key', (t) => ({ ...t, children: [{ purpose: 'no key' }] })],
  ['a lower-case credential name', (t) => ({ ...t, credentials: [{ name: 'my_secret' }] })],
  ['a credential name with whitespace', (t) => ({ ...t, credentials: [{ name: 'MY SECRET' }] })],
  ['a credential with an unknown property', (t) => ({ ...t, credentials: [{ name: 'A', value: 'x' }] })],
];

describe('Octue twines', () => {
  it('has fixtures to check', () => {
    expect(TWINE_FILES.length).toBeGreaterThanOrEqual(6);
  });

  describe.each(TWINE_FILES)('%s', (file) => {
    const path = join(TWINES_DIR, file);
    const source = readJson(path);

    it("satisfies Octue's own twine meta-schema (sanity check of the fixture)", () => {
      expect(validateWithSchema(octueTwineSchema, source).failures).toEqual([]);
    });

    it('loads as a Twine with the strands it declares', () => {
      const twine = new Twine(path);
      const declared = STRAND_NAMES.filter((strand) => twineKeyOf(strand) in source);
      expect([...twine.availableStrands].sort()).toEqual([...declared].sort());
      expect(twine.raw).toEqual(source);
    });

    it.each(MALFORMED)('is refused with InvalidTwineContents, as by Octue, when changed to have %s', (_c, change) => {
      const malformed = change(source);
      expect(validateWithSchema(octueTwineSchema, malformed).valid).toBe(false);
      const error = errorOf(() => new Twine(malformed));
      expect(error).toBeInstanceOf(InvalidTwineContents);
      expect(error).toBeInstanceOf(InvalidTwine);
      expect((error as InvalidTwineContents).failures.length).toBeGreaterThan(0);
    });

    it('is refused with InvalidTwineJson when its text is cut short', () => {
      const text = readFileSync(path, 'utf8');
      const error = errorOf(() => new Twine(text.slice(0, Math.floor(text.length / 2))));
      expect(error).toBeInstanceOf(InvalidTwineJson);
      expect(error).toBeInstanceOf(InvalidTwine);
    });

    it('is refused, unlike by Octue, when it gains a misspelt strand (Skein rejects unknown top-level keys)', () => {
      const misspelt = { ...source, input_value_schema: {} };
      expect(validateWithSchema(octueTwineSchema, misspelt).valid).toBe(true);
      const error = errorOf(() => new Twine(misspelt));
      expect(error).toBeInstanceOf(InvalidTwineContents);
      expect((error as InvalidTwineContents).failures.map((f) => f.pointer)).toEqual(['/input_value_schema']);
    });
  });
});

describe('Octue twine behaviour', () => {
  const valid = new Twine(join(TWINES_DIR, 'valid_schema_twine.json'));

  it('requires the height input value, pointing at it', () => {
    expect(valid.validateValues('input_values', { height: 3 })).toEqual({ height: 3 });
    const error = errorOf(() => valid.validateValues('input_values', {}));
    expect((error as InvalidTwineContents).failures).toEqual([
      { pointer: '/height', message: "must have required property 'height'", keyword: 'required' },
    ]);
  });

  it('fills in the fractal configuration defaults', () => {
    const fractal = new Twine(join(TWINES_DIR, 'template-fractal.json'));
    expect(fractal.validateValues('configuration_values', {})).toEqual({
      width: 600,
      height: 600,
      n_iterations: 64,
      color_scale: 'YlGnBu',
      x_range: [-1.5, 0.6],
      y_range: [-1.26, 1.26],
    });
  });

  it("requires the parent service's children by key", () => {
    const parent = new Twine(join(TWINES_DIR, 'template-child-services__parent_service.json'));
    const backend = { name: 'GCPPubSubBackend', project_id: 'my-project' };
    const children = [
      { key: 'wind_speed', id: 'template-child-services/wind-speed-service:0.1.0', backend },
      { key: 'elevation', id: 'template-child-services/elevation-service:0.1.0', backend },
    ];
    expect(parent.validateChildren(children)).toEqual(children);
    expect(() => parent.validateChildren(children.slice(1))).toThrow(/no child with the key 'wind_speed'/);
  });

  it("expects the raw_met_mast_data dataset in the manifest example's input manifest", () => {
    const manifests = new Twine(join(TWINES_DIR, 'template-using-manifests.json'));
    expect(() => manifests.validateManifest('input_manifest', { id: 'm', datasets: {} })).toThrow(
      "A dataset named 'raw_met_mast_data' is expected in the input_manifest but is missing.",
    );
  });
});

describe('Skein manifest schema against Octue manifest 0.1.0', () => {
  const file = { id: 'f', path: 'gs://b/d/a.csv', timestamp: 0, tags: { a: 1 }, labels: ['x'] };
  const dataset = { id: 'd', name: 'd', tags: {}, labels: [], files: [file, 'gs://b/d/b.csv'] };
  const manifests: [string, unknown][] = [
    ['datasets as paths', { id: 'm', datasets: { a: 'gs://b/a', b: 'local/b' } }],
    ['a serialised dataset', { id: 'm', name: 'n', datasets: { d: dataset } }],
    ['no datasets', { id: 'm', datasets: {} }],
    ['a null timestamp', { id: 'm', datasets: { d: { ...dataset, files: [{ ...file, timestamp: null }] } } }],
    ['no id', { datasets: {} }],
    ['no datasets key', { id: 'm' }],
    ['datasets as a list', { id: 'm', datasets: [] }],
    ['a dataset that is a number', { id: 'm', datasets: { d: 5 } }],
    ['a dataset without files', { id: 'm', datasets: { d: { ...dataset, files: undefined } } }],
    ['a file without tags', { id: 'm', datasets: { d: { ...dataset, files: [{ ...file, tags: undefined }] } } }],
    ['a string timestamp', { id: 'm', datasets: { d: { ...dataset, files: [{ ...file, timestamp: 'now' }] } } }],
    ['labels that are not strings', { id: 'm', datasets: { d: { ...dataset, labels: [1] } } }],
  ];

  it.each(manifests)('agrees with Octue on a manifest with %s', (_case, manifest) => {
    const data = JSON.parse(JSON.stringify(manifest)) as unknown;
    expect(validateWithSchema(MANIFEST_SCHEMA, data).valid).toBe(validateWithSchema(octueManifestSchema, data).valid);
  });
});
