import { Twine } from '../../../../src/core/twine';
import type { DatafileLike, ManifestLike } from '../../../../src/core/twine';
import {
  InvalidManifest,
  InvalidManifestContents,
  InvalidManifestJson,
  StrandNotFound,
  TwineFileNotFound,
  UnknownStrand,
} from '../../../../src/errors';
import type { SkeinValidationError } from '../../../../src/errors';
import { fixturePath, makeTempDir, thrownBy } from './helpers';

const twine = new Twine(fixturePath('twines', 'all-strands.json'));

function file(path: string, tags: Record<string, unknown>) {
  return { id: `id-${path}`, path, timestamp: 0, tags, labels: [] };
}

function manifestWithFiles(key: string, files: unknown[]) {
  return { id: 'm1', name: 'inputs', datasets: { [key]: { id: 'd1', name: key, tags: {}, labels: [], files } } };
}

function failuresOf(error: Error) {
  return (error as unknown as SkeinValidationError).failures;
}

/** A minimal stand-in for a Manifest instance, shaped as the resources module's classes are. */
function manifestInstance(files: DatafileLike[], primitive?: unknown): ManifestLike {
  return {
    toPrimitive: () => primitive ?? { id: 'm2', name: null, datasets: { met_mast_data: 'gs://bucket/met' } },
    datasets: { met_mast_data: { files: new Set(files) } },
  };
}

