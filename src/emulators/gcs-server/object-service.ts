import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

import { setOwnProperty } from '../../core/json/own-property';
import { badRequest, GcsApiError, noSuchBucket, noSuchObject } from './api-error';
import type { Preconditions } from './preconditions';
import { checkPreconditions, checkReadPreconditions } from './preconditions';
import { newObjectProperties, readProperties } from './resources';
import { ContentDigest, StagingSink } from './staging-sink';
import type { BucketRecord, ByteRange, ObjectProperties, ObjectRecord, StagedBytes, StorageBackend } from './types';

/** A finished upload waiting to become an object. */
export interface CompletedUpload {
  /** Target bucket. */
  readonly bucket: string;
  /** Target object name. */
  readonly name: string;
  /** The uploaded bytes (discarded whatever the outcome). */
  readonly staged: StagedBytes;
  /** Size and hashes of the staged bytes. */
  readonly digest: ContentDigest;
  /** The new object's properties. */
  readonly properties: ObjectProperties;
  /** Conditions checked against the live object under its lock. */
  readonly preconditions: Preconditions;
  /** Hashes the client sent (X-Goog-Hash, or md5Hash/crc32c in the metadata); checked before committing. */
  readonly expected?: { readonly md5?: string; readonly crc32c?: string };
}

/**
 * The server's object logic over a {@link StorageBackend}: validation, generations, preconditions and per-object
 * serialisation. Every write to one object (commit, patch, delete) runs under that object's lock, and the
 * precondition check happens inside it, so of N concurrent `ifGenerationMatch=0` uploads exactly one wins.
 */
export class ObjectService {
  private readonly locks = new Map<string, Promise<void>>();
  private lastGeneration: number;

  /**
   * @param backend - Where data lives.
   * @param now - The clock (ms since the epoch), injectable for tests.
   * @param firstGeneration - Generations start above this (the backend's highest after a restart).
   */
  constructor(
    readonly backend: StorageBackend,
    readonly now: () => number,
    firstGeneration = 0,
  ) {
    this.lastGeneration = firstGeneration;
  }

