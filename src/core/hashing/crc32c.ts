import { crc32c } from '@node-rs/crc32';
import type { Readable } from 'node:stream';

/**
 * An incremental CRC32C (Castagnoli) hasher, computed natively. Its string form is the base64 of the big-endian
 * 4-byte digest — the same string Google Cloud Storage reports as an object's `crc32c` and Octue uses as a hash.
 *
 * It also satisfies `@google-cloud/storage`'s `CRC32CValidator` interface, so the storage client can use it through
 * its `crc32cGenerator` option instead of its own (much slower) pure-JS implementation.
 */
export class Crc32c {
  /**
   * @param value - A checksum to continue from (a saved {@link Crc32c.digest}), so hashing can resume across
   * processes; 0 starts afresh.
   */
  constructor(private value = 0) {}

  /** Feeds more bytes into the running checksum. */
  update(data: Uint8Array): void {
    // @node-rs/crc32 takes the previous checksum as its initial value, so chunks can be hashed as they stream past.
    this.value = crc32c(
      Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
      this.value,
    );
  }

  /** The current checksum as an unsigned 32-bit integer. */
  digest(): number {
    return this.value >>> 0;
  }

  /** The current checksum as base64 of its 4 big-endian bytes (8 characters; empty input gives `AAAAAA==`). */
  toString(): string {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(this.digest(), 0);
    return bytes.toString('base64');
  }

  /** Whether `expected` (base64, as GCS reports it) equals the current checksum. */
  validate(expected: string): boolean {
    return expected === this.toString();
  }
}

/**
 * Hashes bytes, a string (UTF-8) or a stream with CRC32C and returns the base64 string GCS and Octue use.
 * Streams are hashed chunk by chunk, never gathered into memory.
 *
 * @param source - The bytes, a string, or a readable stream of bytes.
 * @returns Base64 of the big-endian CRC32C digest, e.g. `crc32cHash('123456789') === '4waSgw=='`.
 * @example
 * ```ts
 * const hash = await crc32cHash(fs.createReadStream('data.csv'));
 * ```
 */
export function crc32cHash(source: Uint8Array | string): string;
export function crc32cHash(source: Readable | AsyncIterable<Uint8Array>): Promise<string>;
export function crc32cHash(
  source: Uint8Array | string | Readable | AsyncIterable<Uint8Array>,
): string | Promise<string> {
  const hasher = new Crc32c();
  if (typeof source === 'string') {
    hasher.update(Buffer.from(source, 'utf8'));
    return hasher.toString();
  }
  if (source instanceof Uint8Array) {
    hasher.update(source);
    return hasher.toString();
  }
  return (async () => {
    for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
      hasher.update(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    }
    return hasher.toString();
  })();
}
