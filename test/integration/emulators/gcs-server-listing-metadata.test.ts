// Listing (prefixes, delimiter, paging, offsets) and metadata patches through the official storage client.

import type { Bucket } from '@google-cloud/storage';

import { GCS_BACKENDS, startGcsFixture } from '../../helpers/gcs-server-fixture';
import type { GcsServerFixture } from '../../helpers/gcs-server-fixture';

const names = ['a.txt', 'dir/1.txt', 'dir/2.txt', 'dir/sub/3.txt', 'dir/sub/4.txt', 'dir/zzz/5.txt', 'e.txt'];

describe.each(GCS_BACKENDS)('Function: startGcsServer (%s backend)', (backend) => {
  let gcs: GcsServerFixture;
  let bucket: Bucket;

  beforeAll(async () => {
    gcs = await startGcsFixture(backend);
    [bucket] = await gcs.storage.createBucket(`listing-${backend}`);
    for (const name of [...names].reverse()) await bucket.file(name).save(name, { resumable: false });
  });

  afterAll(() => gcs.stop());

  describe('Route: GET /b/:bucket/o', () => {
    it('lists every object sorted by name', async () => {
      const [files] = await bucket.getFiles();
      expect(files.map((f) => f.name)).toEqual(names);
    });

    it('filters by prefix', async () => {
      const [files] = await bucket.getFiles({ prefix: 'dir/sub/' });
      expect(files.map((f) => f.name)).toEqual(['dir/sub/3.txt', 'dir/sub/4.txt']);
    });

    it('collapses names past the delimiter into prefixes', async () => {
      const [files, , response] = await bucket.getFiles({ prefix: 'dir/', delimiter: '/', autoPaginate: false });
      expect(files.map((f) => f.name)).toEqual(['dir/1.txt', 'dir/2.txt']);
      expect((response as { prefixes: string[] }).prefixes).toEqual(['dir/sub/', 'dir/zzz/']);
    });

    it.each([[1], [2], [3]])('pages through everything with maxResults=%i', async (maxResults) => {
      const seen: string[] = [];
      let query: Record<string, unknown> | null = { maxResults, autoPaginate: false };
      let pages = 0;
      while (query) {
        const [files, next]: [{ name: string }[], Record<string, unknown> | null] = (await bucket.getFiles(
          query,
        )) as never;
        expect(files.length).toBeLessThanOrEqual(maxResults);
        seen.push(...files.map((f) => f.name));
        query = next;
        pages += 1;
      }
      expect(seen).toEqual(names);
      expect(pages).toBe(Math.ceil(names.length / maxResults));
    });

    it('pages prefixes and items together with a delimiter', async () => {
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const url = `${gcs.server.url}/storage/v1/b/${bucket.name}/o?delimiter=%2F&prefix=dir%2F&maxResults=1${token ? `&pageToken=${token}` : ''}`;
        const page = (await (await fetch(url)).json()) as {
          items?: { name: string }[];
          prefixes?: string[];
          nextPageToken?: string;
        };
        seen.push(...(page.items ?? []).map((i) => i.name), ...(page.prefixes ?? []));
        token = page.nextPageToken;
      } while (token);
      expect(seen).toEqual(['dir/1.txt', 'dir/2.txt', 'dir/sub/', 'dir/zzz/']);
    });

    it('honours startOffset and endOffset', async () => {
      const [files] = await bucket.getFiles({ startOffset: 'dir/2.txt', endOffset: 'dir/zzz' });
      expect(files.map((f) => f.name)).toEqual(['dir/2.txt', 'dir/sub/3.txt', 'dir/sub/4.txt']);
    });

    it('answers 400 for a malformed page token', async () => {
      const response = await fetch(`${gcs.server.url}/storage/v1/b/${bucket.name}/o?pageToken=%%%`);
      expect(response.status).toBe(400);
    });

    it('answers 404 when listing a missing bucket', async () => {
      await expect(gcs.storage.bucket('no-such-listing-bucket').getFiles()).rejects.toMatchObject({ code: 404 });
    });
  });

  describe('Route: PATCH /b/:bucket/o/:object', () => {
    it('merges custom metadata, deletes keys set to null and increments the metageneration', async () => {
      const file = bucket.file('patch-me.txt');
      await file.save('p', { resumable: false, metadata: { metadata: { keep: '1', drop: '2' } } });
      const [before] = await file.getMetadata();
      const [after] = await file.setMetadata({ metadata: { drop: null, added: '3' } });
      expect(after.metadata).toEqual({ keep: '1', added: '3' });
      expect(after.metageneration).toBe('2');
      expect(after.generation).toBe(before.generation);
      expect(Date.parse(after.updated as string)).toBeGreaterThanOrEqual(Date.parse(before.updated as string));
    });

    it('changes and removes HTTP properties', async () => {
      const file = bucket.file('props.txt');
      await file.save('p', { resumable: false, metadata: { cacheControl: 'no-cache' } });
      // The client's types do not allow null, but the JSON API uses it to remove a property.
      const [after] = await file.setMetadata({
        contentType: 'text/csv',
        cacheControl: null as unknown as string,
        contentDisposition: 'attachment',
      });
      expect(after).toMatchObject({ contentType: 'text/csv', contentDisposition: 'attachment' });
      expect(after.cacheControl).toBeUndefined();
    });

    it('answers 412 when ifMetagenerationMatch does not hold, and applies the patch when it does', async () => {
      const file = bucket.file('guarded.txt');
      await file.save('g', { resumable: false });
      await expect(file.setMetadata({ metadata: { a: '1' } }, { ifMetagenerationMatch: 7 })).rejects.toMatchObject({
        code: 412,
      });
      await file.setMetadata({ metadata: { a: '1' } }, { ifMetagenerationMatch: 1 });
      const [after] = await file.getMetadata();
      expect(after.metadata).toEqual({ a: '1' });
    });

    it('answers 404 when patching a missing object', async () => {
      await expect(bucket.file('nope.txt').setMetadata({ metadata: { a: '1' } })).rejects.toMatchObject({ code: 404 });
    });

    it('answers 400 when metadata is not an object', async () => {
      const file = bucket.file('bad-patch.txt');
      await file.save('b', { resumable: false });
      const response = await fetch(`${gcs.server.url}/storage/v1/b/${bucket.name}/o/bad-patch.txt`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metadata: ['x'] }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 400, errors: [{ reason: 'invalid' }] } });
    });
  });
});
