import { promises as fs } from 'node:fs';
import path from 'node:path';

import { Datafile } from '../../../../src/core/resources/datafile';
import {
  CloudLocationNotSpecified,
  FileNotFoundException,
  InvalidInputException,
  InvalidLabelException,
  InvalidTagException,
} from '../../../../src/errors';
import type { Sandbox } from './helpers';
import { createSandbox, streamToString } from './helpers';

const ID = 'a10603a0-194c-40d0-a7b7-fcf9952c3690';

describe('Class: Datafile', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await createSandbox();
  });
  afterEach(() => sandbox.cleanup());

  describe('Method: constructor', () => {
    it('makes a local path absolute and names the file after it', () => {
      const datafile = new Datafile({ path: 'dir/a_test_file.csv' });
      expect(datafile.localPath).toBe(path.resolve('dir/a_test_file.csv'));
      expect(datafile.cloudPath).toBeNull();
      expect(datafile.name).toBe('a_test_file.csv');
      expect(datafile.extension).toBe('csv');
      expect(datafile.existsLocally).toBe(true);
      expect(datafile.existsInCloud).toBe(false);
      expect(datafile.toString()).toBe("<Datafile('a_test_file.csv')>");
    });

    it('keeps a cloud path and reads its bucket and object name', () => {
      const datafile = new Datafile({ path: 'gs://hello/dir/file.txt' });
      expect(datafile.cloudPath).toBe('gs://hello/dir/file.txt');
      expect(datafile.localPath).toBeNull();
      expect(datafile.bucketName).toBe('hello');
      expect(datafile.pathInBucket).toBe('dir/file.txt');
      expect(datafile.existsInCloud).toBe(true);
    });

    it('names a URL datafile without its query string', () => {
      const datafile = new Datafile({
        path: 'https://storage.googleapis.com/b/dir/my%20file.dat?X-Goog-Signature=abc',
      });
      expect(datafile.name).toBe('my file.dat');
      expect(datafile.bucketName).toBeNull();
    });

    it('generates an id, or keeps a given one in canonical form', () => {
      expect(new Datafile({ path: 'a' }).id).not.toBe(new Datafile({ path: 'a' }).id);
      expect(new Datafile({ path: 'a', id: ID.toUpperCase() }).id).toBe(ID);
    });

    it('prefers a given name', () => {
      expect(new Datafile({ path: 'a.txt', name: 'b.txt' }).name).toBe('b.txt');
    });

    it.each([
      ['an empty path', { path: '' }, InvalidInputException],
      ['a bad id', { path: 'a', id: 'not_a_uuid' }, InvalidInputException],
      ['a bad timestamp', { path: 'a', timestamp: 'soon' }, InvalidInputException],
      ['a bad tag name', { path: 'a', tags: { 'Bad-Tag': 1 } }, InvalidTagException],
      ['a bad label', { path: 'a', labels: 'UPPER' }, InvalidLabelException],
    ])('throws for %s', (_label, init, errorClass) => {
      expect(() => new Datafile(init)).toThrow(errorClass);
    });
  });

  describe('Property: timestamp', () => {
    it('accepts POSIX seconds and gives them back', () => {
      const datafile = new Datafile({ path: 'a' });
      expect(datafile.posixTimestamp).toBeNull();
      datafile.timestamp = 0;
      expect(datafile.timestamp).toEqual(new Date(0));
      expect(datafile.posixTimestamp).toBe(0);
    });
  });

  describe('Method: toPrimitive', () => {
    it("has exactly Octue's keys and shapes", () => {
      const datafile = new Datafile({
        path: path.join(sandbox.dir, 'a.csv'),
        id: ID,
        timestamp: new Date(Date.UTC(2021, 0, 1)),
        tags: { b: 2, a: 1 },
        labels: 'z y',
      });
      const primitive = datafile.toPrimitive();
      expect(Object.keys(primitive)).toEqual([
        'id',
        'timestamp',
        'tags',
        'labels',
        'name',
        'local_path',
        'cloud_path',
        '_cloud_metadata',
        'path',
      ]);
      expect(primitive).toEqual({
        id: ID,
        timestamp: new Date(Date.UTC(2021, 0, 1)),
        tags: { b: 2, a: 1 },
        labels: ['y', 'z'],
        name: 'a.csv',
        local_path: path.join(sandbox.dir, 'a.csv'),
        cloud_path: null,
        _cloud_metadata: {},
        path: path.join(sandbox.dir, 'a.csv'),
      });
    });

    it('uses the cloud path as the path of a cloud-only datafile', () => {
      const primitive = new Datafile({ path: 'gs://b/x.txt' }).toPrimitive();
      expect(primitive.path).toBe('gs://b/x.txt');
      expect(primitive.local_path).toBeNull();
    });
  });

  describe('Method: fromPrimitive', () => {
    it('round-trips a primitive without I/O', () => {
      const original = new Datafile({ path: 'gs://b/x.txt', localPath: 'x.txt', id: ID, tags: { a: 1 }, labels: 'l' });
      const copy = Datafile.fromPrimitive(original.toPrimitive());
      expect(copy.toPrimitive()).toEqual(original.toPrimitive());
    });

    it('reads encoded datetimes and a _cloud_metadata record, as sent by a Python peer', () => {
      const datafile = Datafile.fromPrimitive({
        path: 'gs://b/x.txt',
        id: ID,
        timestamp: { _type: 'datetime', value: '2021-01-01T00:00:00+00:00' },
        tags: {},
        labels: [],
        _cloud_metadata: { custom_metadata: {}, crc32c: 'mnG7TA==', size: 5 },
      });
      expect(datafile.timestamp).toEqual(new Date(Date.UTC(2021, 0, 1)));
      expect(datafile.cloudMetadata?.crc32c).toBe('mnG7TA==');
    });

    it.each([
      ['a non-object', 'x.txt'],
      ['an object without a path', { id: ID }],
    ])('throws InvalidInputException for %s', (_label, primitive) => {
      expect(() => Datafile.fromPrimitive(primitive)).toThrow(InvalidInputException);
    });
  });

  describe('Method: metadata', () => {
    it('namespaces the keys unless told not to', () => {
      const datafile = new Datafile({ path: 'a' });
      expect(Object.keys(datafile.metadata())).toEqual([
        'octue__id',
        'octue__timestamp',
        'octue__tags',
        'octue__labels',
        'octue__sdk_version',
      ]);
      expect(Object.keys(datafile.metadata({ useOctueNamespace: false }))).toEqual([
        'id',
        'timestamp',
        'tags',
        'labels',
        'sdk_version',
      ]);
      expect(Object.keys(datafile.metadata({ includeId: false, includeSdkVersion: false }))).toEqual([
        'octue__timestamp',
        'octue__tags',
        'octue__labels',
      ]);
    });
  });

  describe('Method: hash', () => {
    it.each([
      ['', 'AAAAAA=='],
      ['hello', 'mnG7TA=='],
      ['[1, 2, 3]', '6NMauw=='],
    ])('gives the GCS crc32c string of the bytes %j', async (contents, expected) => {
      const datafile = await Datafile.fromLocalFile(await sandbox.write('f.txt', contents));
      await expect(datafile.hash()).resolves.toBe(expected);
    });

    it('depends only on the bytes, not on the name or id', async () => {
      const first = await Datafile.fromLocalFile(await sandbox.write('one.txt', 'same'));
      const second = await Datafile.fromLocalFile(await sandbox.write('two.txt', 'same'), { id: ID });
      await expect(first.hash()).resolves.toBe(await second.hash());
    });

    it('uses the known crc32c of a cloud-only file', async () => {
      const datafile = new Datafile({ path: 'gs://b/x', cloudMetadata: { custom_metadata: {}, crc32c: 'cwy05A==' } });
      await expect(datafile.hash()).resolves.toBe('cwy05A==');
    });

    it('gives the empty hash for a file whose bytes are nowhere yet', async () => {
      await expect(new Datafile({ path: path.join(sandbox.dir, 'missing') }).hash()).resolves.toBe('AAAAAA==');
    });
  });

  describe('Method: fromLocalFile', () => {
    it('throws FileNotFoundException with the path when the file does not exist', async () => {
      const missing = path.join(sandbox.dir, 'missing.txt');
      await expect(Datafile.fromLocalFile(missing)).rejects.toThrow(FileNotFoundException);
      await expect(Datafile.fromLocalFile(missing)).rejects.toMatchObject({ path: missing });
    });

    it('loads a missing file when allowMissing is set', async () => {
      const datafile = await Datafile.fromLocalFile(path.join(sandbox.dir, 'later.txt'), { allowMissing: true });
      expect(datafile.name).toBe('later.txt');
    });

    it('throws FileNotFoundException for a directory', async () => {
      await expect(Datafile.fromLocalFile(sandbox.dir)).rejects.toThrow(/is a directory/);
    });

    it('reads metadata from a .octue file written by Octue', async () => {
      const filePath = await sandbox.write('my_file.txt', 'x');
      await sandbox.write(
        '.octue',
        JSON.stringify({
          datafiles: {
            'my_file.txt': {
              id: ID,
              timestamp: { _type: 'datetime', value: '2021-01-01T00:00:00' },
              tags: { a: 1 },
              labels: { _type: 'set', items: ['b', 'c'] },
              sdk_version: '0.50.0',
            },
          },
        }),
      );
      const datafile = await Datafile.fromLocalFile(filePath);
      expect(datafile.id).toBe(ID);
      expect(datafile.timestamp).toEqual(new Date(Date.UTC(2021, 0, 1)));
      expect(datafile.tags.toPrimitive()).toEqual({ a: 1 });
      expect(datafile.labels.sorted()).toEqual(['b', 'c']);
    });
  });

  describe('Method: updateLocalMetadata', () => {
    it('writes the .octue entry in Octue format and is read back on reload', async () => {
      const filePath = await sandbox.write('data.csv', 'a,b\n');
      const datafile = await Datafile.fromLocalFile(filePath, { id: ID, tags: { my_tag: 'hello' }, labels: 'b a' });
      await datafile.updateLocalMetadata();
      const text = await fs.readFile(path.join(sandbox.dir, '.octue'), 'utf8');
      expect(text).toBe(
        '{\n    "datafiles": {\n        "data.csv": {\n' +
          `            "id": "${ID}",\n            "timestamp": null,\n` +
          '            "tags": {\n                "my_tag": "hello"\n            },\n' +
          '            "labels": {\n                "_type": "set",\n                "items": [\n' +
          '                    "a",\n                    "b"\n                ]\n            },\n' +
          '            "sdk_version": "0.69.0"\n        }\n    }\n}\n',
      );
      const reloaded = await Datafile.fromLocalFile(filePath);
      expect(reloaded.id).toBe(ID);
      expect(reloaded.tags.toPrimitive()).toEqual({ my_tag: 'hello' });
      expect(reloaded.labels.sorted()).toEqual(['a', 'b']);
    });

    it('lets stored metadata win over given metadata unless ignoreStoredMetadata is set', async () => {
      const filePath = await sandbox.write('data.csv', 'x');
      await (await Datafile.fromLocalFile(filePath, { id: ID, tags: { existing: true } })).updateLocalMetadata();

      const stored = await Datafile.fromLocalFile(filePath, { tags: { new: 'tag' } });
      expect(stored.tags.toPrimitive()).toEqual({ existing: true });
      expect(stored.id).toBe(ID);

      const ignored = await Datafile.fromLocalFile(filePath, { tags: { new: 'tag' }, ignoreStoredMetadata: true });
      expect(ignored.tags.toPrimitive()).toEqual({ new: 'tag' });
      expect(ignored.id).not.toBe(ID);
    });

    it('keeps the entries of other files in the same directory', async () => {
      const first = await Datafile.fromLocalFile(await sandbox.write('one.txt', '1'), { labels: 'one' });
      const second = await Datafile.fromLocalFile(await sandbox.write('two.txt', '2'), { labels: 'two' });
      await Promise.all([first.updateMetadata(), second.updateMetadata()]);
      expect((await Datafile.fromLocalFile(first.path)).labels.sorted()).toEqual(['one']);
      expect((await Datafile.fromLocalFile(second.path)).labels.sorted()).toEqual(['two']);
    });

    it('throws InvalidInputException for a cloud-only datafile', async () => {
      await expect(new Datafile({ path: 'gs://b/x' }).updateLocalMetadata()).rejects.toThrow(InvalidInputException);
    });
  });

  describe('Method: openReadStream', () => {
    it('streams the local bytes', async () => {
      const datafile = await Datafile.fromLocalFile(await sandbox.write('f.txt', 'contents'));
      expect(await streamToString(await datafile.openReadStream())).toBe('contents');
    });

    it('throws FileNotFoundException when the local file is gone', async () => {
      const datafile = new Datafile({ path: path.join(sandbox.dir, 'gone.txt') });
      await expect(datafile.openReadStream()).rejects.toThrow(FileNotFoundException);
    });
  });

  describe('Cloud methods on a local-only datafile', () => {
    const local = () => new Datafile({ path: 'hello.txt' });
    it.each([
      ['upload', () => local().upload({ store: sandbox.store })],
      ['download', () => local().download()],
      ['updateCloudMetadata', () => local().updateCloudMetadata({ store: sandbox.store })],
      ['generateSignedUrl', () => local().generateSignedUrl({ store: sandbox.store })],
    ])('%s throws CloudLocationNotSpecified', async (_label, call) => {
      await expect(call()).rejects.toThrow(CloudLocationNotSpecified);
    });

    it('throws InvalidInputException when a gs:// location is used without a store', async () => {
      const datafile = await Datafile.fromLocalFile(await sandbox.write('f.txt', 'x'));
      await expect(datafile.upload({ cloudPath: 'gs://bucket/f.txt' })).rejects.toThrow(/pass \{ store \}/);
    });
  });
});
