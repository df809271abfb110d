// GcsObjectStore against Skein's GCS-compatible server, started per file on a free port with signature checking on.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GcsObjectStore } from '../../../../src/cloud/storage/gcs-object-store';
import { startGcsServer } from '../../../../src/emulators/gcs-server';
import type { RunningGcsServer } from '../../../../src/emulators/gcs-server';
import { createTestServiceAccount } from '../../../../src/emulators/service-account';
import type { TestServiceAccount } from '../../../../src/emulators/service-account';
import { ChecksumMismatch, CloudStorageBucketNotFound, UrlSigningFailed } from '../../../../src/errors';
import { describeObjectStoreContract, patternBytes, readUrl } from '../../../helpers/object-store-contract';

describeObjectStoreContract('GcsObjectStore', async () => {
  const account = createTestServiceAccount({ projectId: 'demo-x' });
  const server = await startGcsServer({ port: 0, signingKey: account.publicKeyPem });
  // A small page size makes the listing tests cross several pages.
  const store = new GcsObjectStore({
    projectId: 'demo-x',
    apiEndpoint: server.url,
    credentials: account.credentials,
    listPageSize: 50,
  });
  const bucket = `contract-${randomUUID().slice(0, 8)}`;
  await store.storage.createBucket(bucket);
  return { store, bucket, cleanup: () => server.stop() };
});

