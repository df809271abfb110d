import { Readable } from 'node:stream';

import { RecordIndex } from './record-index';
import type { BucketRecord, ByteRange, ObjectRecord, StagedBytes, StorageBackend } from './types';

class MemoryStaging implements StagedBytes {
  chunks: Buffer[] = [];

  async write(chunks: readonly Buffer[]): Promise<void> {
    this.chunks.push(...chunks);
  }

  async discard(): Promise<void> {
    this.chunks = [];
  }
}

/**
 * Keeps buckets, object metadata and bytes in memory. Fast and hermetic; everything is lost when the server stops.
 * Whole objects are held in memory, so use the directory backend for large data.
 */
export class MemoryBackend implements StorageBackend {
  /** Always `memory`. */
  readonly kind = 'memory';
  private readonly index = new RecordIndex();
  private readonly bytes = new Map<string, Buffer>();

  /** Nothing to load. */
  async init(): Promise<void> {}

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
    this.index.putBucket(record);
  }

  /** @inheritDoc */
  async deleteBucket(name: string): Promise<void> {
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
    return new MemoryStaging();
  }

  /** @inheritDoc */
  async commitObject(record: ObjectRecord, staged: StagedBytes): Promise<void> {
    const chunks = (staged as MemoryStaging).chunks;
    (staged as MemoryStaging).chunks = [];
    this.bytes.set(key(record.bucket, record.name), Buffer.concat(chunks));
    this.index.putObject(record);
  }

  /** @inheritDoc */
  async putObjectMetadata(record: ObjectRecord): Promise<void> {
    this.index.putObject(record);
  }

  /** @inheritDoc */
  async deleteObject(bucket: string, name: string): Promise<void> {
    this.bytes.delete(key(bucket, name));
    this.index.deleteObject(bucket, name);
  }

  /** @inheritDoc */
  async openRead(record: ObjectRecord, range?: ByteRange): Promise<Readable> {
    const all = this.bytes.get(key(record.bucket, record.name)) ?? Buffer.alloc(0);
    const slice = range ? all.subarray(range.start, range.end + 1) : all;
    // One chunk per 64 KiB so large reads still flow with backpressure instead of as one huge write.
    return Readable.from(chunked(slice), { objectMode: false });
  }
}

function key(bucket: string, name: string): string {
  return `${bucket}\u0000${name}`;
}

function* chunked(data: Buffer): Generator<Buffer> {
  for (let offset = 0; offset < data.length; offset += 65536) yield data.subarray(offset, offset + 65536);
}
