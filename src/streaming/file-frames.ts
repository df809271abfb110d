import { parseJsonObject } from './json-body';

/**
 * The file streamer's chunk format, inside a stream chunk's data: one byte says what follows — `0` file bytes, `1` the
 * JSON trailer `{size, crc32c}` that ends the file (so a file whose size is a multiple of the chunk size needs no
 * guessing from a short read, as NVFlare's does).
 * @module
 */

const DATA = 0;
const TRAILER = 1;

/** The end of a file: how many bytes were sent and their CRC32C (base64, big-endian, as Cloud Storage shows it). */
export interface FileTrailer {
  readonly size: number;
  readonly crc32c: string;
}

/** A decoded file chunk. */
export type FileFrame =
  { readonly kind: 'data'; readonly bytes: Buffer } | { readonly kind: 'trailer'; readonly trailer: FileTrailer };

/** @returns File bytes framed as a chunk. */
export function frameData(bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([DATA]), bytes]);
}

/** @returns The trailer framed as a chunk. */
export function frameTrailer(trailer: FileTrailer): Buffer {
  return Buffer.concat([Buffer.from([TRAILER]), Buffer.from(JSON.stringify(trailer))]);
}

/**
 * Decodes a received file chunk.
 * @returns The frame, or `undefined` when it is neither well-formed data nor a well-formed trailer.
 */
export function readFrame(chunk: Buffer): FileFrame | undefined {
  if (chunk[0] === DATA) return { kind: 'data', bytes: chunk.subarray(1) };
  if (chunk[0] !== TRAILER) return undefined;
  const body = parseJsonObject(chunk.subarray(1));
  const size = body?.size;
  const crc = body?.crc32c;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || typeof crc !== 'string') return undefined;
  return { kind: 'trailer', trailer: { size, crc32c: crc } };
}
