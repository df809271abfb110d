import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PassThrough, Readable, Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

import { Crc32c } from '../../core/hashing/crc32c';
import type { ProgressCallback, UploadSource } from '../../core/ports/object-store';
import { ChecksumMismatch, FileNotFoundException, InvalidInputException, UrlSigningFailed } from '../../errors';

/** An upload source opened as a byte stream. */
export interface OpenedSource {
  /** The bytes to upload. */
  readonly stream: Readable;
  /** The number of bytes, when known before the upload (buffers, strings and files). */
  readonly totalBytes?: number;
}

/**
 * Opens any `UploadSource` as a stream of bytes.
 * @param source - A buffer, a string (UTF-8), a readable stream, or `{ fromFile }`.
 * @returns The stream, with its size when known.
 * @throws FileNotFoundException when `fromFile` names no regular file.
 * @throws InvalidInputException when the source is none of the accepted kinds.
 */
export async function openUploadSource(source: UploadSource): Promise<OpenedSource> {
  if (typeof source === 'string' || Buffer.isBuffer(source)) {
    const buffer = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
    // One chunk in byte mode: `Readable.from` would otherwise default to object mode.
    return { stream: Readable.from([buffer], { objectMode: false }), totalBytes: buffer.length };
  }
  if (source instanceof Readable) {
    return { stream: source };
  }
  if (source !== null && typeof source === 'object' && typeof source.fromFile === 'string') {
    const path = source.fromFile;
    const stats = await stat(path).catch((error: unknown) => {
      throw new FileNotFoundException(`Cannot upload '${path}': there is no such local file.`, { path, cause: error });
    });
    if (!stats.isFile()) {
      throw new FileNotFoundException(`Cannot upload '${path}': it is not a regular file.`, { path });
    }
    return { stream: createReadStream(path), totalBytes: stats.size };
  }
  throw new InvalidInputException(
    'An upload source must be a Buffer, a string, a Readable stream or { fromFile: <local path> }.',
  );
}

/** What a {@link ByteMeter} checks the bytes against when they end. */
export interface ExpectedContent {
  /** The object's location, for the error message. */
  readonly location: string;
  /** Base64 big-endian CRC32C the bytes must have. */
  readonly crc32c: string;
  /** Size the bytes must have. */
  readonly size: number;
}

/** Options for {@link ByteMeter}. */
export interface ByteMeterOptions {
  /** Called after every chunk with the running count. */
  readonly onProgress?: ProgressCallback;
  /** Total bytes expected, reported with each progress call. */
  readonly totalBytes?: number;
  /** When given, the bytes are hashed and the stream fails with `ChecksumMismatch` if they differ at the end. */
  readonly expected?: ExpectedContent;
}

/**
 * A pass-through that counts bytes for progress reports and, when told what to expect, verifies the CRC32C and size
 * once the bytes end. Hashing happens as bytes stream past, so nothing is gathered in memory.
 */
export class ByteMeter extends Transform {
  /** Bytes seen so far. */
  bytes = 0;
  /** Total bytes expected, reported with each progress call (may be learnt after construction, e.g. from headers). */
  totalBytes: number | undefined;
  private readonly hasher: Crc32c | undefined;

  /** @param options - Progress callback, total size and the expected content. */
  constructor(private readonly options: ByteMeterOptions = {}) {
    super();
    this.totalBytes = options.totalBytes;
    this.hasher = options.expected ? new Crc32c() : undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hasher?.update(chunk);
    this.options.onProgress?.({ bytes: this.bytes, totalBytes: this.totalBytes });
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const expected = this.options.expected;
    if (expected && this.hasher) {
      const actual = this.hasher.toString();
      if (actual !== expected.crc32c || this.bytes !== expected.size) {
        callback(
          new ChecksumMismatch(
            `The bytes read from ${expected.location} do not match its stored checksum (expected CRC32C ` +
              `${expected.crc32c} over ${expected.size} bytes, got ${actual} over ${this.bytes} bytes); the object ` +
              'was altered or corrupted. Download it again, or re-upload it.',
            { location: expected.location },
          ),
        );
        return;
      }
    }
    callback();
  }
}

/**
 * A readable that opens its source only when first read, so a stream that is created but never consumed holds no
 * file handle or HTTP request. The opener returns a chain of streams (source first); their bytes flow into this
 * stream, and the first error from any of them — passed through `mapError` — destroys it.
 */
export class DeferredReadable extends PassThrough {
  private started = false;
  private chain: readonly Readable[] = [];

  /**
   * @param opener - Opens the source chain; a rejection becomes this stream's error.
   * @param mapError - Turns a foreign error into one of Skein's.
   */
  constructor(
    private readonly opener: () => Promise<readonly [Readable, ...Transform[]]>,
    private readonly mapError: (error: unknown) => Error = (error) => error as Error,
  ) {
    super();
    this.once('close', () => this.chain.forEach((stream) => stream.destroy()));
  }

  /**
   * Wraps a chain that is already open (e.g. a file handle), attaching it at once so that destroying the result
   * before reading still releases the chain.
   * @param chain - The open streams, source first.
   * @param mapError - Turns a foreign error into one of Skein's.
   * @returns A readable of the chain's bytes.
   */
  static fromOpenChain(
    chain: readonly [Readable, ...Transform[]],
    mapError?: (error: unknown) => Error,
  ): DeferredReadable {
    const readable = new DeferredReadable(async () => chain, mapError);
    readable.started = true;
    readable.attach(chain);
    return readable;
  }

  override _read(size: number): void {
    if (!this.started) {
      this.started = true;
      this.opener().then(
        (chain) => this.attach(chain),
        (error: unknown) => this.destroy(this.mapError(error)),
      );
    }
    super._read(size);
  }

  private attach(chain: readonly Readable[]): void {
    this.chain = chain;
    if (this.destroyed) {
      chain.forEach((stream) => stream.destroy());
      return;
    }
    chain.forEach((stream) => stream.on('error', (error: unknown) => this.destroy(this.mapError(error))));
    let tail = chain[0] as Readable;
    for (const next of chain.slice(1)) {
      tail = tail.pipe(next as Transform);
    }
    tail.pipe(this);
  }
}

/**
 * Orders object names as GCS does: by their UTF-8 bytes (JavaScript's `<` compares UTF-16 units, which differs for
 * characters beyond the Basic Multilingual Plane).
 */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The longest lifetime a V4 signed URL may have, and the default: 7 days. */
export const SEVEN_DAYS_IN_SECONDS = 604_800;

/**
 * Checks a signed URL lifetime.
 * @param expiresInSeconds - The requested lifetime; default 7 days.
 * @param location - The object's location, for the error message.
 * @returns The lifetime in seconds.
 * @throws UrlSigningFailed when the lifetime is not a whole number of seconds from 1 to 604 800 (7 days).
 */
export function signedUrlLifetime(expiresInSeconds: number | undefined, location: string): number {
  const lifetime = expiresInSeconds ?? SEVEN_DAYS_IN_SECONDS;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > SEVEN_DAYS_IN_SECONDS) {
    throw new UrlSigningFailed(
      `Cannot sign a URL for ${location} valid for ${String(expiresInSeconds)} seconds: the lifetime must be a whole ` +
        `number of seconds from 1 to ${SEVEN_DAYS_IN_SECONDS} (7 days, the V4 maximum).`,
      { location },
    );
  }
  return lifetime;
}

/**
 * Reads a whole stream into memory.
 * @param stream - The bytes (its errors reject the promise).
 * @returns Every byte, concatenated.
 */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks);
}
