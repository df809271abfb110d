import { promises as fs } from 'node:fs';
import path from 'node:path';

import { Datafile } from '../../../../src/core/resources/datafile';
import { Dataset } from '../../../../src/core/resources/dataset';
import { CloudLocationNotSpecified, FileNotFoundException, FolderNotFoundException } from '../../../../src/errors';
import type { Sandbox } from './helpers';
import { createSandbox, streamToString } from './helpers';

const ID = '69253db4-7972-42de-8ccc-61336a28cd50';
const CLOUD_PATH = 'gs://test-bucket/a_directory/my-dataset';

describe('Class: Dataset (cloud, through a local object store)', () => {
  let sandbox: Sandbox;
  let local: Dataset;
  beforeEach(async () => {
    sandbox = await createSandbox();
    await sandbox.write('my-dataset/file_0.txt', '[1, 2, 3]');
    await sandbox.write('my-dataset/sub-directory/sub_file.txt', '[4, 5, 6]');
    local = await Dataset.fromLocalDirectory(path.join(sandbox.dir, 'my-dataset'), {
      id: ID,
      tags: { a: 'b', c: 1 },
      labels: 'x',
    });
    local.files.one({ name: 'file_0.txt' }).tags = { another: 'tag' };
  });
  afterEach(() => sandbox.cleanup());

  const names = (dataset: Dataset): string[] => [...dataset].map((file) => file.name).sort();

  describe('Method: upload', () => {
    it('uploads the files at their relative paths and writes the cloud .octue file as Octue does', async () => {
      await expect(local.upload({ store: sandbox.store, cloudPath: CLOUD_PATH })).resolves.toBe(CLOUD_PATH);
      expect(local.path).toBe(CLOUD_PATH);
      const { objects } = await sandbox.store.list(`${CLOUD_PATH}/`);
      expect(objects.map((object) => object.name)).toEqual([
        'a_directory/my-dataset/.octue',
        'a_directory/my-dataset/file_0.txt',
        'a_directory/my-dataset/sub-directory/sub_file.txt',
      ]);
      expect((await sandbox.store.read(`${CLOUD_PATH}/.octue`)).toString()).toBe(
        `{"dataset": {"id": "${ID}", "name": "my-dataset", "tags": {"a": "b", "c": 1}, "labels": ["x"], ` +
          `"path": "${CLOUD_PATH}"}}`,
      );
      expect(local.toPrimitive().files).toEqual([
        `${CLOUD_PATH}/file_0.txt`,
        `${CLOUD_PATH}/sub-directory/sub_file.txt`,
      ]);
    });
  });

  describe('Method: fromCloud', () => {
    it('reads the metadata, the files and their metadata back, with the same hash', async () => {
      await local.upload({ store: sandbox.store, cloudPath: CLOUD_PATH });
      const dataset = await Dataset.fromCloud(CLOUD_PATH, { store: sandbox.store, tags: { ignored: true } });
      expect(dataset.path).toBe(CLOUD_PATH);
      expect(dataset.id).toBe(ID);
      expect(dataset.name).toBe('my-dataset');
      expect(dataset.tags.toPrimitive()).toEqual({ a: 'b', c: 1 });
      expect(dataset.labels.sorted()).toEqual(['x']);
      expect(names(dataset)).toEqual(['file_0.txt', 'sub_file.txt']);
      expect(dataset.files.one({ name: 'file_0.txt' }).tags.toPrimitive()).toEqual({ another: 'tag' });
      expect(dataset.files.one({ name: 'file_0.txt' }).cloudPath).toBe(`${CLOUD_PATH}/file_0.txt`);
      await expect(dataset.hash()).resolves.toBe(await local.hash());
    });

    it('lists only the top level when not recursive', async () => {
      await local.upload({ store: sandbox.store, cloudPath: CLOUD_PATH });
      const dataset = await Dataset.fromCloud(CLOUD_PATH, { store: sandbox.store, recursive: false });
      expect(names(dataset)).toEqual(['file_0.txt']);
    });

    it('loads any prefix without a metadata file, named after its last segment', async () => {
      await sandbox.store.upload('gs://test-bucket/my_dataset/file_0.txt', '[1, 2, 3]');
      await sandbox.store.upload('gs://test-bucket/my_dataset/file_1.txt', '[4, 5, 6]');
      const dataset = await Dataset.fromCloud('gs://test-bucket/my_dataset/', { store: sandbox.store });
      expect(dataset.name).toBe('my_dataset');
      expect(names(dataset)).toEqual(['file_0.txt', 'file_1.txt']);
    });

    it('honours a files list in the cloud .octue file', async () => {
      await sandbox.store.upload('gs://test-bucket/listed/a.txt', 'a');
      await sandbox.store.upload('gs://test-bucket/listed/b.txt', 'b');
      await sandbox.store.upload(
        'gs://test-bucket/listed/.octue',
        JSON.stringify({ dataset: { name: 'picked', files: ['gs://test-bucket/listed/b.txt'] } }),
      );
      const dataset = await Dataset.fromCloud('gs://test-bucket/listed', { store: sandbox.store });
      expect(names(dataset)).toEqual(['b.txt']);
      expect(dataset.name).toBe('picked');
    });

    it('ignores stored metadata when asked', async () => {
      await local.upload({ store: sandbox.store, cloudPath: CLOUD_PATH });
      const dataset = await Dataset.fromCloud(CLOUD_PATH, {
        store: sandbox.store,
        tags: { new: 'tag' },
        ignoreStoredMetadata: true,
      });
      expect(dataset.tags.toPrimitive()).toEqual({ new: 'tag' });
      expect(dataset.files.one({ name: 'file_0.txt' }).tags.size).toBe(0);
      expect(names(dataset)).toEqual(['file_0.txt', 'sub_file.txt']);
    });

    it('throws FolderNotFoundException with the path for an empty prefix, unless allowMissing', async () => {
      await sandbox.store.upload('gs://test-bucket/elsewhere/x.txt', 'x');
      const missing = 'gs://test-bucket/nothing-here';
      await expect(Dataset.fromCloud(missing, { store: sandbox.store })).rejects.toThrow(FolderNotFoundException);
      await expect(Dataset.fromCloud(missing, { store: sandbox.store })).rejects.toMatchObject({ path: missing });
      await expect(Dataset.fromCloud('gs://no-such-bucket/x', { store: sandbox.store })).rejects.toThrow(
        FolderNotFoundException,
      );
      expect((await Dataset.fromCloud(missing, { store: sandbox.store, allowMissing: true })).size).toBe(0);
    });
  });

  describe('Method: download', () => {
    it('downloads every file into the directory at its relative path', async () => {
      await local.upload({ store: sandbox.store, cloudPath: CLOUD_PATH });
      const dataset = await Dataset.fromCloud(CLOUD_PATH, { store: sandbox.store });
      const directory = path.join(sandbox.dir, 'downloaded');
      await expect(dataset.download({ directory })).resolves.toBe(directory);
      expect(await fs.readFile(path.join(directory, 'file_0.txt'), 'utf8')).toBe('[1, 2, 3]');
      expect(await fs.readFile(path.join(directory, 'sub-directory', 'sub_file.txt'), 'utf8')).toBe('[4, 5, 6]');
      expect(dataset.files.one({ name: 'sub_file.txt' }).localPath).toBe(
        path.join(directory, 'sub-directory', 'sub_file.txt'),
      );
    });
  });

  describe('Method: updateCloudMetadata', () => {
    it('writes the cloud .octue file that the next load reads', async () => {
      await local.upload({ store: sandbox.store, cloudPath: CLOUD_PATH, updateCloudMetadata: false });
      expect(await sandbox.store.exists(`${CLOUD_PATH}/.octue`)).toBe(false);
      local.tags = { existing: true };
      await local.updateMetadata();
      const reloaded = await Dataset.fromCloud(CLOUD_PATH, { store: sandbox.store, tags: { new: 'tag' } });
      expect(reloaded.tags.toPrimitive()).toEqual({ existing: true });
    });
  });

  describe('Method: generateSignedUrl / fromUrl', () => {
    it("uploads a signed metadata file with signed file URLs, and the URL's dataset reads back", async () => {
      await local.upload({ store: sandbox.store, cloudPath: CLOUD_PATH });
      const url = await local.generateSignedUrl();

      const { objects } = await sandbox.store.list(`${CLOUD_PATH}/.signed_metadata_files/`);
      expect(objects).toHaveLength(1);
      const signed = JSON.parse((await sandbox.store.read(objects[0]!.location)).toString()) as Record<string, unknown>;
      expect(Object.keys(signed)).toEqual(['id', 'name', 'tags', 'labels', 'path', 'files']);
      expect(signed.path).toBe(CLOUD_PATH);
      expect((signed.files as string[]).every((file) => file.startsWith('file://'))).toBe(true);

      const fromUrl = await Dataset.fromUrl(url);
      expect(fromUrl.path).toBe(url);
      expect(fromUrl.id).toBe(ID);
      expect(fromUrl.name).toBe('my-dataset');
      expect(fromUrl.tags.toPrimitive()).toEqual({ a: 'b', c: 1 });
      expect(names(fromUrl)).toEqual(['file_0.txt', 'sub_file.txt']);
      const file = fromUrl.files.one({ name: 'file_0.txt' });
      expect(await streamToString(await file.openReadStream())).toBe('[1, 2, 3]');
      await expect(fromUrl.hash()).resolves.toBe(await local.hash());

      const directory = await fromUrl.download({ directory: path.join(sandbox.dir, 'from-url') });
      expect(await fs.readFile(path.join(directory, 'sub-directory', 'sub_file.txt'), 'utf8')).toBe('[4, 5, 6]');
      await expect(fromUrl.generateSignedUrl()).rejects.toThrow(CloudLocationNotSpecified);
    });

    it('loads the same dataset through Dataset.load', async () => {
      await local.upload({ store: sandbox.store, cloudPath: CLOUD_PATH });
      const dataset = await Dataset.load(await local.generateSignedUrl());
      expect(dataset.id).toBe(ID);
    });

    it('throws FileNotFoundException for a URL that cannot be read', async () => {
      await expect(Dataset.fromUrl(`file://${path.join(sandbox.dir, 'nothing')}`)).rejects.toThrow(
        FileNotFoundException,
      );
    });
  });

  describe('Method: fromFiles (cloud)', () => {
    it('loads cloud files with their metadata and counts as defined by files', async () => {
      await local.upload({ store: sandbox.store, cloudPath: CLOUD_PATH });
      const dataset = await Dataset.fromFiles([`${CLOUD_PATH}/file_0.txt`], { store: sandbox.store, path: CLOUD_PATH });
      expect(dataset.instantiatedFromFiles).toBe(true);
      expect(dataset.files.one().tags.toPrimitive()).toEqual({ another: 'tag' });
      expect(dataset.allFilesAreInCloud).toBe(true);
    });

    it('refuses to upload a file that lies outside the dataset folder', async () => {
      const outside = await Datafile.fromLocalFile(await sandbox.write('elsewhere/x.txt', 'x'));
      const dataset = new Dataset({ path: path.join(sandbox.dir, 'my-dataset'), files: [outside] });
      await expect(dataset.upload({ store: sandbox.store, cloudPath: CLOUD_PATH })).rejects.toThrow(
        /is outside the folder/,
      );
    });
  });
});
