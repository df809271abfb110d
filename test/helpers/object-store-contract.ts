// The behaviour every ObjectStore adapter must share. Each adapter's test file runs this suite against a fresh store
// (a temp directory for LocalObjectStore, the GCS-compatible server for GcsObjectStore).
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

import { crc32cHash } from '../../src/core/hashing/crc32c';
import type { ObjectStore, TransferProgress, UploadSource } from '../../src/core/ports/object-store';
import {
  CloudStorageBucketNotFound,
  FileNotFoundException,
  IncompleteUpload,
  InvalidCloudPath,
  InvalidInputException,
  ObjectNotFound,
  PreconditionFailed,
  UrlSigningFailed,
} from '../../src/errors';

/** A store under test, a bucket it can use, and how to clean up afterwards. */
export interface ObjectStoreFixture {
  readonly store: ObjectStore;
  /** An existing, empty bucket. */
  readonly bucket: string;
  cleanup(): Promise<void>;
}

/** Reads a (signed) URL: `file:` URLs from disk, `http(s):` URLs with fetch. */
export async function readUrl(url: string): Promise<{ status: number; body: Buffer }> {
  if (url.startsWith('file:')) {
    return { status: 200, body: await readFile(fileURLToPath(url)) };
  }
  const response = await fetch(url);
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

/** A stream that sends `chunks` chunks of 64 KiB and then fails, as a broken network or disk read would. */
export function failingStream(chunks = 3): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent < chunks) {
        sent += 1;
        this.push(Buffer.alloc(64 * 1024, sent));
      } else {
        this.destroy(new Error('source stream broke'));
      }
    },
  });
}

/** Bytes that are not all alike, so misplaced chunks would show. */
export function patternBytes(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) {
    bytes[i] = (i * 31 + seed * 7 + (i >> 10)) & 0xff;
  }
  return bytes;
}

function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('base64');
}

/**
 * Defines the ObjectStore contract tests.
 * @param name - The adapter's name, for the describe block.
 * @param makeStore - Creates a fresh store and bucket (called once for the suite).
 */