  /** Creates a bucket, or returns the existing one (idempotent, unlike GCS's 409). */
  async createBucket(name: unknown, location?: unknown, storageClass?: unknown): Promise<BucketRecord> {
    if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(name) || name.includes('..')) {
      throw badRequest(`Invalid bucket name: ${JSON.stringify(name)}`);
    }
    const existing = await this.backend.getBucket(name);
    if (existing) return existing;
    const record: BucketRecord = {
      name,
      timeCreated: new Date(this.now()).toISOString(),
      location: typeof location === 'string' ? location.toUpperCase() : 'US',
      storageClass: typeof storageClass === 'string' ? storageClass.toUpperCase() : 'STANDARD',
    };
    await this.backend.putBucket(record);
    return record;
  }

  /** The bucket. @throws GcsApiError 404 */
  async getBucket(name: string): Promise<BucketRecord> {
    const bucket = await this.backend.getBucket(name);
    if (!bucket) throw noSuchBucket(name);
    return bucket;
  }

  /** Deletes an empty bucket. @throws GcsApiError 404, or 409 when it still holds objects */
  async deleteBucket(name: string): Promise<void> {
    await this.getBucket(name);
    if ((await this.backend.listObjects(name)).length > 0) {
      throw new GcsApiError('The bucket you tried to delete is not empty.', { status: 409, reason: 'conflict' });
    }
    await this.backend.deleteBucket(name);
  }

  /** The object, optionally of one generation. @throws GcsApiError 404 */
  async getObject(bucket: string, name: string, generation?: string | null): Promise<ObjectRecord> {
    await this.getBucket(bucket);
    const record = await this.backend.getObject(bucket, name);
    if (!record || (generation && generation !== String(record.generation))) throw noSuchObject(bucket, name);
    return record;
  }

  /**
   * Checks preconditions and opens the bytes under the object's lock, so the record and bytes belong together.
   * Failed `…NotMatch` conditions give 304 as for a GET, or 412 when `strict` (a copy's source).
   * @throws GcsApiError 404, 304 or 412
   */
  async openObject(
    bucket: string,
    name: string,
    conditions: Preconditions,
    generation: string | null,
    range: (record: ObjectRecord) => ByteRange | undefined,
    strict = false,
  ): Promise<{ record: ObjectRecord; stream: Readable; range: ByteRange | undefined }> {
    return this.withLock(bucket, name, async () => {
      const record = await this.getObject(bucket, name, generation);
      if (strict) checkPreconditions(conditions, record);
      else checkReadPreconditions(conditions, record);
      const chosen = range(record);
      return { record, range: chosen, stream: await this.backend.openRead(record, chosen) };
    });
  }

  /** Makes a finished upload the object, or discards it when a check fails. @throws GcsApiError 400/404/412 */
  async commit(upload: CompletedUpload): Promise<ObjectRecord> {
    try {
      validateObjectName(upload.name);
      const md5 = upload.digest.md5Base64();
      const crc32c = upload.digest.crc32cBase64();
      checkHash('MD5', upload.expected?.md5, md5);
      checkHash('CRC32C', upload.expected?.crc32c, crc32c);
      return await this.withLock(upload.bucket, upload.name, async () => {
        await this.getBucket(upload.bucket);
        checkPreconditions(upload.preconditions, await this.backend.getObject(upload.bucket, upload.name));
        const time = new Date(this.now()).toISOString();
        const record: ObjectRecord = {
          ...upload.properties,
          bucket: upload.bucket,
          name: upload.name,
          generation: this.nextGeneration(),
          metageneration: 1,
          size: upload.digest.size,
          md5Hash: md5,
          crc32c,
          timeCreated: time,
          updated: time,
        };
        await this.backend.commitObject(record, upload.staged);
        return record;
      });
    } finally {
      await upload.staged.discard();
    }
  }

  /** Merges a patch body into the object's metadata (null deletes a key). @throws GcsApiError 400/404/412 */
  async patch(
    bucket: string,
    name: string,
    body: Record<string, unknown>,
    conditions: Preconditions,
  ): Promise<ObjectRecord> {
    const { properties, metadata } = readProperties(body);
    return this.withLock(bucket, name, async () => {
      const live = await this.getObject(bucket, name);
      checkPreconditions(conditions, live);
      const merged = metadata === undefined ? live.metadata : mergeMetadata(live.metadata, metadata);
      // The live record is the base, so a property patched to null is really gone from the result.
      const next = newObjectProperties(properties, undefined, { ...live, metadata: merged }) as ObjectRecord;
      const record: ObjectRecord = {
        ...next,
        metageneration: live.metageneration + 1,
        updated: new Date(this.now()).toISOString(),
      };
      if (!record.metadata || Object.keys(record.metadata).length === 0)
        delete (record as { metadata?: unknown }).metadata;
      await this.backend.putObjectMetadata(record);
      return record;
    });
  }

  /** Deletes the object. @throws GcsApiError 404/412 */
  async delete(bucket: string, name: string, conditions: Preconditions, generation: string | null): Promise<void> {
    await this.withLock(bucket, name, async () => {
      const live = await this.getObject(bucket, name, generation);
      checkPreconditions(conditions, live);
      await this.backend.deleteObject(bucket, name);
    });
  }

  /** Copies an object's bytes into a new staging area, for a rewrite/copy. */
  async stageCopy(
    source: ObjectRecord,
    conditions: Preconditions,
  ): Promise<{ staged: StagedBytes; digest: ContentDigest }> {
    const { stream } = await this.openObject(
      source.bucket,
      source.name,
      conditions,
      String(source.generation),
      () => undefined,
      true,
    );
    const staged = await this.backend.createStaging();
    const digest = new ContentDigest();
    try {
      await pipeline(stream, new StagingSink(staged, digest));
    } catch (error) {
      await staged.discard();
      throw error;
    }
    return { staged, digest };
  }

  private nextGeneration(): number {
    this.lastGeneration = Math.max(this.lastGeneration + 1, this.now() * 1000);
    return this.lastGeneration;
  }

  private async withLock<T>(bucket: string, name: string, work: () => Promise<T>): Promise<T> {
    const key = `${bucket}\u0000${name}`;
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }
}

/** @throws GcsApiError 400 for names GCS rejects (empty, over 1024 bytes, `.`/`..`, CR or LF). */
export function validateObjectName(name: string): void {
  if (name === '' || Buffer.byteLength(name, 'utf8') > 1024 || name === '.' || name === '..' || /[\r\n]/.test(name)) {
    throw badRequest(`Invalid object name: ${JSON.stringify(name.slice(0, 100))}`);
  }
}

function checkHash(kind: string, expected: string | undefined, actual: string): void {
  if (expected !== undefined && expected !== actual) {
    throw badRequest(`Provided ${kind} hash "${expected}" doesn't match calculated ${kind} hash "${actual}".`);
  }
}

function mergeMetadata(
  live: Readonly<Record<string, string>> | undefined,
  patch: Record<string, string | null>,
): Record<string, string> {
  const merged: Record<string, string> = { ...live };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else setOwnProperty(merged, key, value);
  }
  return merged;
}
