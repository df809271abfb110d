import { createHash, type Hash } from 'node:crypto';
import { Writable } from 'node:stream';

import { Crc32c } from '../../core/hashing/crc32c';
import type { StagedBytes } from './types';

/** Running MD5 + CRC32C of an upload's bytes, kept across the requests of a resumable upload. */
export class ContentDigest {
  private readonly md5: Hash = createHash('md5');
  private readonly crc = new Crc32c();
  /** Bytes hashed so far. */
  size = 0;

  /** Feeds bytes in. */
  update(chunk: Buffer): void {
    this.md5.update(chunk);
    this.crc.update(chunk);
    this.size += chunk.length;
  }

  /** Base64 MD5 of everything so far (the running hash stays usable). */
  md5Base64(): string {
    return this.md5.copy().digest('base64');
  }

  /** Base64 big-endian CRC32C of everything so far. */
  crc32cBase64(): string {
    return this.crc.toString();
  }
}

/**
 * A writable that appends to staged bytes and hashes each chunk only after the backend has stored it, so after an
 * interrupted request `digest.size` is exactly the number of bytes kept. Optionally drops a first run of bytes
 * (a resumable client re-sending bytes the server already has).
 */
export class StagingSink extends Writable {
  private toSkip: number;
  private inFlight: Promise<void> = Promise.resolve();

  /**
   * @param staged - Where the bytes go.
   * @param digest - Hash and count of the bytes stored (shared across requests of one upload).
   * @param skip - Leading bytes of this request to drop.
   */
  constructor(
    private readonly staged: StagedBytes,
    private readonly digest: ContentDigest,
    skip = 0,
  ) {
    super({ highWaterMark: 1 << 20 });
    this.toSkip = skip;
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this.store(
      chunks.map((c) => c.chunk),
      callback,
    );
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.store([chunk], callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Let a write already handed to the backend settle, so the digest matches what was stored.
    this.inFlight.then(
      () => callback(error),
      () => callback(error),
    );
  }

  private store(input: Buffer[], callback: (error?: Error | null) => void): void {
    const chunks: Buffer[] = [];
    for (const chunk of input) {
      if (this.toSkip >= chunk.length) this.toSkip -= chunk.length;
      else {
        chunks.push(chunk.subarray(this.toSkip));
        this.toSkip = 0;
      }
    }
    this.inFlight = this.staged.write(chunks).then(() => {
      for (const chunk of chunks) this.digest.update(chunk);
    });
    this.inFlight.then(() => callback(), callback);
  }
}
