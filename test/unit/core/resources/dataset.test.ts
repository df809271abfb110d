import { promises as fs } from 'node:fs';
import path from 'node:path';

import { crc32cHash } from '../../../../src/core/hashing/crc32c';
import { Datafile } from '../../../../src/core/resources/datafile';
import { Dataset } from '../../../../src/core/resources/dataset';
import {
  CloudLocationNotSpecified,
  FolderNotFoundException,
  InvalidInputException,
  UnexpectedNumberOfResultsException,
} from '../../../../src/errors';
import type { Sandbox } from './helpers';
import { createSandbox } from './helpers';

const ID = '69253db4-7972-42de-8ccc-61336a28cd50';

describe('Class: Dataset', () => {
  let sandbox: Sandbox;
  let datasetPath: string;
  beforeEach(async () => {
    sandbox = await createSandbox();
    datasetPath = path.join(sandbox.dir, 'my-dataset');
    await sandbox.write('my-dataset/file_0.txt', '0');
    await sandbox.write('my-dataset/file_1.txt', '1');
    await sandbox.write('my-dataset/sub-directory/sub_file.txt', '2');
    await sandbox.write('my-dataset/sub-directory/sub-sub-directory/sub_sub_file.txt', '3');
  });
  afterEach(() => sandbox.cleanup());

  const names = (dataset: Dataset): string[] => [...dataset].map((file) => file.name).sort();

  describe('Method: constructor', () => {
    it('builds an empty dataset named after its path without I/O', () => {
      const dataset = new Dataset({ path: 'path/to/dataset_0', tags: { a: 1 }, labels: 'x' });
      expect(dataset.name).toBe('dataset_0');
      expect(dataset.size).toBe(0);
      expect(dataset.instantiatedFromFiles).toBe(false);
      expect(dataset.existsLocally).toBe(true);
      expect(dataset.toString()).toBe("<Dataset('dataset_0')>");
    });

    it('counts as defined by files when given files', () => {
      const dataset = new Dataset({ files: [new Datafile({ path: 'gs://hello/file.txt' })] });
      expect(dataset.instantiatedFromFiles).toBe(true);
      expect(dataset.allFilesAreInCloud).toBe(true);
      expect(dataset.path).toBe(process.cwd());
    });

    it('names a cloud dataset after its last segment, ignoring a trailing slash', () => {
      const dataset = new Dataset({ path: 'gs://bucket/datasets/my-dataset/' });
      expect(dataset.name).toBe('my-dataset');
      expect(dataset.bucketName).toBe('bucket');
      expect(dataset.metadataPath).toBe('gs://bucket/datasets/my-dataset/.octue');
    });
  });

  describe('Method: fromLocalDirectory', () => {
    it('includes the files of subdirectories by default', async () => {
      const dataset = await Dataset.fromLocalDirectory(datasetPath);
      expect(names(dataset)).toEqual(['file_0.txt', 'file_1.txt', 'sub_file.txt', 'sub_sub_file.txt']);
      expect(dataset.name).toBe('my-dataset');
      expect(dataset.path).toBe(datasetPath);
    });

    it('includes only the top level when not recursive', async () => {
      const dataset = await Dataset.fromLocalDirectory(datasetPath, { recursive: false });
      expect(names(dataset)).toEqual(['file_0.txt', 'file_1.txt']);
    });

    it('skips .octue files and .signed_metadata_files unless told to include metadata files', async () => {
      await sandbox.write('my-dataset/.octue', '{}');
      await sandbox.write('my-dataset/.signed_metadata_files/slug', '{}');
      expect((await Dataset.fromLocalDirectory(datasetPath)).size).toBe(4);
      const withMetadata = await Dataset.fromLocalDirectory(datasetPath, { includeOctueMetadataFiles: true });
      expect(names(withMetadata)).toContain('.octue');
      expect(names(withMetadata)).not.toContain('slug');
    });

    it('throws FolderNotFoundException with the path when the directory does not exist', async () => {
      const missing = path.join(sandbox.dir, 'nope');
      await expect(Dataset.fromLocalDirectory(missing)).rejects.toThrow(FolderNotFoundException);
      await expect(Dataset.fromLocalDirectory(missing)).rejects.toMatchObject({ path: missing });
    });

    it('throws FolderNotFoundException for a file', async () => {
      await expect(Dataset.fromLocalDirectory(path.join(datasetPath, 'file_0.txt'))).rejects.toThrow(
        /is not a directory/,
      );
    });

    it('loads a missing directory as an empty dataset when allowMissing is set', async () => {
      const dataset = await Dataset.fromLocalDirectory(path.join(sandbox.dir, 'later'), { allowMissing: true });
      expect(dataset.size).toBe(0);
      expect(dataset.name).toBe('later');
    });

    it('gives the files their own .octue metadata, not the dataset metadata', async () => {
      const file = await Datafile.fromLocalFile(path.join(datasetPath, 'file_0.txt'), { labels: 'file-label' });
      await file.updateLocalMetadata();
      const dataset = await Dataset.fromLocalDirectory(datasetPath, { labels: 'dataset-label' });
      expect(dataset.files.one({ name: 'file_0.txt' }).labels.sorted()).toEqual(['file-label']);
      expect(dataset.files.one({ name: 'file_1.txt' }).labels.size).toBe(0);
      expect(dataset.labels.sorted()).toEqual(['dataset-label']);
    });
  });

  describe('Method: updateLocalMetadata', () => {
    it("writes Octue's dataset record and is read back on reload", async () => {
      const dataset = await Dataset.fromLocalDirectory(datasetPath, {
        id: ID,
        tags: { cat: 'dog' },
        labels: ['animals'],
      });
      await dataset.updateLocalMetadata();
      expect(await fs.readFile(path.join(datasetPath, '.octue'), 'utf8')).toBe(
        `{\n    "dataset": {\n        "id": "${ID}",\n        "name": "my-dataset",\n        "tags": {\n` +
          `            "cat": "dog"\n        },\n        "labels": [\n            "animals"\n        ],\n` +
          `        "path": ${JSON.stringify(datasetPath)}\n    }\n}\n`,
      );
      const reloaded = await Dataset.fromLocalDirectory(datasetPath, { tags: { new: 'tag' } });
      expect(reloaded.id).toBe(ID);
      expect(reloaded.tags.toPrimitive()).toEqual({ cat: 'dog' });
      expect(reloaded.labels.sorted()).toEqual(['animals']);
      await expect(reloaded.hash()).resolves.toBe(await dataset.hash());

      const ignored = await Dataset.fromLocalDirectory(datasetPath, {
        tags: { new: 'tag' },
        ignoreStoredMetadata: true,
      });
      expect(ignored.tags.toPrimitive()).toEqual({ new: 'tag' });
      expect(ignored.id).not.toBe(ID);
    });

    it('shares the .octue file with the datafile records of the same directory', async () => {
      const dataset = await Dataset.fromLocalDirectory(datasetPath, { id: ID });
      await dataset.updateMetadata();
      await dataset.files.one({ name: 'file_0.txt' }).updateMetadata();
      const records = JSON.parse(await fs.readFile(path.join(datasetPath, '.octue'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(Object.keys(records)).toEqual(['dataset', 'datafiles']);
      expect((await Dataset.fromLocalDirectory(datasetPath)).id).toBe(ID);
    });

    it('honours a files list stored in the dataset record', async () => {
      const only = path.join(datasetPath, 'file_1.txt');
      await sandbox.write('my-dataset/.octue', JSON.stringify({ dataset: { name: 'named', files: [only] } }));
      const dataset = await Dataset.fromLocalDirectory(datasetPath);
      expect(names(dataset)).toEqual(['file_1.txt']);
      expect(dataset.name).toBe('named');
    });
  });

  describe('Method: toPrimitive', () => {
    it("has exactly Octue's keys, with sorted file paths", async () => {
      const dataset = await Dataset.fromLocalDirectory(datasetPath, {
        id: ID,
        labels: ['b', 'a'],
        tags: { a: 1, b: 2 },
      });
      const primitive = dataset.toPrimitive();
      expect(Object.keys(primitive)).toEqual(['id', 'name', 'tags', 'labels', 'path', 'files']);
      expect(primitive).toEqual({
        id: ID,
        name: 'my-dataset',
        tags: { a: 1, b: 2 },
        labels: ['a', 'b'],
        path: datasetPath,
        files: [
          path.join(datasetPath, 'file_0.txt'),
          path.join(datasetPath, 'file_1.txt'),
          path.join(datasetPath, 'sub-directory', 'sub-sub-directory', 'sub_sub_file.txt'),
          path.join(datasetPath, 'sub-directory', 'sub_file.txt'),
        ],
      });
      expect(Object.keys(dataset.toPrimitive({ includeFiles: false }))).toEqual([
        'id',
        'name',
        'tags',
        'labels',
        'path',
      ]);
    });
  });

  describe('Method: hash', () => {
    it("is the CRC32C of Python's repr of the sorted file hashes", async () => {
      const empty = await Datafile.fromLocalFile(await sandbox.write('h/empty.txt', ''));
      const hello = await Datafile.fromLocalFile(await sandbox.write('h/hello.txt', 'hello'));
      const dataset = new Dataset({ files: [hello, empty] });
      // File hashes AAAAAA== and mnG7TA==; Python: str(sorted(...)) == "['AAAAAA==', 'mnG7TA==']".
      await expect(dataset.hash()).resolves.toBe(crc32cHash("['AAAAAA==', 'mnG7TA==']"));
      await expect(dataset.hash()).resolves.toBe('3fPajA==');
    });

    it('hashes an empty dataset as str([])', async () => {
      await expect(new Dataset({ path: 'x' }).hash()).resolves.toBe(crc32cHash('[]'));
    });
  });

  describe('Method: fromFiles', () => {
    it('loads paths, keeps Datafiles and reads primitives, and counts as defined by files', async () => {
      const kept = new Datafile({ path: path.join(datasetPath, 'file_0.txt') });
      const dataset = await Dataset.fromFiles(
        [kept, path.join(datasetPath, 'file_1.txt'), { path: path.join(datasetPath, 'sub-directory', 'sub_file.txt') }],
        { path: datasetPath, labels: 'chosen' },
      );
      expect(dataset.files.has(kept)).toBe(true);
      expect(names(dataset)).toEqual(['file_0.txt', 'file_1.txt', 'sub_file.txt']);
      expect(dataset.instantiatedFromFiles).toBe(true);
      expect(dataset.labels.sorted()).toEqual(['chosen']);
    });

    it.each([
      ['a string', 'file.txt'],
      ['a plain object', { a: 1 }],
      ['a number', 3],
    ])('throws InvalidInputException for %s', async (_label, files) => {
      await expect(Dataset.fromFiles(files as never)).rejects.toThrow(InvalidInputException);
    });

    it('throws FileNotFoundException for a listed file that does not exist', async () => {
      await expect(Dataset.fromFiles([path.join(sandbox.dir, 'nope.txt')])).rejects.toThrow(/No file exists/);
    });
  });

  describe('Method: fromPrimitive', () => {
    it('loads from the path when there are no files, applying the given metadata', async () => {
      const dataset = await Dataset.fromPrimitive({ path: datasetPath, id: ID, tags: { a: 1 } });
      expect(dataset.id).toBe(ID);
      expect(dataset.size).toBe(4);
      expect(dataset.instantiatedFromFiles).toBe(false);
    });

    it('round-trips a dataset defined by files', async () => {
      const original = await Dataset.fromFiles([path.join(datasetPath, 'file_0.txt')], { path: datasetPath, id: ID });
      const copy = await Dataset.fromPrimitive(original.toPrimitive());
      expect(copy.toPrimitive()).toEqual(original.toPrimitive());
    });

    it('throws InvalidInputException for a malformed primitive', async () => {
      await expect(Dataset.fromPrimitive(42)).rejects.toThrow(InvalidInputException);
      await expect(Dataset.fromPrimitive({ path: 7 })).rejects.toThrow(/"path" must be a string/);
      await expect(Dataset.fromPrimitive({ path: datasetPath, files: 'x' })).rejects.toThrow(InvalidInputException);
    });
  });

  describe('Method: getFileByLabel / files.filter', () => {
    it('finds files by label and by name', async () => {
      const dataset = await Dataset.fromLocalDirectory(datasetPath);
      dataset.files.one({ name: 'file_1.txt' }).labels = 'special';
      expect(dataset.getFileByLabel('special').name).toBe('file_1.txt');
      expect(() => dataset.getFileByLabel('absent')).toThrow(UnexpectedNumberOfResultsException);
      expect(dataset.files.filter({ name__starts_with: 'sub' }).size).toBe(2);
    });
  });

  describe('Cloud methods on a local dataset', () => {
    it.each([
      ['upload without a cloud path', (d: Dataset) => d.upload({ store: sandbox.store })],
      ['download', (d: Dataset) => d.download()],
      ['generateSignedUrl', (d: Dataset) => d.generateSignedUrl({ store: sandbox.store })],
      ['updateCloudMetadata', (d: Dataset) => d.updateCloudMetadata({ store: sandbox.store })],
    ])('%s throws CloudLocationNotSpecified', async (_label, call) => {
      await expect(call(await Dataset.fromLocalDirectory(datasetPath))).rejects.toThrow(CloudLocationNotSpecified);
    });
  });
});
