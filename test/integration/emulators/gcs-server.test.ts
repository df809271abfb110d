// The official @google-cloud/storage client against Skein's GCS gcs.server, on both backends: buckets and every upload
// kind (downloads, deletes and copies are in gcs-server-downloads.test.ts).
import { createHash, randomBytes } from 'node:crypto';

import { Storage } from '@google-cloud/storage';

import { crc32cHash } from '../../../src/core/hashing/crc32c';
import { GCS_BACKENDS, startGcsFixture } from '../../helpers/gcs-server-fixture';
import type { GcsServerFixture } from '../../helpers/gcs-server-fixture';

function expectedHashes(data: Buffer): { md5Hash: string; crc32c: string; size: string } {
  return {
    md5Hash: createHash('md5').update(data).digest('base64'),
    crc32c: crc32cHash(data),
    size: String(data.length),
  };
}

describe.each(GCS_BACKENDS)('Function: startGcsServer (%s backend)', (backend) => {
  let gcs: GcsServerFixture;
  let counter = 0;
  const bucketName = (): string => `b-${backend}-${++counter}`;

  beforeAll(async () => {
    gcs = await startGcsFixture(backend);
  });

  afterAll(() => gcs.stop());

  describe('Route: buckets', () => {
    it('creates a bucket and returns the bucket resource fields', async () => {
      const name = bucketName();
      await gcs.storage.createBucket(name);
      const [resource] = await gcs.storage.bucket(name).getMetadata();
      expect(resource).toMatchObject({
        kind: 'storage#bucket',
        id: name,
        name,
        location: 'US',
        storageClass: 'STANDARD',
      });
      expect(resource.projectNumber).toMatch(/^\d{12}$/);
      expect(resource.metageneration).toBe('1');
      expect(Number.isNaN(Date.parse(resource.timeCreated as string))).toBe(false);
    });

    it('answers a second create of the same bucket with the same bucket', async () => {
      const name = bucketName();
      await gcs.storage.createBucket(name);
      const [first] = await gcs.storage.bucket(name).getMetadata();
      await gcs.storage.createBucket(name);
      const [second] = await gcs.storage.bucket(name).getMetadata();
      expect(second.timeCreated).toBe(first.timeCreated);
    });

    it('gets, lists and deletes an empty bucket', async () => {
      const name = bucketName();
      await gcs.storage.createBucket(name);
      const [metadata] = await gcs.storage.bucket(name).getMetadata();
      expect(metadata.name).toBe(name);
      const [buckets] = await gcs.storage.getBuckets();
      expect(buckets.map((b) => b.name)).toContain(name);
      await gcs.storage.bucket(name).delete();
      expect((await gcs.storage.bucket(name).exists())[0]).toBe(false);
    });

    it('refuses to delete a bucket that holds objects (409)', async () => {
      const [bucket] = await gcs.storage.createBucket(bucketName());
      await bucket.file('x').save('x', { resumable: false });
      await expect(bucket.delete()).rejects.toMatchObject({ code: 409 });
    });

    it.each([['Bad_Name'], ['ab'], ['-starts-with-dash']])('rejects the invalid bucket name %s (400)', async (name) => {
      await expect(gcs.storage.createBucket(name)).rejects.toMatchObject({ code: 400 });
    });

    it('answers 404 for a missing bucket', async () => {
      await expect(gcs.storage.bucket('no-such-bucket-x').getMetadata()).rejects.toMatchObject({ code: 404 });
    });
  });

  describe('Setting: STORAGE_EMULATOR_HOST', () => {
    it('serves a client that finds it through STORAGE_EMULATOR_HOST (routes without /storage/v1)', async () => {
      const saved = process.env.STORAGE_EMULATOR_HOST;
      process.env.STORAGE_EMULATOR_HOST = gcs.server.url;
      let viaEnv: Storage;
      try {
        // The client reads the variable once, in its constructor.
        viaEnv = new Storage({ projectId: 'demo-x' });
      } finally {
        if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
        else process.env.STORAGE_EMULATOR_HOST = saved;
      }
      const [bucket] = await viaEnv.createBucket(bucketName());
      await bucket.file('dir/e.txt').save('via env', { resumable: false });
      expect((await bucket.file('dir/e.txt').download())[0].toString()).toBe('via env');
      expect((await bucket.getFiles({ prefix: 'dir/' }))[0].map((f) => f.name)).toEqual(['dir/e.txt']);
    });
  });

  describe('Route: uploads', () => {
    const data = randomBytes(1024 * 1024 + 123);

    it.each([
      ['multipart', { resumable: false }],
      ['resumable, one request', { resumable: true }],
      ['resumable, 256 KiB chunks', { resumable: true, chunkSize: 256 * 1024 }],
    ])('stores a %s upload with the right size, md5 and crc32c', async (_kind, options) => {
      const [bucket] = await gcs.storage.createBucket(bucketName());
      const file = bucket.file('data.bin');
      await new Promise<void>((resolve, reject) => {
        file.createWriteStream(options).on('error', reject).on('finish', resolve).end(data);
      });
      const [metadata] = await file.getMetadata();
      expect(metadata).toMatchObject({
        kind: 'storage#object',
        bucket: bucket.name,
        name: 'data.bin',
        ...expectedHashes(data),
      });
      expect(metadata.id).toBe(`${bucket.name}/data.bin/${metadata.generation}`);
      expect(metadata.metageneration).toBe('1');
      expect((await file.download())[0].equals(data)).toBe(true);
    });

    it('stores a media upload (uploadType=media) with the request content type', async () => {
      const [bucket] = await gcs.storage.createBucket(bucketName());
      const response = await fetch(
        `${gcs.server.url}/upload/storage/v1/b/${bucket.name}/o?uploadType=media&name=m%2F1.txt`,
        {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: 'media body',
        },
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ name: 'm/1.txt', contentType: 'text/plain', size: '10' });
      expect((await bucket.file('m/1.txt').download())[0].toString()).toBe('media body');
    });

    it('keeps the content type, custom metadata and HTTP properties given at upload', async () => {
      const [bucket] = await gcs.storage.createBucket(bucketName());
      const file = bucket.file('props.json');
      await file.save('{}', {
        resumable: false,
        contentType: 'application/json',
        metadata: {
          metadata: { a: '1', b: 'two' },
          cacheControl: 'no-cache',
          contentDisposition: 'inline',
          contentLanguage: 'en',
        },
      });
      const [metadata] = await file.getMetadata();
      expect(metadata).toMatchObject({
        contentType: 'application/json',
        metadata: { a: '1', b: 'two' },
        cacheControl: 'no-cache',
        contentDisposition: 'inline',
        contentLanguage: 'en',
      });
    });

    it('defaults the content type to application/octet-stream', async () => {
      const [bucket] = await gcs.storage.createBucket(bucketName());
      await bucket.file('no-extension').save(Buffer.from([1, 2, 3]), { resumable: false });
      expect((await bucket.file('no-extension').getMetadata())[0].contentType).toBe('application/octet-stream');
    });

    it('stores an empty object', async () => {
      const [bucket] = await gcs.storage.createBucket(bucketName());
      await bucket.file('empty').save(Buffer.alloc(0), { resumable: true });
      expect((await bucket.file('empty').getMetadata())[0]).toMatchObject(expectedHashes(Buffer.alloc(0)));
      expect((await bucket.file('empty').download())[0].length).toBe(0);
    });

    it('stores a gzip upload as sent, which the client validates and gunzips on download', async () => {
      const [bucket] = await gcs.storage.createBucket(bucketName());
      const text = 'compressible '.repeat(1000);
      await bucket.file('z.txt').save(text, { gzip: true, resumable: false });
      const [metadata] = await bucket.file('z.txt').getMetadata();
      expect(metadata.contentEncoding).toBe('gzip');
      expect(Number(metadata.size)).toBeLessThan(text.length);
      expect((await bucket.file('z.txt').download())[0].toString()).toBe(text);
    });

    it('answers 404 for an upload to a missing bucket', async () => {
      await expect(
        gcs.storage.bucket('no-such-bucket-y').file('x').save('x', { resumable: false }),
      ).rejects.toMatchObject({
        code: 404,
      });
    });
  });
});
