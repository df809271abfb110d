import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';

import { SkeinError } from '../../errors';
import { DirectoryLayout } from './directory-layout';
import { RecordIndex } from './record-index';
import type { BucketRecord, ByteRange, ObjectRecord, StagedBytes, StorageBackend } from './types';

/** The directory backend's folder holds something it cannot read (a corrupt or foreign file). */
export class GcsDirectoryCorrupt extends SkeinError {
  /** The file that could not be read. */
  readonly path: string;

  /**
   * @param message - What is wrong and what to do.
   * @param context - The offending path and the parse/IO error.
   */
  constructor(message: string, context: { path: string; cause?: unknown }) {
    super(message, { cause: context.cause });
    this.path = context.path;
  }
}

class DirectoryStaging implements StagedBytes {
  private handle: FileHandle | undefined;
  private done = false;

  constructor(readonly path: string) {}

  async write(chunks: readonly Buffer[]): Promise<void> {
    this.handle ??= await open(this.path, 'w');
    let pending = chunks.filter((c) => c.length > 0);
    while (pending.length > 0) {
      let { bytesWritten } = await this.handle.writev(pending);
      // writev may write less than asked; drop what was written and go again.
      const rest: Buffer[] = [];
      for (const chunk of pending) {
        if (bytesWritten >= chunk.length) bytesWritten -= chunk.length;
        else {
          rest.push(chunk.subarray(bytesWritten));
          bytesWritten = 0;
        }
      }
      pending = rest;
    }
  }

  /** Closes the file, creating it empty if nothing was written, and returns its path for renaming into place. */
  async seal(): Promise<string> {
    this.handle ??= await open(this.path, 'w');
    await this.handle.close();
    this.handle = undefined;
    this.done = true;
    return this.path;
  }

  async discard(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await unlink(this.path).catch(() => undefined);
  }
}

/**
 * Persists buckets and objects under a folder: each object's bytes in its own file and its metadata in a JSON sidecar
 * (layout in {@link DirectoryLayout}). Bytes are always streamed, never held whole in memory. Uploads are written to
 * a temporary file in `.staging/` and renamed into place when finalized, so an interrupted upload leaves no object;
 * leftovers of a crashed server are removed at the next start.
 *
 * One server process per folder: writes are serialised inside the process, not across processes.
 */
export class DirectoryBackend implements StorageBackend {
  /** Always `directory`. */
  readonly kind = 'directory';
  private readonly layout: DirectoryLayout;
  private readonly index = new RecordIndex();

  /**
   * @param root - Folder to keep data in; created if missing.
   */
  constructor(root: string) {
    this.layout = new DirectoryLayout(root);
  }

  /**
   * Creates the folders, clears `.staging/`, and loads every bucket and object record. An object whose bytes are
   * missing or of the wrong size (a crash between renames) is dropped.
   * @throws GcsDirectoryCorrupt when a record file cannot be parsed.
   */
  async init(): Promise<void> {
    await rm(this.layout.staging, { recursive: true, force: true });
    await mkdir(this.layout.staging, { recursive: true });
    await mkdir(this.layout.buckets, { recursive: true });
    for (const bucket of await readdir(this.layout.buckets)) {
      this.index.putBucket(await readJson<BucketRecord>(this.layout.bucketFile(bucket)));
      for (const file of await readdir(this.layout.objectsDir(bucket))) {
        if (!file.endsWith('.json')) continue;
        const record = await readJson<ObjectRecord>(`${this.layout.objectsDir(bucket)}/${file}`);
        const size = await stat(this.layout.dataFile(bucket, record.name)).then(
          (s) => s.size,
          () => -1,
        );
        if (size === record.size) this.index.putObject(record);
        else await this.removeObjectFiles(bucket, record.name);
      }
    }
  }

  /** The highest stored generation (0 when empty), so generations keep increasing across restarts. */
  maxGeneration(): number {
    return this.index.maxGeneration();
  }

  /** @inheritDoc */
  async getBucket(name: string): Promise<BucketRecord | undefined> {
    return this.index.getBucket(name);
  }

  /** @inheritDoc */
  async listBuckets(): Promise<BucketRecord[]> {
    return this.index.listBuckets();
  }

  /** @inheritDoc */
  async putBucket(record: BucketRecord): Promise<void> {
    await mkdir(this.layout.objectsDir(record.name), { recursive: true });
    await this.layout.writeJsonAtomically(this.layout.bucketFile(record.name), record);
    this.index.putBucket(record);
  }

  /** @inheritDoc */
  async deleteBucket(name: string): Promise<void> {
    await rm(this.layout.bucketDir(name), { recursive: true, force: true });
    this.index.deleteBucket(name);
  }

  /** @inheritDoc */
  async getObject(bucket: string, name: string): Promise<ObjectRecord | undefined> {
    return this.index.getObject(bucket, name);
  }

  /** @inheritDoc */
  async listObjects(bucket: string): Promise<ObjectRecord[]> {
    return this.index.listObjects(bucket);
  }

  /** @inheritDoc */
  async createStaging(): Promise<StagedBytes> {
    return new DirectoryStaging(this.layout.stagingFile());
  }

  /** Renames the staged file into place, then the metadata, so the bytes never lag behind their record. */
  async commitObject(record: ObjectRecord, staged: StagedBytes): Promise<void> {
    const temp = await (staged as DirectoryStaging).seal();
    const metaTemp = this.layout.stagingFile();
    await writeFile(metaTemp, JSON.stringify(record));
    await rename(temp, this.layout.dataFile(record.bucket, record.name));
    await rename(metaTemp, this.layout.metaFile(record.bucket, record.name));
    this.index.putObject(record);
  }

  /** @inheritDoc */
  async putObjectMetadata(record: ObjectRecord): Promise<void> {
    await this.layout.writeJsonAtomically(this.layout.metaFile(record.bucket, record.name), record);
    this.index.putObject(record);
  }

  /** @inheritDoc */
  async deleteObject(bucket: string, name: string): Promise<void> {
    this.index.deleteObject(bucket, name);
    await this.removeObjectFiles(bucket, name);
  }

  /** Opens the object's file first, so a concurrent rename cannot swap the bytes after the caller chose a record. */
  async openRead(record: ObjectRecord, range?: ByteRange): Promise<Readable> {
    const handle = await open(this.layout.dataFile(record.bucket, record.name), 'r');
    if (record.size === 0) {
      await handle.close();
      return Readable.from([]);
    }
    return handle.createReadStream({ start: range?.start ?? 0, end: range?.end ?? record.size - 1, autoClose: true });
  }

  private async removeObjectFiles(bucket: string, name: string): Promise<void> {
    await unlink(this.layout.metaFile(bucket, name)).catch(() => undefined);
    await unlink(this.layout.dataFile(bucket, name)).catch(() => undefined);
  }
}

async function readJson<T>(path: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    throw new GcsDirectoryCorrupt(
      `Cannot read GCS server record ${path}; remove it or start the server on an empty folder.`,
      { path, cause: error },
    );
  }
}
