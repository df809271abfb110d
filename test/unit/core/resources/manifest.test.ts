import { promises as fs } from 'node:fs';
import path from 'node:path';

import { crc32cHash } from '../../../../src/core/hashing/crc32c';
import { Datafile } from '../../../../src/core/resources/datafile';
import { Dataset } from '../../../../src/core/resources/dataset';
import { Manifest } from '../../../../src/core/resources/manifest';
import { InvalidInputException, InvalidManifestException, ManifestNotFoundException } from '../../../../src/errors';
import type { Sandbox } from './helpers';
import { createSandbox } from './helpers';

const MANIFEST_ID = '7e0025cd-bd68-4de6-b48d-2643ebd5effd';

describe('Class: Manifest', () => {
  let sandbox: Sandbox;
  let dataset0: string;
  let dataset1: string;
  beforeEach(async () => {
    sandbox = await createSandbox();
    dataset0 = path.dirname(await sandbox.write('my_dataset_0/my_file_0.txt', 'blah'));
    await sandbox.write('my_dataset_1/sub/my_file_1.txt', 'hello');
    dataset1 = path.join(sandbox.dir, 'my_dataset_1');
  });
  afterEach(() => sandbox.cleanup());

  async function localManifest(): Promise<Manifest> {
    return Manifest.fromPrimitive({
      id: MANIFEST_ID,
      name: 'my-manifest',
      datasets: { my_dataset_1: dataset1, my_dataset_0: dataset0 },
    });
  }

  describe('Method: constructor', () => {
    it('builds an empty manifest with a new id and no name', () => {
      const manifest = new Manifest();
      expect(manifest.toPrimitive()).toEqual({ id: manifest.id, name: null, datasets: {} });
      expect(manifest.allDatasetsAreInCloud).toBe(true);
    });
  });

  describe('Method: toPrimitive', () => {
    it('gives each dataset loaded from a path as its path', async () => {
      expect((await localManifest()).toPrimitive()).toEqual({
        id: MANIFEST_ID,
        name: 'my-manifest',
        datasets: { my_dataset_1: dataset1, my_dataset_0: dataset0 },
      });
    });

    it('gives a dataset defined by files as its full primitive', async () => {
      const dataset = await Dataset.fromFiles([path.join(dataset0, 'my_file_0.txt')], { path: dataset0 });
      const manifest = new Manifest({ id: MANIFEST_ID, datasets: { my_dataset_0: dataset } });
      expect(manifest.toPrimitive().datasets.my_dataset_0).toEqual(dataset.toPrimitive());
      const copy = await Manifest.fromPrimitive(manifest.toPrimitive());
      expect(copy.getDataset('my_dataset_0').id).toBe(dataset.id);
      expect(copy.getDataset('my_dataset_0').instantiatedFromFiles).toBe(true);
    });
  });

  describe('Method: serialise', () => {
    it('writes JSON as Octue serialises (sorted keys, indent 4)', () => {
      const manifest = new Manifest({
        id: MANIFEST_ID,
        name: 'my-manifest',
        datasets: {
          my_dataset_1: new Dataset({ path: '/d/my_dataset_1' }),
          my_dataset_0: new Dataset({ path: '/d/my_dataset_0' }),
        },
      });
      expect(manifest.serialise()).toBe(
        '{\n    "datasets": {\n        "my_dataset_0": "/d/my_dataset_0",\n        "my_dataset_1": "/d/my_dataset_1"\n' +
          `    },\n    "id": "${MANIFEST_ID}",\n    "name": "my-manifest"\n}`,
      );
    });
  });

  describe('Method: fromPrimitive', () => {
    it('loads each dataset with its stored metadata', async () => {
      const stored = await Dataset.fromLocalDirectory(dataset0, { tags: { stored: 1 } });
      await stored.updateLocalMetadata();
      const manifest = await localManifest();
      expect(manifest.getDataset('my_dataset_0').id).toBe(stored.id);
      expect(manifest.getDataset('my_dataset_0').tags.toPrimitive()).toEqual({ stored: 1 });
      expect(manifest.getDataset('my_dataset_1').size).toBe(1);
    });

    it('accepts Dataset instances and {path} objects', async () => {
      const instance = new Dataset({ path: '/somewhere' });
      const manifest = await Manifest.fromPrimitive({ datasets: { a: instance, b: { path: dataset1 } } });
      expect(manifest.getDataset('a')).toBe(instance);
      expect(manifest.getDataset('b').size).toBe(1);
    });

    it.each([
      ['a list', [1]],
      ['a string', 'manifest'],
      ['datasets given as a list', { datasets: ['a'] }],
      ['a numeric name', { name: 3, datasets: {} }],
    ])('throws InvalidManifestException for %s', async (_label, primitive) => {
      await expect(Manifest.fromPrimitive(primitive)).rejects.toThrow(InvalidManifestException);
    });

    it('throws InvalidInputException for a bad id', async () => {
      await expect(Manifest.fromPrimitive({ id: 'nope', datasets: {} })).rejects.toThrow(InvalidInputException);
    });

    it('passes dataset loading errors through', async () => {
      await expect(Manifest.fromPrimitive({ datasets: { a: path.join(sandbox.dir, 'absent') } })).rejects.toThrow(
        /does not exist/,
      );
      const lenient = await Manifest.fromPrimitive(
        { datasets: { a: path.join(sandbox.dir, 'absent') } },
        { allowMissing: true },
      );
      expect(lenient.getDataset('a').size).toBe(0);
    });
  });

  describe('Method: getDataset', () => {
    it('throws InvalidInputException listing the keys there are', async () => {
      const manifest = await localManifest();
      expect(() => manifest.getDataset('nope')).toThrow(InvalidInputException);
      expect(() => manifest.getDataset('nope')).toThrow(
        "Attempted to fetch unknown dataset 'nope' from the manifest. Allowable keys are: ['my_dataset_1', 'my_dataset_0']",
      );
      expect(() => manifest.getDataset('toString')).toThrow(InvalidInputException);
    });
  });

  describe('Method: hash', () => {
    it("is the CRC32C of Python's repr of the sorted (key, dataset hash) pairs", async () => {
      const manifest = await localManifest();
      const hash0 = await manifest.getDataset('my_dataset_0').hash();
      const hash1 = await manifest.getDataset('my_dataset_1').hash();
      // blah → cwy05A==, hello → mnG7TA==, so the dataset hashes are CRC32C("['cwy05A==']") and CRC32C("['mnG7TA==']").
      expect(hash0).toBe(crc32cHash("['cwy05A==']"));
      expect(hash1).toBe(crc32cHash("['mnG7TA==']"));
      await expect(manifest.hash()).resolves.toBe(
        crc32cHash(`[('my_dataset_0', '${hash0}'), ('my_dataset_1', '${hash1}')]`),
      );
    });

    it('hashes an empty manifest as str([])', async () => {
      await expect(new Manifest().hash()).resolves.toBe(crc32cHash('[]'));
    });
  });

  describe('Property: allDatasetsAreInCloud', () => {
    it('is true only when every file of every dataset is in the cloud', async () => {
      expect((await localManifest()).allDatasetsAreInCloud).toBe(false);
      const files = [new Datafile({ path: 'gs://hello/file.txt' }), new Datafile({ path: 'gs://goodbye/file.csv' })];
      expect(new Manifest({ datasets: { d: new Dataset({ files }) } }).allDatasetsAreInCloud).toBe(true);
    });
  });

  describe('Methods: toCloud / fromCloud / fromFile', () => {
    it('round-trips through the cloud and through a local file', async () => {
      const manifest = await localManifest();
      await manifest.toCloud('gs://test-bucket/manifests/manifest.json', { store: sandbox.store });
      const fromCloud = await Manifest.fromCloud('gs://test-bucket/manifests/manifest.json', { store: sandbox.store });
      expect(fromCloud.toPrimitive()).toEqual(manifest.toPrimitive());
      await expect(fromCloud.hash()).resolves.toBe(await manifest.hash());

      const filePath = path.join(sandbox.dir, 'manifest.json');
      await fs.writeFile(filePath, manifest.serialise());
      expect((await Manifest.fromFile(filePath)).toPrimitive()).toEqual(manifest.toPrimitive());
    });

    it('throws ManifestNotFoundException when there is nothing to read', async () => {
      await expect(Manifest.fromCloud('gs://test-bucket/none.json', { store: sandbox.store })).rejects.toThrow(
        ManifestNotFoundException,
      );
      await expect(Manifest.fromFile(path.join(sandbox.dir, 'none.json'))).rejects.toThrow(ManifestNotFoundException);
    });

    it('throws InvalidManifestException for text that is not JSON', async () => {
      await sandbox.store.upload('gs://test-bucket/bad.json', '{not json');
      await expect(Manifest.fromCloud('gs://test-bucket/bad.json', { store: sandbox.store })).rejects.toThrow(
        InvalidManifestException,
      );
    });
  });

  describe('Cloud datasets', () => {
    async function cloudManifest(): Promise<Manifest> {
      const manifest = await localManifest();
      for (const [key, dataset] of Object.entries(manifest.datasets)) {
        await dataset.upload({ store: sandbox.store, cloudPath: `gs://test-bucket/datasets/${key}` });
      }
      return Manifest.fromPrimitive(manifest.toPrimitive(), { store: sandbox.store });
    }

    it('downloads the datasets to given paths and the rest into a directory, or only the given ones', async () => {
      const manifest = await cloudManifest();
      const chosen = path.join(sandbox.dir, 'chosen');
      const rest = path.join(sandbox.dir, 'rest');
      const paths = await manifest.download({ paths: { my_dataset_0: chosen }, directory: rest });
      expect(paths).toEqual({ my_dataset_0: chosen, my_dataset_1: path.join(rest, 'my_dataset_1') });
      expect(await fs.readFile(path.join(chosen, 'my_file_0.txt'), 'utf8')).toBe('blah');
      expect(await fs.readFile(path.join(rest, 'my_dataset_1', 'sub', 'my_file_1.txt'), 'utf8')).toBe('hello');

      const only = await manifest.download({
        paths: { my_dataset_1: path.join(sandbox.dir, 'only') },
        downloadAll: false,
      });
      expect(Object.keys(only)).toEqual(['my_dataset_1']);
    });

    it('swaps cloud dataset paths for signed URLs once, even when called concurrently', async () => {
      const manifest = await cloudManifest();
      await Promise.all([manifest.useSignedUrlsForDatasets(), manifest.useSignedUrlsForDatasets()]);
      const signedPath = manifest.getDataset('my_dataset_0').path;
      expect(signedPath).toMatch(/^file:\/\/.*\/\.signed_metadata_files\//);
      await manifest.useSignedUrlsForDatasets();
      expect(manifest.getDataset('my_dataset_0').path).toBe(signedPath);
      const { objects } = await sandbox.store.list('gs://test-bucket/datasets/my_dataset_0/.signed_metadata_files/');
      expect(objects).toHaveLength(1);

      const received = await Manifest.fromPrimitive(manifest.toPrimitive());
      expect(received.getDataset('my_dataset_0').id).toBe(manifest.getDataset('my_dataset_0').id);
      await expect(received.hash()).resolves.toBe(await manifest.hash());
    });

    it('leaves local datasets alone when signing', async () => {
      const manifest = await localManifest();
      await manifest.useSignedUrlsForDatasets({ store: sandbox.store });
      expect(manifest.getDataset('my_dataset_0').path).toBe(dataset0);
    });
  });

  describe('Method: updateDatasetPaths', () => {
    it('sets each path to what the generator returns', async () => {
      const manifest = new Manifest({
        datasets: { d0: new Dataset({ path: 'path/to/dataset_0' }), d2: new Dataset({ path: 'path/to/dataset_2' }) },
      });
      await manifest.updateDatasetPaths((dataset) => dataset.path.replace('0', 'zero'));
      expect(manifest.getDataset('d0').path).toBe('path/to/dataset_zero');
      expect(manifest.getDataset('d2').path).toBe('path/to/dataset_2');
    });
  });
});
