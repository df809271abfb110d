// The directory backend: data survives restarts, generations keep rising, leftovers of a crash are cleared, corrupt
// bytes are caught by the client's own hash validation, and a corrupt record stops the server from starting.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Storage } from '@google-cloud/storage';

import { startGcsServer } from '../../../src/emulators/gcs-server';

describe('Function: startGcsServer (directory backend, on disk)', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skein-gcs-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps buckets, bytes and metadata across a restart, with later generations still higher', async () => {
    const first = await startGcsServer({ port: 0, directory: dir });
    const storage1 = new Storage({ projectId: 'demo-x', apiEndpoint: first.url });
    await storage1.createBucket('kept');
    await storage1
      .bucket('kept')
      .file('a/b.txt')
      .save('persisted', { resumable: false, metadata: { metadata: { k: 'v' } } });
    const [before] = await storage1.bucket('kept').file('a/b.txt').getMetadata();
    await first.stop();

    const second = await startGcsServer({ port: 0, directory: dir });
    try {
      const storage2 = new Storage({ projectId: 'demo-x', apiEndpoint: second.url });
      const file = storage2.bucket('kept').file('a/b.txt');
      expect((await file.download())[0].toString()).toBe('persisted');
      expect((await file.getMetadata())[0]).toMatchObject({ metadata: { k: 'v' }, generation: before.generation });
      await file.save('rewritten', { resumable: false });
      expect(BigInt((await file.getMetadata())[0].generation as string) > BigInt(before.generation as string)).toBe(
        true,
      );
    } finally {
      await second.stop();
    }
  });

  it('removes leftover staged uploads when it starts', async () => {
    await mkdir(join(dir, '.staging'), { recursive: true });
    await writeFile(join(dir, '.staging', 'crashed.part'), 'half an upload');
    const server = await startGcsServer({ port: 0, directory: dir });
    await server.stop();
    expect(await readdir(join(dir, '.staging'))).toEqual([]);
  });

  it('lets the client detect bytes changed on disk (CONTENT_DOWNLOAD_MISMATCH)', async () => {
    const server = await startGcsServer({ port: 0, directory: dir });
    try {
      const storage = new Storage({ projectId: 'demo-x', apiEndpoint: server.url });
      await storage.createBucket('rot');
      await storage.bucket('rot').file('f.bin').save(Buffer.alloc(1000, 1), { resumable: false });
      await writeFile(join(dir, 'buckets', 'rot', 'objects', 'f.bin.data'), Buffer.alloc(1000, 2));
      await expect(storage.bucket('rot').file('f.bin').download()).rejects.toMatchObject({
        code: 'CONTENT_DOWNLOAD_MISMATCH',
      });
    } finally {
      await server.stop();
    }
  });

  it('stores names a path could not hold side by side ("x" and "x/y", long names)', async () => {
    const server = await startGcsServer({ port: 0, directory: dir });
    try {
      const storage = new Storage({ projectId: 'demo-x', apiEndpoint: server.url });
      await storage.createBucket('names');
      const names = ['x', 'x/y', '../escape', `${'long/'.repeat(100)}end`, '~tilde', 'a.json'];
      for (const name of names) await storage.bucket('names').file(name).save(name, { resumable: false });
      for (const name of names) expect((await storage.bucket('names').file(name).download())[0].toString()).toBe(name);
      expect((await storage.bucket('names').getFiles())[0].map((f) => f.name)).toEqual([...names].sort());
    } finally {
      await server.stop();
    }
  });

  it('refuses to start on a corrupt record file (GcsServerStartFailed)', async () => {
    await mkdir(join(dir, 'buckets', 'broken', 'objects'), { recursive: true });
    await writeFile(join(dir, 'buckets', 'broken', 'bucket.json'), '{not json');
    await expect(startGcsServer({ port: 0, directory: dir })).rejects.toMatchObject({
      name: 'GcsServerStartFailed',
      cause: expect.objectContaining({ name: 'GcsDirectoryCorrupt' }),
    });
  });
});
