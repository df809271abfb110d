// The official @google-cloud/storage client against Skein's GCS gcs.server, on both backends: downloads with the
// client's own hash validation, ranges, 404s, deletes and copies.
import { randomBytes } from 'node:crypto';

import { GCS_BACKENDS, startGcsFixture } from '../../helpers/gcs-server-fixture';
import type { GcsServerFixture } from '../../helpers/gcs-server-fixture';

describe.each(GCS_BACKENDS)('Function: startGcsServer (%s backend)', (backend) => {
  let gcs: GcsServerFixture;
  let counter = 0;
  const bucketName = (): string => `b-${backend}-${++counter}`;

  beforeAll(async () => {
    gcs = await startGcsFixture(backend);
  });

  afterAll(() => gcs.stop());

  describe('Route: downloads', () => {
    const data = randomBytes(300 * 1024);

    it.each([['md5'], ['crc32c']] as const)('passes the client %s validation', async (validation) => {
      const [bucket] = await gcs.storage.createBucket(bucketName());
      await bucket.file('v.bin').save(data, { resumable: false });
      const [downloaded] = await bucket.file('v.bin').download({ validation });
      expect(downloaded.equals(data)).toBe(true);
    });

    it('sends the hash, generation and size headers with alt=media', async () => {
      const [bucket] = await gcs.storage.createBucket(bucketName());
      await bucket.file('h.bin').save(data, { resumable: false, contentType: 'image/png' });
      const [metadata] = await bucket.file('h.bin').getMetadata();
      const response = await fetch(`${gcs.server.url}/storage/v1/b/${bucket.name}/o/h.bin?alt=media`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(response.headers.get('content-length')).toBe(String(data.length));
      expect(response.headers.get('x-goog-hash')).toBe(`crc32c=${metadata.crc32c},md5=${metadata.md5Hash}`);
      expect(response.headers.get('x-goog-generation')).toBe(metadata.generation);
      expect(response.headers.get('x-goog-stored-content-length')).toBe(String(data.length));
      expect(Buffer.from(await response.arrayBuffer()).equals(data)).toBe(true);
    });

    it.each([
      [{ start: 10, end: 19 }, 10, 20],
      [{ start: data.length - 5 }, data.length - 5, data.length],
    ])('returns only the requested range %j', async (range, from, to) => {
      const [bucket] = await gcs.storage.createBucket(bucketName());
      await bucket.file('r.bin').save(data, { resumable: false });
      const [part] = await bucket.file('r.bin').download(range);
      expect(part.equals(data.subarray(from, to))).toBe(true);
    });

    it('answers a raw Range request with 206 and Content-Range', async () => {
      const [bucket] = await gcs.storage.createBucket(bucketName());
      await bucket.file('r.bin').save(data, { resumable: false });
      const response = await fetch(`${gcs.server.url}/b/${bucket.name}/o/r.bin?alt=media`, {
        headers: { range: 'bytes=-4' },
      });
      expect(response.status).toBe(206);
      expect(response.headers.get('content-range')).toBe(`bytes ${data.length - 4}-${data.length - 1}/${data.length}`);
      expect(Buffer.from(await response.arrayBuffer()).equals(data.subarray(-4))).toBe(true);
    });

    it('answers 404 "No such object" for a missing object', async () => {
      const [bucket] = await gcs.storage.createBucket(bucketName());
      const missing = bucket.file('missing.txt');
      expect((await missing.exists())[0]).toBe(false);
      await expect(missing.getMetadata()).rejects.toMatchObject({
        code: 404,
        message: `No such object: ${bucket.name}/missing.txt`,
      });
      await expect(missing.download()).rejects.toMatchObject({ code: 404 });
    });
  });

  describe('Route: delete and copy', () => {
    it('deletes an object (then 404 on a second delete)', async () => {
      const [bucket] = await gcs.storage.createBucket(bucketName());
      await bucket.file('d.txt').save('d', { resumable: false });
      await bucket.file('d.txt').delete();
      expect((await bucket.file('d.txt').exists())[0]).toBe(false);
      await expect(bucket.file('d.txt').delete()).rejects.toMatchObject({ code: 404 });
    });

    it('copies an object with its bytes and metadata to another bucket (rewriteTo)', async () => {
      const [source] = await gcs.storage.createBucket(bucketName());
      const [target] = await gcs.storage.createBucket(bucketName());
      await source.file('c.txt').save('copy me', { resumable: false, metadata: { metadata: { k: 'v' } } });
      await source.file('c.txt').copy(target.file('dir/c2.txt'));
      expect((await target.file('dir/c2.txt').download())[0].toString()).toBe('copy me');
      expect((await target.file('dir/c2.txt').getMetadata())[0]).toMatchObject({
        contentType: 'text/plain',
        metadata: { k: 'v' },
      });
    });

    it('copies with POST …/copyTo/… and answers the new object resource', async () => {
      const [bucket] = await gcs.storage.createBucket(bucketName());
      await bucket.file('src').save('abc', { resumable: false });
      const response = await fetch(
        `${gcs.server.url}/storage/v1/b/${bucket.name}/o/src/copyTo/b/${bucket.name}/o/dst`,
        {
          method: 'POST',
        },
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ name: 'dst', size: '3' });
    });
  });
});
