// The object service over each backend, without HTTP: commit checks, the create-if-absent race, patches, and that
// refused uploads leave no staged bytes behind.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import type { StorageBackend } from '../../../../src/emulators/gcs-server';
import { DirectoryBackend, MemoryBackend } from '../../../../src/emulators/gcs-server';
import { ObjectService } from '../../../../src/emulators/gcs-server/object-service';
import { ContentDigest, StagingSink } from '../../../../src/emulators/gcs-server/staging-sink';
import { pipeline } from 'node:stream/promises';

async function stage(
  backend: StorageBackend,
  text: string,
): Promise<{ staged: Awaited<ReturnType<StorageBackend['createStaging']>>; digest: ContentDigest }> {
  const staged = await backend.createStaging();
  const digest = new ContentDigest();
  await pipeline(Readable.from([Buffer.from(text)]), new StagingSink(staged, digest));
  return { staged, digest };
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe.each(['memory', 'directory'] as const)('Class: ObjectService (%s backend)', (kind) => {
  let dir: string;
  let backend: StorageBackend;
  let service: ObjectService;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skein-gcs-svc-'));
    backend = kind === 'memory' ? new MemoryBackend() : new DirectoryBackend(dir);
    await backend.init();
    service = new ObjectService(backend, Date.now);
    await service.createBucket('bkt');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const upload = async (name: string, text: string, preconditions = {}, expected?: { md5?: string }) =>
    service.commit({
      bucket: 'bkt',
      name,
      ...(await stage(backend, text)),
      properties: { contentType: 'text/plain' },
      preconditions,
      expected,
    });

  describe('Method: commit', () => {
    it('stores bytes with their size, hashes and a first metageneration', async () => {
      const record = await upload('a', 'hello');
      expect(record).toMatchObject({
        bucket: 'bkt',
        name: 'a',
        size: 5,
        md5Hash: 'XUFAKrxLKna5cZ2REBfFkg==',
        crc32c: 'mnG7TA==',
        metageneration: 1,
      });
      const { stream } = await service.openObject('bkt', 'a', {}, null, () => undefined);
      expect(await readAll(stream)).toBe('hello');
    });

    it('lets exactly one of many concurrent ifGenerationMatch=0 commits win', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => upload('claim', `c${i}`, { ifGenerationMatch: 0 })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(
        results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.status),
      ).toEqual(Array(19).fill(412));
    });

    it.each([
      ['a failed precondition', () => upload('p', 'x', { ifGenerationMatch: 5 }), 412],
      ['a wrong md5', () => upload('m', 'x', {}, { md5: 'AAAAAAAAAAAAAAAAAAAAAA==' }), 400],
      ['an invalid name', () => upload('..', 'x'), 400],
      [
        'a missing bucket',
        async () =>
          service.commit({
            bucket: 'nope',
            name: 'n',
            ...(await stage(backend, 'x')),
            properties: { contentType: 'text/plain' },
            preconditions: {},
          }),
        404,
      ],
    ])('refuses %s and leaves no staged bytes', async (_case, act, status) => {
      await expect(act()).rejects.toMatchObject({ status });
      if (kind === 'directory') expect(await readdir(join(dir, '.staging'))).toEqual([]);
    });

    it('gives every new generation a higher number', async () => {
      const first = await upload('g', '1');
      const second = await upload('g', '2');
      expect(second.generation).toBeGreaterThan(first.generation);
    });
  });

  describe('Method: patch', () => {
    it('merges metadata, deletes null keys, keeps the generation and bumps the metageneration', async () => {
      const created = await upload('m', 'x');
      await service.patch('bkt', 'm', { metadata: { a: '1', b: '2' } }, {});
      const patched = await service.patch(
        'bkt',
        'm',
        { metadata: { a: null }, contentType: 'text/csv' },
        { ifMetagenerationMatch: 2 },
      );
      expect(patched).toMatchObject({
        metadata: { b: '2' },
        contentType: 'text/csv',
        generation: created.generation,
        metageneration: 3,
      });
    });

    it('throws 400 for a non-string property', async () => {
      await upload('t', 'x');
      await expect(service.patch('bkt', 't', { contentType: 5 }, {})).rejects.toMatchObject({ status: 400 });
    });
  });

  describe('Method: deleteBucket', () => {
    it('throws 409 while the bucket holds objects and 404 once it is gone', async () => {
      await upload('o', 'x');
      await expect(service.deleteBucket('bkt')).rejects.toMatchObject({ status: 409 });
      await service.delete('bkt', 'o', {}, null);
      await service.deleteBucket('bkt');
      await expect(service.getBucket('bkt')).rejects.toMatchObject({ status: 404 });
    });
  });
});