describe('Class: Twine', () => {
  describe('Method: validateManifest', () => {
    const temp = makeTempDir();
    afterAll(() => temp.cleanUp());

    it('accepts datasets given as paths or as serialised datasets with path or object files', () => {
      const manifest = {
        id: 'm',
        datasets: {
          met_mast_data: {
            id: 'd',
            name: 'met_mast_data',
            tags: {},
            labels: ['met'],
            files: ['gs://bucket/met/raw.csv', file('met/a.csv', { manufacturer: 'Vestas', height: 80 })],
          },
          scada_data: 'gs://bucket/scada',
        },
      };
      expect(twine.validateManifest('input_manifest', manifest)).toEqual(manifest);
      expect(twine.validateManifest('input_manifest', JSON.stringify(manifest))).toEqual(manifest);
      expect(twine.validateManifest('input_manifest', temp.write('m.json', JSON.stringify(manifest)))).toEqual(
        manifest,
      );
    });

    it('throws InvalidManifestContents with every failing pointer when the manifest has the wrong shape', () => {
      const manifest = {
        datasets: { met_mast_data: { id: 'd', name: 'x', tags: [], labels: [1], files: [{ path: 'a' }, 5] } },
      };
      const error = thrownBy(() => twine.validateManifest('input_manifest', manifest));
      expect(error).toBeInstanceOf(InvalidManifestContents);
      expect(error).toBeInstanceOf(InvalidManifest);
      expect(error.strand).toBe('input_manifest');
      expect(error.message).toMatch(/^The input_manifest is not a valid manifest \(Octue manifest 0\.1\.0 shape\)\./);
      expect(failuresOf(error).map((f) => f.pointer)).toEqual([
        '/id',
        '/datasets/met_mast_data/tags',
        '/datasets/met_mast_data/labels/0',
        '/datasets/met_mast_data/files/0/id',
        '/datasets/met_mast_data/files/0/timestamp',
        '/datasets/met_mast_data/files/0/tags',
        '/datasets/met_mast_data/files/0/labels',
        '/datasets/met_mast_data/files/1',
      ]);
      expect(error.cause).toEqual(expect.any(Array));
    });

    it('throws InvalidManifestContents naming a missing dataset, as Octue words it', () => {
      const error = thrownBy(() => twine.validateManifest('input_manifest', { id: 'm', datasets: { other: 'p' } }));
      expect(error).toBeInstanceOf(InvalidManifestContents);
      expect(error.message.split('\n')[0]).toBe(
        "A dataset named 'met_mast_data' is expected in the input_manifest but is missing.",
      );
      expect(failuresOf(error)).toEqual([
        {
          pointer: '/datasets/met_mast_data',
          message: "is expected by the twine's input_manifest strand but is missing",
          keyword: 'required',
        },
      ]);
    });

    it('names every missing dataset', () => {
      const strict = new Twine({ output_manifest: { datasets: { cat: {}, dog: {}, eel: { optional: true } } } });
      const error = thrownBy(() => strict.validateManifest('output_manifest', { id: 'm', datasets: {} }));
      expect(failuresOf(error).map((f) => f.pointer)).toEqual(['/datasets/cat', '/datasets/dog']);
    });

    it('does not require optional datasets', () => {
      const manifest = manifestWithFiles('met_mast_data', []);
      expect(() => twine.validateManifest('input_manifest', manifest)).not.toThrow();
    });

    it('throws InvalidManifestContents pointing at each file tag that breaks the file_tags_template', () => {
      const manifest = manifestWithFiles('met_mast_data', [
        file('gs://bucket/met/ok.csv', { manufacturer: 'Vestas', height: 80 }),
        file('gs://bucket/met/no-height.csv', { manufacturer: 'Vestas' }),
        'gs://bucket/met/untagged-path.csv',
        file('gs://bucket/met/negative.csv', { manufacturer: 'Vestas', height: -1 }),
      ]);
      const error = thrownBy(() => twine.validateManifest('input_manifest', manifest));
      expect(error).toBeInstanceOf(InvalidManifestContents);
      expect(error.message.split('\n')[0]).toBe(
        "The tags of 2 datafiles in the input_manifest do not satisfy their dataset's file_tags_template. The " +
          "affected datafiles are 'no-height.csv' in dataset 'met_mast_data', 'negative.csv' in dataset " +
          "'met_mast_data'. Add the missing properties to the datafiles as tags to fix this.",
      );
      expect(failuresOf(error)).toEqual([
        {
          pointer: '/datasets/met_mast_data/files/1/tags/height',
          message: "must have required property 'height' (datafile 'no-height.csv' in dataset 'met_mast_data')",
          keyword: 'required',
        },
        {
          pointer: '/datasets/met_mast_data/files/3/tags/height',
          message: "must be >= 0 (datafile 'negative.csv' in dataset 'met_mast_data')",
          keyword: 'minimum',
        },
      ]);
    });

    it('checks file tags in configuration manifests too', () => {
      const manifest = manifestWithFiles('model', [file('model.bin', {})]);
      const error = thrownBy(() => twine.validateManifest('configuration_manifest', manifest));
      expect(failuresOf(error)[0]?.pointer).toBe('/datasets/model/files/0/tags/version');
      expect(error.message).toMatch(/The affected datafile is 'model\.bin' in dataset 'model'\./);
    });

    it('does not check file tags in output manifests', () => {
      const manifest = manifestWithFiles('cleaned_data', [file('out.csv', {})]);
      expect(() => twine.validateManifest('output_manifest', manifest)).not.toThrow();
    });

    it("validates a manifest instance by its primitive and checks the tags of its datasets' files", () => {
      const good = manifestInstance([{ name: 'a.csv', tags: { manufacturer: 'Vestas', height: 1 } }]);
      expect(twine.validateManifest('input_manifest', good)).toBe(good);

      const bad = manifestInstance([
        { name: 'a.csv', tags: { manufacturer: 'Vestas', height: 1 } },
        { name: 'b.csv', tags: new Map<string, unknown>([['height', 2]]) },
      ]);
      const error = thrownBy(() => twine.validateManifest('input_manifest', bad));
      expect(error).toBeInstanceOf(InvalidManifestContents);
      expect(failuresOf(error).map((f) => [f.pointer, f.message])).toEqual([
        [
          '/datasets/met_mast_data/files/1/tags/manufacturer',
          "must have required property 'manufacturer' (datafile 'b.csv' in dataset 'met_mast_data')",
        ],
      ]);
    });

    it("checks a manifest instance's primitive against the manifest schema and the expected datasets", () => {
      const wrongShape = manifestInstance([], { datasets: { met_mast_data: 5 } });
      expect(failuresOf(thrownBy(() => twine.validateManifest('input_manifest', wrongShape)))).toEqual(
        expect.arrayContaining([expect.objectContaining({ pointer: '/id' })]),
      );
      const missing = manifestInstance([], { id: 'm', datasets: {} });
      expect(thrownBy(() => twine.validateManifest('input_manifest', missing)).message).toMatch(
        /^A dataset named 'met_mast_data' is expected in the input_manifest but is missing\./,
      );
    });

    it('accepts a manifest instance whose datasets are a Map', () => {
      const instance: ManifestLike = {
        toPrimitive: () => ({ id: 'm', datasets: { met_mast_data: 'gs://b/met' } }),
        datasets: new Map([['met_mast_data', { files: [{ name: 'x.csv', tags: {} }] }]]),
      };
      expect(failuresOf(thrownBy(() => twine.validateManifest('input_manifest', instance)))).toHaveLength(2);
    });

    it('throws InvalidManifestJson for a broken JSON string', () => {
      const error = thrownBy(() => twine.validateManifest('input_manifest', '{"id": }'));
      expect(error).toBeInstanceOf(InvalidManifestJson);
      expect(error.strand).toBe('input_manifest');
    });

    it('throws TwineFileNotFound with the path and strand for a missing manifest file', () => {
      const path = `${temp.path}/missing-manifest.json`;
      const error = thrownBy(() => twine.validateManifest('configuration_manifest', path));
      expect(error).toBeInstanceOf(TwineFileNotFound);
      expect(error.path).toBe(path);
      expect(error.strand).toBe('configuration_manifest');
      expect(error.message).toBe(`The configuration_manifest file '${path}' does not exist.`);
    });

    it('throws StrandNotFound when the twine has no such manifest strand', () => {
      const error = thrownBy(() => new Twine().validateManifest('input_manifest', { id: 'm', datasets: {} }));
      expect(error).toBeInstanceOf(StrandNotFound);
      expect(error.strand).toBe('input_manifest');
    });

    it('throws UnknownStrand for a kind that is not a manifest strand', () => {
      expect(() => twine.validateManifest('input_values' as never, {})).toThrow(UnknownStrand);
    });
  });
});
