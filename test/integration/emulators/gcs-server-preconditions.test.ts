// Generation preconditions on uploads (incl. resumable finalize), deletes and reads, and the create-if-absent race.

import type { Bucket } from '@google-cloud/storage';

import { GCS_BACKENDS, startGcsFixture } from '../../helpers/gcs-server-fixture';
import type { GcsServerFixture } from '../../helpers/gcs-server-fixture';

/** The HTTP status of a client error: the JSON API path sets `code`, the resumable (gaxios) path sets `status`. */
function statusOf(error: unknown): number | undefined {
  const e = error as { code?: unknown; status?: unknown };
  return typeof e.code === 'number' ? e.code : typeof e.status === 'number' ? e.status : undefined;
}

describe.each(GCS_BACKENDS)('Function: startGcsServer (%s backend)', (backend) => {
  let gcs: GcsServerFixture;
  let bucket: Bucket;

  beforeAll(async () => {
    gcs = await startGcsFixture(backend);
    [bucket] = await gcs.storage.createBucket(`pre-${backend}`);
  });

  afterAll(() => gcs.stop());

  const generationOf = async (name: string): Promise<string> =>
    String((await bucket.file(name).getMetadata())[0].generation);

  describe('Precondition: ifGenerationMatch on uploads', () => {
    it.each([[false], [true]])(
      'creates an absent object with ifGenerationMatch=0 (resumable: %s)',
      async (resumable) => {
        const name = `absent-${resumable}`;
        await bucket.file(name).save('first', { resumable, preconditionOpts: { ifGenerationMatch: 0 } });
        expect((await bucket.file(name).download())[0].toString()).toBe('first');
      },
    );

    it.each([[false], [true]])(
      'answers 412 to ifGenerationMatch=0 when the object exists (resumable: %s)',
      async (resumable) => {
        const name = `present-${resumable}`;
        await bucket.file(name).save('first', { resumable: false });
        const failure = await bucket
          .file(name)
          .save('second', { resumable, preconditionOpts: { ifGenerationMatch: 0 } })
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        expect(statusOf(failure)).toBe(412);
        expect((await bucket.file(name).download())[0].toString()).toBe('first');
      },
    );

    it('overwrites when ifGenerationMatch names the live generation and refuses a stale one', async () => {
      await bucket.file('versioned').save('v1', { resumable: false });
      const first = await generationOf('versioned');
      await bucket.file('versioned').save('v2', { resumable: false, preconditionOpts: { ifGenerationMatch: first } });
      const second = await generationOf('versioned');
      expect(BigInt(second) > BigInt(first)).toBe(true);
      await expect(
        bucket.file('versioned').save('v3', { resumable: false, preconditionOpts: { ifGenerationMatch: first } }),
      ).rejects.toMatchObject({ code: 412 });
      expect((await bucket.file('versioned').download())[0].toString()).toBe('v2');
    });

    it('checks a resumable session’s ifGenerationMatch=0 again when it finalizes', async () => {
      const base = `${gcs.server.url}/upload/storage/v1/b/${bucket.name}/o`;
      const start = await fetch(`${base}?uploadType=resumable&name=late&ifGenerationMatch=0`, { method: 'POST' });
      expect(start.status).toBe(200);
      const location = start.headers.get('location') as string;
      await bucket.file('late').save('someone else', { resumable: false });
      const put = await fetch(location, { method: 'PUT', headers: { 'content-range': 'bytes 0-2/3' }, body: 'abc' });
      expect(put.status).toBe(412);
      expect((await bucket.file('late').download())[0].toString()).toBe('someone else');
    });

    it('lets exactly one of many concurrent ifGenerationMatch=0 uploads win', async () => {
      const contenders = Array.from({ length: 12 }, (_, i) => `contender-${i}`);
      const results = await Promise.allSettled(
        contenders.map((body, i) =>
          bucket.file('claim').save(body, { resumable: i % 2 === 0, preconditionOpts: { ifGenerationMatch: 0 } }),
        ),
      );
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [contenders[i]] : []));
      const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers.map((l) => statusOf(l.reason))).toEqual(Array(contenders.length - 1).fill(412));
      expect((await bucket.file('claim').download())[0].toString()).toBe(winners[0]);
    });
  });

  describe('Precondition: deletes and reads', () => {
    it('deletes only when ifGenerationMatch holds', async () => {
      await bucket.file('del').save('d', { resumable: false });
      await expect(bucket.file('del').delete({ ifGenerationMatch: 1 })).rejects.toMatchObject({ code: 412 });
      await bucket.file('del').delete({ ifGenerationMatch: Number(await generationOf('del')) });
      expect((await bucket.file('del').exists())[0]).toBe(false);
    });

    it.each([
      ['ifGenerationMatch=1', 412],
      ['ifMetagenerationMatch=5', 412],
      ['ifMetagenerationNotMatch=1', 304],
      ['ifMetagenerationMatch=1', 200],
    ])('answers a metadata read with %s by %i', async (condition, status) => {
      await bucket.file('read').save('r', { resumable: false });
      const response = await fetch(`${gcs.server.url}/storage/v1/b/${bucket.name}/o/read?${condition}`);
      expect(response.status).toBe(status);
    });

    it('answers 304 to a media read whose ifGenerationNotMatch is the live generation', async () => {
      await bucket.file('media-read').save('m', { resumable: false });
      const generation = await generationOf('media-read');
      const url = `${gcs.server.url}/storage/v1/b/${bucket.name}/o/media-read?alt=media&ifGenerationNotMatch=${generation}`;
      expect((await fetch(url)).status).toBe(304);
    });

    it('answers 404 for a generation that is not the live one', async () => {
      await bucket.file('gen').save('g', { resumable: false });
      const response = await fetch(`${gcs.server.url}/storage/v1/b/${bucket.name}/o/gen?generation=1`);
      expect(response.status).toBe(404);
    });

    it('answers 400 for a non-numeric precondition', async () => {
      const response = await fetch(`${gcs.server.url}/storage/v1/b/${bucket.name}/o/gen?ifGenerationMatch=abc`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 400, errors: [{ reason: 'invalid' }] } });
    });
  });
});
