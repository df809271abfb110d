import { readFileSync } from 'node:fs';

import { Twine } from '../../../../src/core/twine';
import {
  InvalidTwine,
  InvalidTwineContents,
  InvalidTwineJson,
  InvalidValuesContents,
  StrandNotFound,
  TwineFileNotFound,
  TwineTypeException,
  TwineValueException,
  TwineVersionConflict,
  UnknownStrand,
} from '../../../../src/errors';
import type { SkeinValidationError } from '../../../../src/errors';
import { fixturePath, makeTempDir, thrownBy } from './helpers';

const ALL_STRANDS = fixturePath('twines', 'all-strands.json');

function pointersOf(error: Error): string[] {
  return (error as SkeinValidationError).failures.map((failure) => failure.pointer);
}

describe('Class: Twine', () => {
  describe('Method: constructor', () => {
    const temp = makeTempDir();
    afterAll(() => temp.cleanUp());

    it('loads a twine from an object, a JSON string and a .json path alike', () => {
      const text = readFileSync(ALL_STRANDS, 'utf8');
      const fromPath = new Twine(ALL_STRANDS);
      expect(new Twine(text).raw).toEqual(fromPath.raw);
      expect(new Twine(JSON.parse(text)).raw).toEqual(fromPath.raw);
    });

    it('loads an empty twine when no source is given', () => {
      const twine = new Twine();
      expect(twine.availableStrands.size).toBe(0);
      expect(twine.raw).toEqual({});
    });

    it('keeps a frozen copy, so changing the source object later has no effect', () => {
      const source = { input_values_schema: { type: 'object' } };
      const twine = new Twine(source);
      source.input_values_schema.type = 'string';
      expect(twine.strands.input_values_schema).toEqual({ type: 'object' });
      expect(Object.isFrozen(twine.strands.input_values_schema)).toBe(true);
    });

    it('throws InvalidTwineJson with the line and column when the file is not JSON', () => {
      const error = thrownBy(() => new Twine(fixturePath('twines', 'broken-json.json')));
      expect(error).toBeInstanceOf(InvalidTwineJson);
      expect(error).toBeInstanceOf(InvalidTwine);
      expect(error.message).toMatch(
        /^The file '.*broken-json\.json' given for the twine is not valid JSON: .*\(line 4, column 3\)\.$/,
      );
      expect(error.strand).toBe('twine');
      expect(error.cause).toBeInstanceOf(SyntaxError);
    });

    it('throws InvalidTwineJson when a JSON string is broken', () => {
      expect(() => new Twine('{"children": [')).toThrow(InvalidTwineJson);
    });

    it('throws TwineFileNotFound with the path when the twine file does not exist', () => {
      const path = `${temp.path}/missing.json`;
      const error = thrownBy(() => new Twine(path));
      expect(error).toBeInstanceOf(TwineFileNotFound);
      expect(error.path).toBe(path);
      expect(error.strand).toBe('twine');
      expect(error.message).toBe(`The twine file '${path}' does not exist.`);
    });

    it.each([
      ['an unknown (misspelt) strand', { input_value_schema: {} }, '/input_value_schema', /is not a strand of a twine/],
      ['a values strand that is not an object', { input_values_schema: [] }, '/input_values_schema', /must be object/],
      ['a manifest strand without datasets', { input_manifest: {} }, '/input_manifest/datasets', /required property/],
      [
        'datasets given as a list',
        { output_manifest: { datasets: [{ key: 'a' }] } },
        '/output_manifest/datasets',
        /must be object/,
      ],
      [
        'a non-boolean optional flag',
        { configuration_manifest: { datasets: {}, optional: 'yes' } },
        '/configuration_manifest/optional',
        /must be boolean/,
      ],
      [
        'a file tags template that is not an object schema',
        { input_manifest: { datasets: { a: { file_tags_template: { type: 'string', properties: {} } } } } },
        '/input_manifest/datasets/a/file_tags_template/type',
        /must be equal to constant/,
      ],
      ['children given as an object', { children: {} }, '/children', /must be array/],
      ['a child without a key', { children: [{ purpose: 'x' }] }, '/children/0/key', /required property 'key'/],
      ['credentials given as an object', { credentials: { name: 'A' } }, '/credentials', /must be array/],
      ['a credential without a name', { credentials: [{ purpose: 'x' }] }, '/credentials/0/name', /required/],
      ['a lower-case credential name', { credentials: [{ name: 'my_key' }] }, '/credentials/0/name', /pattern/],
      ['a credential name with spaces', { credentials: [{ name: 'MY KEY' }] }, '/credentials/0/name', /pattern/],
      [
        'an unknown property on a credential',
        { credentials: [{ name: 'KEY', secret: 'x' }] },
        '/credentials/0/secret',
        /not allowed/,
      ],
      ['a twine that is not an object', [], '', /must be object/],
    ])('throws InvalidTwineContents for %s', (_case, twine, pointer, message) => {
      const error = thrownBy(() => new Twine(twine));
      expect(error).toBeInstanceOf(InvalidTwineContents);
      expect(error.strand).toBe('twine');
      expect(pointersOf(error)).toContain(pointer);
      const failure = (error as unknown as SkeinValidationError).failures.find((f) => f.pointer === pointer);
      expect(failure?.message).toMatch(message);
      expect(error.cause).toEqual(expect.any(Array));
    });

    it('lists every meta-schema failure at once', () => {
      const error = thrownBy(() => new Twine({ children: {}, credentials: [{ name: 'bad' }], extra: 1 }));
      expect(pointersOf(error).sort()).toEqual(['/children', '/credentials/0/name', '/extra']);
    });

    it('accepts the annotations title, description, $schema and twined_version', () => {
      const twine = new Twine({ $schema: 'x', $comment: 'c', title: 't', description: 'd', twined_version: '0.69.0' });
      expect(twine.availableStrands.size).toBe(0);
    });

    it('throws InvalidTwineContents pointing into a strand schema that breaks its meta-schema', () => {
      const error = thrownBy(() => new Twine(fixturePath('twines', 'declared-2020-12-with-tuple-items.json')));
      expect(error).toBeInstanceOf(InvalidTwineContents);
      expect(error.message).toMatch(/^The twine holds JSON Schemas that cannot be used\./);
      expect(pointersOf(error)).toContain('/configuration_values_schema/properties/x_range/items');
    });

    it('throws InvalidTwineContents pointing at a file tags template $ref that is not registered', () => {
      const error = thrownBy(() => new Twine(fixturePath('twines', 'unresolvable-tag-template.json')));
      expect(error).toBeInstanceOf(InvalidTwineContents);
      expect(pointersOf(error)).toEqual(['/input_manifest/datasets/images/file_tags_template/$ref']);
      expect(error.message).toMatch(
        /cannot be resolved: register 'https:.*0\.0\.0\.json' with registerSchema\(\) first/,
      );
    });

    it('throws InvalidTwineContents for a strand schema in an unsupported dialect', () => {
      const twine = { input_values_schema: { $schema: 'http://json-schema.org/draft-04/schema#' } };
      expect(pointersOf(thrownBy(() => new Twine(twine)))).toEqual(['/input_values_schema/$schema']);
    });

    it('throws TwineTypeException when the twine object is not JSON data', () => {
      const error = thrownBy(() => new Twine({ input_values_schema: { type: 'object', check: () => true } }));
      expect(error).toBeInstanceOf(TwineTypeException);
      expect(error.message).toMatch(/^A twine must be JSON data/);
    });

    it('throws TwineVersionConflict when asked to check a different twined_version', () => {
      expect(() => new Twine({ twined_version: '0.0.0' }, { twinedVersion: '0.69.0' })).toThrow(TwineVersionConflict);
      expect(() => new Twine({ twined_version: '0.69.0' }, { twinedVersion: '0.69.0' })).not.toThrow();
      expect(() => new Twine({ twined_version: '0.0.0' })).not.toThrow();
    });
  });

  describe('Method: fromFile', () => {
    const temp = makeTempDir();
    afterAll(() => temp.cleanUp());

    it('loads a twine from a file whatever its name', () => {
      const path = temp.write('twine', '{"children": [{"key": "a"}]}');
      expect([...Twine.fromFile(path).availableStrands]).toEqual(['children']);
    });

    it('throws TwineFileNotFound when the path is a directory', () => {
      const error = thrownBy(() => Twine.fromFile(temp.path));
      expect(error).toBeInstanceOf(TwineFileNotFound);
      expect(error.message).toMatch(/cannot be read \(EISDIR\)/);
    });
  });

  describe('Property: availableStrands and requiredStrands', () => {
    it('lists the strands present and those that are required', () => {
      const twine = new Twine(ALL_STRANDS);
      expect([...twine.availableStrands].sort()).toEqual(
        [
          'children',
          'configuration_manifest',
          'configuration_values',
          'credentials',
          'input_manifest',
          'input_values',
          'monitor_message',
          'output_manifest',
          'output_values',
        ].sort(),
      );
      expect([...twine.requiredStrands].sort()).toEqual(
        ['configuration_values', 'input_manifest', 'input_values', 'output_manifest'].sort(),
      );
      expect([...twine.availableManifestStrands].sort()).toEqual(
        ['configuration_manifest', 'input_manifest', 'output_manifest'].sort(),
      );
    });

    it.each([
      [
        { configuration_values_schema: {}, output_manifest: { datasets: {} } },
        ['configuration_values', 'output_manifest'],
      ],
      [{ configuration_values_schema: { optional: true }, output_manifest: { datasets: {}, optional: true } }, []],
      [
        { configuration_values_schema: { optional: false }, output_manifest: { datasets: {}, optional: false } },
        ['configuration_values', 'output_manifest'],
      ],
      [{ children: [{ key: 'a' }], credentials: [{ name: 'A' }] }, []],
    ])('treats object strands without "optional": true as required in %j', (source, expected) => {
      expect([...new Twine(source).requiredStrands].sort()).toEqual(expected);
    });
  });

  describe('Method: get', () => {
    it('returns the twine entry of a strand, or undefined when the twine lacks it', () => {
      const twine = new Twine({ input_values_schema: { type: 'object' } });
      expect(twine.get('input_values')).toEqual({ type: 'object' });
      expect(twine.get('children')).toBeUndefined();
    });

    it('throws UnknownStrand for a name that is not a strand', () => {
      const error = thrownBy(() => new Twine().get('input_values_schema' as never));
      expect(error).toBeInstanceOf(UnknownStrand);
      expect(error.message).toMatch(/^Unknown strand "input_values_schema": use one of configuration_values/);
    });
  });

  describe('Method: validate', () => {
    const twine = new Twine(ALL_STRANDS);
    const manifest = {
      id: 'c1',
      datasets: {
        met_mast_data: {
          id: 'd1',
          name: 'met_mast_data',
          tags: {},
          labels: [],
          files: [
            { id: 'f1', path: 'a/b.csv', timestamp: null, tags: { manufacturer: 'Vestas', height: 80 }, labels: [] },
          ],
        },
      },
    };

    it('validates every strand given and returns the validated data by key', () => {
      const validated = twine.validate({
        configurationValues: {},
        inputValues: '{"height": 3}',
        inputManifest: manifest,
        outputManifest: { id: 'o', datasets: { cleaned_data: 'gs://bucket/cleaned' } },
        monitorMessage: { status: 'running' },
        credentials: { MYAPI_SECRET_KEY: 'k', MY_DATABASE_URI: 'db' },
        children: [
          { key: 'wind_speed', id: 'acme/wind:1.0.0', backend: { name: 'GCPPubSubBackend', project_id: 'p' } },
          { key: 'elevation', id: 'acme/elevation:1.0.0', backend: { name: 'GCPPubSubBackend', project_id: 'p' } },
        ],
      });
      expect(validated.configurationValues).toEqual({ n_iterations: 5, mode: 'fast' });
      expect(validated.inputValues).toEqual({ height: 3 });
      expect(validated.inputManifest).toEqual(manifest);
      expect(validated.monitorMessage).toEqual({ status: 'running' });
      expect(validated.credentials).toEqual({ MYAPI_SECRET_KEY: 'k', MY_DATABASE_URI: 'db' });
      expect(validated.children).toHaveLength(2);
      expect(Object.keys(validated).sort()).toEqual(
        [
          'children',
          'configurationValues',
          'credentials',
          'inputManifest',
          'inputValues',
          'monitorMessage',
          'outputManifest',
        ].sort(),
      );
    });

    it('leaves defaults out when asked to', () => {
      expect(twine.validate({ configurationValues: {} }, { useDefaults: false }).configurationValues).toEqual({});
    });

    it('returns undefined for an optional strand given as null', () => {
      expect(twine.validate({ outputValues: null, configurationManifest: undefined })).toEqual({
        outputValues: undefined,
        configurationManifest: undefined,
      });
    });

    it.each([['configurationValues'], ['inputValues'], ['inputManifest'], ['outputManifest']])(
      'throws TwineValueException when the required strand %s is given as null or undefined',
      (key) => {
        for (const value of [null, undefined]) {
          const error = thrownBy(() => twine.validate({ [key]: value }));
          expect(error).toBeInstanceOf(TwineValueException);
          expect(error.message).toMatch(/^The twine requires the \w+ strand but no data was given for it\.$/);
        }
      },
    );

    it('throws StrandNotFound when data is given for a strand the twine lacks', () => {
      const error = thrownBy(() => new Twine({ input_values_schema: {} }).validate({ outputValues: { width: 2 } }));
      expect(error).toBeInstanceOf(StrandNotFound);
      expect(error.strand).toBe('output_values');
      expect(error.message).toBe('Data was given for the output_values strand but the twine has no such strand.');
    });

    it('throws StrandNotFound for credentials or children when the twine lists none', () => {
      expect(() => new Twine().validate({ credentials: {} })).toThrow(StrandNotFound);
      expect(() => new Twine().validate({ children: [] })).toThrow(StrandNotFound);
    });

    it('throws UnknownStrand for a key that is not a strand argument', () => {
      const error = thrownBy(() => twine.validate({ input_values: {} } as never));
      expect(error).toBeInstanceOf(UnknownStrand);
    });

    it('stops at the first failing strand, in configuration-input-output order', () => {
      const error = thrownBy(() => twine.validate({ inputValues: {}, configurationValues: { n_iterations: 0 } }));
      expect(error).toBeInstanceOf(InvalidValuesContents);
      expect(error.strand).toBe('configuration_values');
    });

    it('throws TwineTypeException when credentials are not given as an environment object', () => {
      expect(() => twine.validate({ credentials: 'env' as never })).toThrow(TwineTypeException);
    });
  });

  describe('Method: validateStrand', () => {
    it('throws UnknownStrand for a name that is not a strand', () => {
      expect(() => new Twine().validateStrand('cheese' as never, {})).toThrow(UnknownStrand);
    });
  });
});
