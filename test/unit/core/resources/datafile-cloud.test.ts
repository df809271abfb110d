import { promises as fs } from 'node:fs';
import path from 'node:path';

import { Datafile } from '../../../../src/core/resources/datafile';
import { FileNotFoundException, ReadOnlyResource } from '../../../../src/errors';
import type { Sandbox } from './helpers';
import { createSandbox, streamToString } from './helpers';

const ID = 'a10603a0-194c-40d0-a7b7-fcf9952c3690';
const CLOUD_PATH = 'gs://test-bucket/dir/file.txt';

describe('Class: Datafile (cloud, through a local object store)', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await createSandbox();
  });
  afterEach(() => sandbox.cleanup());

  async function uploadedDatafile(contents = 'hello', labels = 'start'): Promise<Datafile> {
    const datafile = await Datafile.fromLocalFile(await sandbox.write('file.txt', contents), {
      id: ID,
      tags: { a: 1, b: 'two' },
      labels,
      timestamp: new Date(Date.UTC(2021, 0, 1)),
    });
    await datafile.upload({ store: sandbox.store, cloudPath: CLOUD_PATH });
    return datafile;
  }

  describe('Method: upload', () => {
    it('stores the bytes and the metadata JSON-encoded under octue__ keys, as Octue does', async () => {
      const datafile = await uploadedDatafile();
      expect(datafile.cloudPath).toBe(CLOUD_PATH);
      expect((await sandbox.store.read(CLOUD_PATH)).toString()).toBe('hello');
      const object = await sandbox.store.getMetadata(CLOUD_PATH);
      expect(object.metadata).toEqual({
        octue__id: `"${ID}"`,
        octue__timestamp: '{"_type": "datetime", "value": "2021-01-01T00:00:00+00:00"}',
        octue__tags: '{"a": 1, "b": "two"}',
        octue__labels: '{"_type": "set", "items": ["start"]}',
        octue__sdk_version: '"0.69.0"',
      });
      expect(object.crc32c).toBe('mnG7TA==');
      expect(datafile.cloudMetadata?.crc32c).toBe('mnG7TA==');
    });

    it('neither re-uploads the bytes nor rewrites the metadata when nothing changed', async () => {
      const datafile = await uploadedDatafile();
      const before = await sandbox.store.getMetadata(CLOUD_PATH);
      await datafile.upload();
      const after = await sandbox.store.getMetadata(CLOUD_PATH);
      expect(after.generation).toBe(before.generation);
      expect(after.metageneration).toBe(before.metageneration);
    });

    it('updates the cloud metadata when the labels changed', async () => {
      const datafile = await uploadedDatafile();
      datafile.labels = 'finish';
      await datafile.upload();
      const reloaded = await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store });
      expect(reloaded.labels.sorted()).toEqual(['finish']);
    });

    it('leaves the metadata alone when updateCloudMetadata is false', async () => {
      const datafile = await uploadedDatafile();
      datafile.labels = 'finish';
      await datafile.upload({ updateCloudMetadata: false });
      expect((await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store })).labels.sorted()).toEqual(['start']);
    });

    it('re-uploads changed local bytes', async () => {
      const datafile = await uploadedDatafile();
      await fs.writeFile(datafile.localPath as string, 'changed');
      await datafile.upload();
      expect((await sandbox.store.read(CLOUD_PATH)).toString()).toBe('changed');
    });

    it('copies a cloud-only datafile to a new cloud location without a local copy', async () => {
      await uploadedDatafile();
      const remote = await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store });
      await remote.upload({ cloudPath: 'gs://test-bucket/new/location.txt' });
      expect(remote.localPath).toBeNull();
      expect((await sandbox.store.read('gs://test-bucket/new/location.txt')).toString()).toBe('hello');
      const copy = await Datafile.fromCloud('gs://test-bucket/new/location.txt', { store: sandbox.store });
      expect(copy.id).toBe(ID);
    });
  });

  describe('Method: fromCloud', () => {
    it('reads the stored metadata and takes the hash from the object without downloading', async () => {
      await uploadedDatafile();
      const datafile = await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store });
      expect(datafile.id).toBe(ID);
      expect(datafile.name).toBe('file.txt');
      expect(datafile.tags.toPrimitive()).toEqual({ a: 1, b: 'two' });
      expect(datafile.labels.sorted()).toEqual(['start']);
      expect(datafile.timestamp).toEqual(new Date(Date.UTC(2021, 0, 1)));
      await expect(datafile.hash()).resolves.toBe('mnG7TA==');
      expect(datafile.localPath).toBeNull();
    });

    it('lets stored metadata win over given metadata unless ignoreStoredMetadata is set', async () => {
      await uploadedDatafile();
      const stored = await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store, tags: { new: 'tag' } });
      expect(stored.tags.toPrimitive()).toEqual({ a: 1, b: 'two' });
      const ignored = await Datafile.fromCloud(CLOUD_PATH, {
        store: sandbox.store,
        tags: { new: 'tag' },
        ignoreStoredMetadata: true,
      });
      expect(ignored.tags.toPrimitive()).toEqual({ new: 'tag' });
      expect(ignored.id).not.toBe(ID);
    });

    it('loads a bare object with non-JSON custom metadata, keeping the given metadata', async () => {
      await sandbox.store.upload(CLOUD_PATH, '{"height": 32}', { metadata: { origin: 'not json' } });
      const datafile = await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store, labels: 'given' });
      expect(datafile.labels.sorted()).toEqual(['given']);
      expect(datafile.cloudMetadata?.custom_metadata).toEqual({ origin: 'not json' });
      expect(datafile.cloudMetadata?.size).toBe(14);
    });

    it('throws FileNotFoundException with the path when there is no object', async () => {
      const missing = 'gs://test-bucket/missing.txt';
      await sandbox.store.upload('gs://test-bucket/other.txt', 'x');
      await expect(Datafile.fromCloud(missing, { store: sandbox.store })).rejects.toMatchObject({
        name: 'FileNotFoundException',
        path: missing,
      });
      const later = await Datafile.fromCloud(missing, { store: sandbox.store, allowMissing: true });
      expect(later.cloudPath).toBe(missing);
    });

    it('downloads to a given local path, or adopts it when it already holds the same bytes', async () => {
      await uploadedDatafile();
      const target = path.join(sandbox.dir, 'copies', 'copy.txt');
      const downloaded = await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store, localPath: target });
      expect(downloaded.localPath).toBe(target);
      expect(await fs.readFile(target, 'utf8')).toBe('hello');

      // An old timestamp shows whether the file is rewritten.
      await fs.utimes(target, new Date(2000, 0, 1), new Date(2000, 0, 1));
      const before = (await fs.stat(target)).mtimeMs;
      const adopted = await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store, localPath: target });
      expect(adopted.localPath).toBe(target);
      expect((await fs.stat(target)).mtimeMs).toBe(before);

      await fs.writeFile(target, 'stale');
      await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store, localPath: target });
      expect(await fs.readFile(target, 'utf8')).toBe('hello');
    });
  });

  describe('Method: download', () => {
    it('downloads to a temporary file when no path is given, then reuses it', async () => {
      await uploadedDatafile();
      const datafile = await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store });
      const localPath = await datafile.download();
      expect(await fs.readFile(localPath, 'utf8')).toBe('hello');
      expect(path.basename(localPath)).toBe('file.txt');
      await expect(datafile.download()).resolves.toBe(localPath);
      expect(datafile.existsLocally && datafile.existsInCloud).toBe(true);
      await fs.rm(path.dirname(localPath), { recursive: true });
    });

    it('throws FileNotFoundException when the object is gone', async () => {
      await uploadedDatafile();
      const datafile = await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store });
      await sandbox.store.delete(CLOUD_PATH);
      await expect(datafile.download({ localPath: path.join(sandbox.dir, 'x') })).rejects.toThrow(
        FileNotFoundException,
      );
    });
  });

  describe('Method: updateCloudMetadata', () => {
    it('replaces the stored metadata', async () => {
      await uploadedDatafile();
      const datafile = await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store });
      datafile.labels = 'new';
      await datafile.updateMetadata();
      expect((await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store })).labels.sorted()).toEqual(['new']);
      expect((await sandbox.store.getMetadata(CLOUD_PATH)).metadata.octue__labels).toBe(
        '{"_type": "set", "items": ["new"]}',
      );
    });

    it('throws FileNotFoundException when the object is gone', async () => {
      await uploadedDatafile();
      const datafile = await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store });
      await sandbox.store.delete(CLOUD_PATH);
      await expect(datafile.updateCloudMetadata()).rejects.toThrow(FileNotFoundException);
    });
  });

  describe('Method: openReadStream', () => {
    it('streams a cloud-only file from the store', async () => {
      await uploadedDatafile('streamed bytes');
      const datafile = await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store });
      expect(await streamToString(await datafile.openReadStream())).toBe('streamed bytes');
    });

    it('throws FileNotFoundException when the object is gone', async () => {
      await uploadedDatafile();
      const datafile = await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store });
      await sandbox.store.delete(CLOUD_PATH);
      await expect(datafile.openReadStream()).rejects.toThrow(FileNotFoundException);
    });
  });

  describe('Method: generateSignedUrl / fromUrl', () => {
    it('signs the object, and a datafile loaded from the URL reads its name, bytes and hash', async () => {
      await uploadedDatafile();
      const url = await (await Datafile.fromCloud(CLOUD_PATH, { store: sandbox.store })).generateSignedUrl();
      expect(url.startsWith('file://')).toBe(true);
      const fromUrl = await Datafile.fromUrl(url);
      expect(fromUrl.name).toBe('file.txt');
      expect(fromUrl.cloudMetadata?.size).toBe(5);
      await expect(fromUrl.hash()).resolves.toBe('mnG7TA==');
      expect(await streamToString(await fromUrl.openReadStream())).toBe('hello');
      const localPath = await fromUrl.download({ localPath: path.join(sandbox.dir, 'from-url.txt') });
      expect(await fs.readFile(localPath, 'utf8')).toBe('hello');
      await expect(fromUrl.updateCloudMetadata()).rejects.toThrow(ReadOnlyResource);
    });

    it('throws FileNotFoundException for a URL that cannot be read', async () => {
      const url = `file://${path.join(sandbox.dir, 'nothing-here.txt')}`;
      await expect(Datafile.fromUrl(url)).rejects.toMatchObject({ name: 'FileNotFoundException', path: url });
    });
  });
});