export function describeObjectStoreContract(name: string, makeStore: () => Promise<ObjectStoreFixture>): void {
  describe(`Class: ${name} (ObjectStore contract)`, () => {
    let fixture: ObjectStoreFixture;
    let store: ObjectStore;
    let workDir: string;
    // Every test works under its own prefix, so tests never see each other's objects.
    let prefix: string;
    const at = (objectName: string): string => `gs://${fixture.bucket}/${prefix}/${objectName}`;

    beforeAll(async () => {
      fixture = await makeStore();
      store = fixture.store;
      workDir = await mkdtemp(join(tmpdir(), 'skein-contract-'));
    });
    afterAll(async () => {
      await fixture?.cleanup();
      await rm(workDir, { recursive: true, force: true });
    });
    beforeEach(() => {
      prefix = `t-${randomUUID().slice(0, 8)}`;
    });

    describe('Method: upload', () => {
      const text = 'x,y\n1,2\n';
      it.each<[string, () => Promise<UploadSource>, Buffer]>([
        ['a buffer', async () => Buffer.from(text), Buffer.from(text)],
        ['a string', async () => text, Buffer.from(text)],
        ['an empty buffer', async () => Buffer.alloc(0), Buffer.alloc(0)],
        [
          'a stream',
          async () => Readable.from([patternBytes(70_000), patternBytes(30_000, 2)]),
          Buffer.concat([patternBytes(70_000), patternBytes(30_000, 2)]),
        ],
        [
          'a local file',
          async () => {
            const path = join(workDir, `${randomUUID()}.bin`);
            await writeFile(path, patternBytes(200_000));
            return { fromFile: path };
          },
          patternBytes(200_000),
        ],
      ])('round-trips %s byte for byte and reports its checksums', async (_kind, makeSource, expected) => {
        const stored = await store.upload(at('data.bin'), await makeSource());

        expect(stored).toMatchObject({
          location: at('data.bin'),
          bucket: fixture.bucket,
          name: `${prefix}/data.bin`,
          size: expected.length,
          crc32c: crc32cHash(expected),
          md5Hash: md5(expected),
          contentType: 'application/octet-stream',
          metageneration: '1',
        });
        expect(stored.generation).toMatch(/^\d+$/);
        expect((await store.read(at('data.bin'))).equals(expected)).toBe(true);
      });

      it('stores the content type and custom metadata given', async () => {
        await store.upload(at('a.csv'), 'a\n', { contentType: 'text/csv', metadata: { octue__id: '"abc"', k: 'v' } });

        const stored = await store.getMetadata(at('a.csv'));
        expect(stored.contentType).toBe('text/csv');
        expect(stored.metadata).toEqual({ octue__id: '"abc"', k: 'v' });
      });

      it('reports progress that reaches the total size', async () => {
        const bytes = patternBytes(3 * 1024 * 1024);
        const reports: TransferProgress[] = [];

        await store.upload(at('big.bin'), Readable.from([bytes.subarray(0, 1_000_000), bytes.subarray(1_000_000)]), {
          onProgress: (p) => reports.push(p),
        });

        expect(reports.length).toBeGreaterThan(0);
        expect(reports.at(-1)?.bytes).toBe(bytes.length);
        expect(reports.every((r, i) => i === 0 || r.bytes >= (reports[i - 1] as TransferProgress).bytes)).toBe(true);
      });

      it('replaces an object and gives it a new generation', async () => {
        const first = await store.upload(at('o'), 'one');
        const second = await store.upload(at('o'), 'two');

        expect(second.generation).not.toBe(first.generation);
        expect((await store.read(at('o'))).toString()).toBe('two');
      });

      it('writes when ifGenerationMatch names the current generation', async () => {
        const first = await store.upload(at('o'), 'one');

        await store.upload(at('o'), 'two', { ifGenerationMatch: Number(first.generation) });

        expect((await store.read(at('o'))).toString()).toBe('two');
      });

      it.each([
        ['a stale generation', async (s: ObjectStore, loc: string) => Number((await s.upload(loc, 'old')).generation)],
        ['0 while the object exists', async () => 0],
      ])('fails with PreconditionFailed and keeps the object when ifGenerationMatch is %s', async (_case, pick) => {
        const generation = await pick(store, at('o'));
        await store.upload(at('o'), 'current');

        await expect(store.upload(at('o'), 'new', { ifGenerationMatch: generation })).rejects.toBeInstanceOf(
          PreconditionFailed,
        );
        expect((await store.read(at('o'))).toString()).toBe('current');
      });

      it('lets exactly one of 20 concurrent replacements conditional on one generation win, with its metadata', async () => {
        // Prepare: what a lease takeover does; each contender read the same generation.
        const { generation } = await store.upload(at('lease'), 'expired', { metadata: { holder: 'none' } });

        // Act
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) =>
            store.upload(at('lease'), `holder ${i}`, {
              ifGenerationMatch: Number(generation),
              metadata: { holder: String(i) },
            }),
          ),
        );

        // Assess: the others fail the precondition, and the winner's bytes and metadata are the object's.
        const winners = results.flatMap((result, i) => (result.status === 'fulfilled' ? [i] : []));
        expect(winners).toHaveLength(1);
        const losers = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
        expect(losers.every((result) => result.reason instanceof PreconditionFailed)).toBe(true);
        expect((await store.read(at('lease'))).toString()).toBe(`holder ${winners[0]}`);
        expect((await store.getMetadata(at('lease'))).metadata).toEqual({ holder: String(winners[0]) });
      });

      it('leaves no object behind when the source stream fails part way', async () => {
        await expect(store.upload(at('truncated.bin'), failingStream())).rejects.toBeInstanceOf(IncompleteUpload);

        await expect(store.exists(at('truncated.bin'))).resolves.toBe(false);
        await expect(store.list(at(''))).resolves.toMatchObject({ objects: [] });
      });

      it('keeps the previous version when a replacement stream fails part way', async () => {
        await store.upload(at('kept.bin'), 'previous');

        await expect(store.upload(at('kept.bin'), failingStream())).rejects.toBeInstanceOf(IncompleteUpload);

        expect((await store.read(at('kept.bin'))).toString()).toBe('previous');
      });

      it.each<[string, () => [string, UploadSource, object], new (...args: never[]) => Error]>([
        ['the path is not a gs:// path', () => ['/tmp/x', 'x', {}], InvalidCloudPath],
        ['ifGenerationMatch is negative', () => [at('o'), 'x', { ifGenerationMatch: -1 }], InvalidInputException],
        ['ifGenerationMatch is fractional', () => [at('o'), 'x', { ifGenerationMatch: 1.5 }], InvalidInputException],
        ['a metadata value is not a string', () => [at('o'), 'x', { metadata: { n: 1 } }], InvalidInputException],
        [
          'the local file does not exist',
          () => [at('o'), { fromFile: join(workDir, 'nope') }, {}],
          FileNotFoundException,
        ],
        ['the source is not uploadable', () => [at('o'), 42 as unknown as UploadSource, {}], InvalidInputException],
      ])('fails with a typed error when %s', async (_case, args, errorClass) => {
        const [location, source, options] = args();

        await expect(store.upload(location, source, options)).rejects.toBeInstanceOf(errorClass);
      });
    });

    describe('Method: createReadStream', () => {
      it('streams the bytes and reports download progress up to the size', async () => {
        const bytes = patternBytes(1_500_000);
        await store.upload(at('r.bin'), bytes);
        const reports: TransferProgress[] = [];

        const chunks: Buffer[] = [];
        for await (const chunk of store.createReadStream(at('r.bin'), { onProgress: (p) => reports.push(p) })) {
          chunks.push(chunk as Buffer);
        }

        expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
        expect(reports.at(-1)?.bytes).toBe(bytes.length);
      });

      it('errors with ObjectNotFound when there is no such object', async () => {
        await expect(async () => {
          for await (const _chunk of store.createReadStream(at('missing'))) {
            // drain
          }
        }).rejects.toBeInstanceOf(ObjectNotFound);
      });
    });

    describe('Method: read', () => {
      it('fails with ObjectNotFound when there is no such object', async () => {
        await expect(store.read(at('missing'))).rejects.toBeInstanceOf(ObjectNotFound);
      });
    });

    describe('Method: downloadToFile', () => {
      it('writes the object to a new nested path and returns its metadata', async () => {
        const bytes = patternBytes(500_000);
        await store.upload(at('d.bin'), bytes, { metadata: { k: 'v' } });
        const target = join(workDir, prefix, 'nested', 'dir', 'd.bin');

        const stored = await store.downloadToFile(at('d.bin'), target);

        expect((await readFile(target)).equals(bytes)).toBe(true);
        expect(stored).toMatchObject({ size: bytes.length, crc32c: crc32cHash(bytes), metadata: { k: 'v' } });
        expect(await readdir(join(workDir, prefix, 'nested', 'dir'))).toEqual(['d.bin']);
      });

      it('leaves no file (and an existing one untouched) when the object is missing', async () => {
        const directory = join(workDir, prefix);
        await store.upload(at('placeholder'), 'p');
        await store.downloadToFile(at('placeholder'), join(directory, 'existing.txt'));

        await expect(store.downloadToFile(at('missing'), join(directory, 'new.txt'))).rejects.toBeInstanceOf(
          ObjectNotFound,
        );
        await expect(store.downloadToFile(at('missing'), join(directory, 'existing.txt'))).rejects.toBeInstanceOf(
          ObjectNotFound,
        );

        expect(await readdir(directory)).toEqual(['existing.txt']);
        expect((await readFile(join(directory, 'existing.txt'))).toString()).toBe('p');
      });
    });

    describe('Method: getMetadata', () => {
      it('fails with ObjectNotFound when there is no such object', async () => {
        await expect(store.getMetadata(at('missing'))).rejects.toBeInstanceOf(ObjectNotFound);
      });

      it('fails with CloudStorageBucketNotFound when the bucket does not exist', async () => {
        await expect(store.getMetadata(`gs://no-such-bucket-${randomUUID()}/x`)).rejects.toBeInstanceOf(
          CloudStorageBucketNotFound,
        );
      });
    });

    describe('Method: setCustomMetadata', () => {
      it('merges keys, deletes keys set to null and bumps the metageneration', async () => {
        await store.upload(at('m'), 'x', { metadata: { a: '1', b: '2', gone: 'x' } });

        const updated = await store.setCustomMetadata(at('m'), { b: '3', c: '4', gone: null });

        expect(updated.metadata).toEqual({ a: '1', b: '3', c: '4' });
        expect(updated.metageneration).toBe('2');
        expect((await store.getMetadata(at('m'))).metadata).toEqual({ a: '1', b: '3', c: '4' });
        expect((await store.read(at('m'))).toString()).toBe('x');
      });

      it('applies the change when ifMetagenerationMatch holds', async () => {
        await store.upload(at('m'), 'x');

        await store.setCustomMetadata(at('m'), { k: 'v' }, { ifMetagenerationMatch: 1 });

        expect((await store.getMetadata(at('m'))).metadata).toEqual({ k: 'v' });
      });

      it('fails with PreconditionFailed when ifMetagenerationMatch is stale', async () => {
        await store.upload(at('m'), 'x');
        await store.setCustomMetadata(at('m'), { k: '1' });

        await expect(store.setCustomMetadata(at('m'), { k: '2' }, { ifMetagenerationMatch: 1 })).rejects.toBeInstanceOf(
          PreconditionFailed,
        );
        expect((await store.getMetadata(at('m'))).metadata).toEqual({ k: '1' });
      });

      it('fails with ObjectNotFound when there is no such object', async () => {
        await expect(store.setCustomMetadata(at('missing'), { k: 'v' })).rejects.toBeInstanceOf(ObjectNotFound);
      });

      it('fails with InvalidInputException when a value is neither a string nor null', async () => {
        await store.upload(at('m'), 'x');

        await expect(store.setCustomMetadata(at('m'), { k: 5 as unknown as string })).rejects.toBeInstanceOf(
          InvalidInputException,
        );
      });
    });

    describe('Method: exists', () => {
      it('tells whether an object exists', async () => {
        await store.upload(at('e'), 'x');

        await expect(store.exists(at('e'))).resolves.toBe(true);
        await expect(store.exists(at('other'))).resolves.toBe(false);
      });
    });

    describe('Method: delete', () => {
      it('removes the object', async () => {
        await store.upload(at('d'), 'x');

        await store.delete(at('d'));

        await expect(store.exists(at('d'))).resolves.toBe(false);
        await expect(store.read(at('d'))).rejects.toBeInstanceOf(ObjectNotFound);
      });

      it('fails with ObjectNotFound for a missing object unless ignoreMissing is set', async () => {
        await expect(store.delete(at('missing'))).rejects.toBeInstanceOf(ObjectNotFound);
        await expect(store.delete(at('missing'), { ignoreMissing: true })).resolves.toBeUndefined();
      });
    });

    describe('Method: list', () => {
      const names = ['dir/a.csv', 'dir/b.csv', 'dir/sub/c.csv', 'dir/sub/deeper/d.csv', 'dir2/e.csv', 'top.csv'];
      const upload = async (): Promise<void> => {
        // Uploaded out of order: the listing must sort.
        for (const objectName of [...names].reverse()) {
          await store.upload(at(objectName), objectName);
        }
      };

      it('lists every object under a prefix, sorted by name', async () => {
        await upload();

        const result = await store.list(at('dir/'));

        expect(result.objects.map((o) => o.name)).toEqual(
          ['dir/a.csv', 'dir/b.csv', 'dir/sub/c.csv', 'dir/sub/deeper/d.csv'].map((n) => `${prefix}/${n}`),
        );
        expect(result.objects[0]).toMatchObject({ size: 9, crc32c: crc32cHash('dir/a.csv') });
        expect(result.prefixes).toEqual([]);
      });

      it('collapses names past the delimiter into prefixes', async () => {
        await upload();

        const result = await store.list(at('dir/'), { delimiter: '/' });

        expect(result.objects.map((o) => o.location)).toEqual([at('dir/a.csv'), at('dir/b.csv')]);
        expect(result.prefixes).toEqual([at('dir/sub/')]);
      });

      it('matches a partial name prefix', async () => {
        await upload();

        const result = await store.list(at('dir'), { delimiter: '/' });

        expect(result.objects).toEqual([]);
        expect(result.prefixes).toEqual([at('dir/'), at('dir2/')]);
      });

      it('lists every object when there are more than a page of them', async () => {
        const count = 130;
        await Promise.all(
          Array.from({ length: count }, (_, i) => store.upload(at(`many/${String(i).padStart(4, '0')}`), `${i}`)),
        );

        const result = await store.list(at('many/'));

        expect(result.objects.map((o) => o.name)).toEqual(
          Array.from({ length: count }, (_, i) => `${prefix}/many/${String(i).padStart(4, '0')}`),
        );
      });

      it('fails with CloudStorageBucketNotFound when the bucket does not exist', async () => {
        await expect(store.list(`gs://no-such-bucket-${randomUUID()}/`)).rejects.toBeInstanceOf(
          CloudStorageBucketNotFound,
        );
      });
    });

    describe('Method: createIfAbsent', () => {
      it('lets exactly one of 20 concurrent callers create the object', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.createIfAbsent(at('claim'), `caller ${i}`)),
        );

        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await store.read(at('claim'))).toString()).toBe(`caller ${results.indexOf(true)}`);
      });

      it('returns false and keeps the object when it already exists', async () => {
        await store.upload(at('claim'), 'first');

        await expect(store.createIfAbsent(at('claim'), 'second')).resolves.toBe(false);
        expect((await store.read(at('claim'))).toString()).toBe('first');
      });
    });

    describe('Method: signUrl', () => {
      it('returns a read URL that yields the bytes', async () => {
        const bytes = patternBytes(10_000);
        await store.upload(at('s/signed file.bin'), bytes);

        const { status, body } = await readUrl(await store.signUrl(at('s/signed file.bin')));

        expect(status).toBe(200);
        expect(body.equals(bytes)).toBe(true);
      });

      it.each([0, -5, 604_801, 1.5])('fails with UrlSigningFailed when the lifetime is %s seconds', async (seconds) => {
        await expect(store.signUrl(at('x'), { expiresInSeconds: seconds })).rejects.toBeInstanceOf(UrlSigningFailed);
      });
    });
  });
}