describe('Class: GcsObjectStore', () => {
  let account: TestServiceAccount;
  let server: RunningGcsServer;
  let serverDirectory: string;
  let workDir: string;
  let store: GcsObjectStore;
  const bucket = 'skein-it-bucket';

  beforeAll(async () => {
    account = createTestServiceAccount({ projectId: 'demo-x' });
    serverDirectory = await mkdtemp(join(tmpdir(), 'skein-gcs-server-'));
    workDir = await mkdtemp(join(tmpdir(), 'skein-gcs-store-'));
    // The directory backend keeps bytes on disk, so a test can corrupt them behind the server's back.
    server = await startGcsServer({ port: 0, directory: serverDirectory, signingKey: account.publicKeyPem });
    store = new GcsObjectStore({ projectId: 'demo-x', apiEndpoint: server.url, credentials: account.credentials });
    await store.storage.createBucket(bucket);
  });
  afterAll(async () => {
    await server?.stop();
    await rm(serverDirectory, { recursive: true, force: true });
    await rm(workDir, { recursive: true, force: true });
  });

  /** Overwrites the server's stored bytes of an object (found by content) with different bytes of the same size. */
  async function corruptOnServer(original: Buffer): Promise<void> {
    const pending = [serverDirectory];
    while (pending.length > 0) {
      const directory = pending.pop() as string;
      for (const entry of await readdir(directory, { withFileTypes: true })) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) {
          pending.push(path);
        } else if (entry.name.endsWith('.data') && (await readFile(path)).equals(original)) {
          await writeFile(path, Buffer.from(original.map((byte) => byte ^ 0xff)));
          return;
        }
      }
    }
    throw new Error('the object bytes were not found in the server directory');
  }

  describe('Method: constructor', () => {
    it('sends every request to apiEndpoint even when STORAGE_EMULATOR_HOST points elsewhere', async () => {
      const saved = process.env.STORAGE_EMULATOR_HOST;
      let endpointStore: GcsObjectStore;
      try {
        // Nothing listens on port 1.
        process.env.STORAGE_EMULATOR_HOST = 'http://127.0.0.1:1';
        endpointStore = new GcsObjectStore({ projectId: 'demo-x', apiEndpoint: server.url });
      } finally {
        if (saved === undefined) {
          delete process.env.STORAGE_EMULATOR_HOST;
        } else {
          process.env.STORAGE_EMULATOR_HOST = saved;
        }
      }

      await endpointStore.upload(`gs://${bucket}/endpoint.txt`, 'here');

      await expect(endpointStore.getMetadata(`gs://${bucket}/endpoint.txt`)).resolves.toMatchObject({ size: 4 });
      await expect(endpointStore.list(`gs://${bucket}/endpoint`)).resolves.toMatchObject({ objects: [{ size: 4 }] });
    });
  });

  describe('Method: upload', () => {
    it('fails with CloudStorageBucketNotFound when the bucket does not exist', async () => {
      await expect(store.upload(`gs://no-such-bucket-${randomUUID()}/a`, 'x')).rejects.toBeInstanceOf(
        CloudStorageBucketNotFound,
      );
    });

    it('uploads in-memory data above the simple-upload limit as a resumable upload', async () => {
      const resumableStore = new GcsObjectStore({ apiEndpoint: server.url, simpleUploadMaxBytes: 1024 });
      const bytes = patternBytes(300_000);
      const reports: number[] = [];

      const stored = await resumableStore.upload(`gs://${bucket}/resumable.bin`, bytes, {
        onProgress: (p) => reports.push(p.bytes),
      });

      expect(stored.size).toBe(bytes.length);
      expect((await store.read(`gs://${bucket}/resumable.bin`)).equals(bytes)).toBe(true);
      expect(reports.at(-1)).toBe(bytes.length);
    });
  });

  describe('Method: createReadStream', () => {
    it('errors with ChecksumMismatch when the stored bytes were corrupted', async () => {
      const bytes = patternBytes(50_000, 3);
      await store.upload(`gs://${bucket}/corrupt-read.bin`, bytes);
      await corruptOnServer(bytes);

      await expect(store.read(`gs://${bucket}/corrupt-read.bin`)).rejects.toBeInstanceOf(ChecksumMismatch);
    });

    it('returns corrupted bytes when validation is off', async () => {
      const bytes = patternBytes(20_000, 5);
      await store.upload(`gs://${bucket}/corrupt-unvalidated.bin`, bytes);
      await corruptOnServer(bytes);

      const chunks: Buffer[] = [];
      for await (const chunk of store.createReadStream(`gs://${bucket}/corrupt-unvalidated.bin`, { validate: false })) {
        chunks.push(chunk as Buffer);
      }

      expect(Buffer.concat(chunks).equals(Buffer.from(bytes.map((byte) => byte ^ 0xff)))).toBe(true);
    });
  });

  describe('Method: downloadToFile', () => {
    it('leaves no partial file when the bytes fail validation', async () => {
      const bytes = patternBytes(400_000, 7);
      await store.upload(`gs://${bucket}/corrupt-download.bin`, bytes);
      await corruptOnServer(bytes);
      const directory = join(workDir, randomUUID());

      await expect(
        store.downloadToFile(`gs://${bucket}/corrupt-download.bin`, join(directory, 'out.bin')),
      ).rejects.toBeInstanceOf(ChecksumMismatch);

      expect(await readdir(directory)).toEqual([]);
    });
  });

  describe('Method: signUrl', () => {
    it('signs a URL on the server it talks to, which refuses it once tampered with', async () => {
      await store.upload(`gs://${bucket}/signed.txt`, 'signed bytes');
      const url = new URL(await store.signUrl(`gs://${bucket}/signed.txt`, { expiresInSeconds: 600 }));

      expect(url.origin).toBe(server.url);
      await expect(readUrl(url.href)).resolves.toMatchObject({ status: 200, body: Buffer.from('signed bytes') });
      url.searchParams.set('X-Goog-Expires', '700');
      expect((await readUrl(url.href)).status).toBe(403);
    });

    it('signs a write URL that a plain HTTP PUT can upload through', async () => {
      const url = await store.signUrl(`gs://${bucket}/put.csv`, { action: 'write', contentType: 'text/csv' });

      const response = await fetch(url, { method: 'PUT', body: 'a,b\n', headers: { 'content-type': 'text/csv' } });

      expect(response.status).toBe(200);
      expect((await store.read(`gs://${bucket}/put.csv`)).toString()).toBe('a,b\n');
      expect((await store.getMetadata(`gs://${bucket}/put.csv`)).contentType).toBe('text/csv');
    });

    it('fails with UrlSigningFailed when the client cannot load its signing key', async () => {
      const unsigned = new GcsObjectStore({
        projectId: 'demo-x',
        apiEndpoint: server.url,
        keyFilename: join(workDir, 'none.json'),
      });

      await expect(unsigned.signUrl(`gs://${bucket}/signed.txt`)).rejects.toBeInstanceOf(UrlSigningFailed);
    });
  });
});
