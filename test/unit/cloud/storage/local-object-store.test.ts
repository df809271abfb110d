import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { LocalObjectStore } from '../../../../src/cloud/storage/local-object-store';
import { crc32cHash } from '../../../../src/core/hashing/crc32c';
import {
  ChecksumMismatch,
  IncompleteUpload,
  InvalidCloudPath,
  InvalidInputException,
  StorageRequestFailed,
  UrlSigningFailed,
} from '../../../../src/errors';
import { describeObjectStoreContract, failingStream, patternBytes } from '../../../helpers/object-store-contract';

describeObjectStoreContract('LocalObjectStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'skein-local-store-'));
  await mkdir(join(root, 'contract-bucket'));
  return {
    store: new LocalObjectStore({ root }),
    bucket: 'contract-bucket',
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

describe('Class: LocalObjectStore', () => {
  let root: string;
  let store: LocalObjectStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'skein-local-store-'));
    store = new LocalObjectStore({ root });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describe('Method: constructor', () => {
    it('fails with InvalidInputException when no root is given', () => {
      expect(() => new LocalObjectStore({ root: '' })).toThrow(InvalidInputException);
    });
  });

  describe('Method: upload', () => {
    it('stores the bytes as a plain file under <root>/<bucket>/<name>, creating the bucket', async () => {
      await store.upload('gs://bk1/a/b.csv', 'x,y\n');

      expect(await readFile(join(root, 'bk1', 'a', 'b.csv'), 'utf8')).toBe('x,y\n');
    });

    it('keeps metadata out of the bucket directory and leaves no staged files', async () => {
      await store.upload('gs://bk1/a.csv', 'x', { metadata: { k: 'v' } });

      expect(await readdir(join(root, 'bk1'))).toEqual(['a.csv']);
      expect(await readdir(join(root, '.skein-tmp'))).toEqual([]);
      expect((await store.list('gs://bk1/')).objects.map((o) => o.name)).toEqual(['a.csv']);
    });

    it('leaves nothing staged when the source stream fails part way', async () => {
      await expect(store.upload('gs://bk1/t.bin', failingStream())).rejects.toBeInstanceOf(IncompleteUpload);

      expect(await readdir(join(root, '.skein-tmp'))).toEqual([]);
    });

    it.each([
      ['an object exists where a directory is needed', 'gs://bk1/a', 'gs://bk1/a/b'],
      ['objects exist under the name', 'gs://bk1/a/b', 'gs://bk1/a'],
    ])('fails with StorageRequestFailed when %s', async (_case, first, second) => {
      await store.upload(first, 'x');

      await expect(store.upload(second, 'y')).rejects.toBeInstanceOf(StorageRequestFailed);
      expect((await store.read(first)).toString()).toBe('x');
    });

    it('reuses a name whose objects below it were all deleted', async () => {
      await store.upload('gs://bk1/a/b', 'x');
      await store.delete('gs://bk1/a/b');

      await store.upload('gs://bk1/a', 'y');

      expect((await store.read('gs://bk1/a')).toString()).toBe('y');
    });

    it.each(['gs://bk1/dir/', 'gs://bk1/a//b', 'gs://bk1/a/../b', 'gs://bk1/./b', 'gs://bk1'])(
      'fails with InvalidCloudPath for the name in %s, which a directory tree cannot hold',
      async (location) => {
        await expect(store.upload(location, 'x')).rejects.toBeInstanceOf(InvalidCloudPath);
      },
    );
  });

  describe('Method: createIfAbsent', () => {
    it('lets exactly one caller win across two stores sharing a root', async () => {
      const other = new LocalObjectStore({ root });

      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).createIfAbsent('gs://bk1/claim', `${i}`)),
      );

      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.read('gs://bk1/claim')).toString()).toBe(String(results.indexOf(true)));
    });
  });

  describe('Method: createReadStream', () => {
    it('errors with ChecksumMismatch when the file was altered behind the store', async () => {
      await store.upload('gs://bk1/data.bin', patternBytes(100_000));
      await writeFile(join(root, 'bk1', 'data.bin'), patternBytes(100_000, 9));

      await expect(store.read('gs://bk1/data.bin')).rejects.toBeInstanceOf(ChecksumMismatch);
    });

    it('errors with ChecksumMismatch when the file was replaced by a new file', async () => {
      await store.upload('gs://bk1/data.bin', 'original');
      await rm(join(root, 'bk1', 'data.bin'));
      await writeFile(join(root, 'bk1', 'data.bin'), 'replaced');

      await expect(store.read('gs://bk1/data.bin')).rejects.toBeInstanceOf(ChecksumMismatch);
    });

    it('returns the altered bytes when validation is off', async () => {
      await store.upload('gs://bk1/data.txt', 'original');
      await writeFile(join(root, 'bk1', 'data.txt'), 'altered!');

      const chunks: Buffer[] = [];
      for await (const chunk of store.createReadStream('gs://bk1/data.txt', { validate: false })) {
        chunks.push(chunk as Buffer);
      }

      expect(Buffer.concat(chunks).toString()).toBe('altered!');
    });

    it('throws InvalidCloudPath at once for a malformed location', () => {
      expect(() => store.createReadStream('b1/data.txt')).toThrow(InvalidCloudPath);
    });
  });

  describe('Method: downloadToFile', () => {
    it('leaves no partial file when the bytes fail verification', async () => {
      await store.upload('gs://bk1/data.bin', patternBytes(300_000));
      await writeFile(join(root, 'bk1', 'data.bin'), patternBytes(300_000, 4));
      const target = join(root, 'out', 'data.bin');

      await expect(store.downloadToFile('gs://bk1/data.bin', target)).rejects.toBeInstanceOf(ChecksumMismatch);

      expect(await readdir(join(root, 'out'))).toEqual([]);
    });

    it('fails with StorageRequestFailed when the target is a directory', async () => {
      await store.upload('gs://bk1/data.bin', 'x');
      await mkdir(join(root, 'out', 'data.bin'), { recursive: true });

      await expect(store.downloadToFile('gs://bk1/data.bin', join(root, 'out', 'data.bin'))).rejects.toBeInstanceOf(
        StorageRequestFailed,
      );
      expect(await readdir(join(root, 'out'))).toEqual(['data.bin']);
    });
    it('fails with StorageRequestFailed when a parent of the target is a file', async () => {
      await store.upload('gs://bk1/data.bin', 'x');
      await writeFile(join(root, 'blocker'), 'not a directory');

      await expect(store.downloadToFile('gs://bk1/data.bin', join(root, 'blocker', 'data.bin'))).rejects.toBeInstanceOf(
        StorageRequestFailed,
      );
    });
  });

  describe('Method: getMetadata', () => {
    it('describes a file placed in a bucket by hand from its bytes', async () => {
      await mkdir(join(root, 'bk1', 'dir'), { recursive: true });
      await writeFile(join(root, 'bk1', 'dir', 'hand.txt'), 'by hand');

      const stored = await store.getMetadata('gs://bk1/dir/hand.txt');

      expect(stored).toMatchObject({ size: 7, crc32c: crc32cHash('by hand'), metadata: {}, metageneration: '1' });
      expect((await store.read('gs://bk1/dir/hand.txt')).toString()).toBe('by hand');
      expect((await store.list('gs://bk1/', { delimiter: '/' })).prefixes).toEqual(['gs://bk1/dir/']);
    });

    it('keeps custom metadata set on a file placed by hand', async () => {
      await mkdir(join(root, 'bk1'));
      await writeFile(join(root, 'bk1', 'hand.txt'), 'by hand');

      await store.setCustomMetadata('gs://bk1/hand.txt', { k: 'v' });

      expect(await store.getMetadata('gs://bk1/hand.txt')).toMatchObject({ metadata: { k: 'v' }, metageneration: '2' });
      expect((await store.read('gs://bk1/hand.txt')).toString()).toBe('by hand');
    });
  });

  describe('Method: list', () => {
    it('does not list directories left empty by deletes as prefixes', async () => {
      await store.upload('gs://bk1/dir/sub/x', 'x');
      await store.delete('gs://bk1/dir/sub/x');

      await expect(store.list('gs://bk1/dir/', { delimiter: '/' })).resolves.toEqual({ objects: [], prefixes: [] });
    });
  });

  describe('Method: signUrl', () => {
    it("returns the file:// URL of the object's file", async () => {
      await store.upload('gs://bk1/a b/c.txt', 'x');

      const url = await store.signUrl('gs://bk1/a b/c.txt');

      expect(fileURLToPath(url)).toBe(join(root, 'bk1', 'a b', 'c.txt'));
    });

    it('fails with UrlSigningFailed for a write URL', async () => {
      await expect(store.signUrl('gs://bk1/x', { action: 'write' })).rejects.toBeInstanceOf(UrlSigningFailed);
    });
  });
});
