import { badRequest } from './api-error';

/** A `multipart/related` upload: JSON metadata first, then the object's bytes, streamed. */
export interface MultipartUpload {
  /** The parsed JSON of the first part. */
  readonly metadata: Record<string, unknown>;
  /** The `Content-Type` of the second part, if it had one. */
  readonly mediaContentType: string | undefined;
  /** The second part's bytes; read it to the end (it throws if the body stops before the closing boundary). */
  readonly media: AsyncGenerator<Buffer>;
}

const CRLF = Buffer.from('\r\n');

/** Reads a byte stream piecewise: up to a delimiter into memory (bounded), or streamed. */
class Scanner {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly iterator: AsyncIterator<Buffer | string>;

  constructor(source: AsyncIterable<Buffer | string>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    const next = await this.iterator.next();
    if (next.done) return false;
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    return true;
  }

  /** Whether the unread bytes start with `prefix` (reading more if needed). */
  async startsWith(prefix: Buffer): Promise<boolean> {
    while (this.buffer.length < prefix.length) if (!(await this.fill())) break;
    return this.buffer.subarray(0, prefix.length).equals(prefix);
  }

  /** Drops `n` unread bytes (they were checked with {@link startsWith}). */
  skip(n: number): void {
    this.buffer = this.buffer.subarray(n);
  }

  /** Bytes up to `delimiter` (which is consumed); at most `max` of them. */
  async readUntil(delimiter: Buffer, max: number, what: string): Promise<Buffer> {
    for (;;) {
      const at = this.buffer.indexOf(delimiter);
      if (at >= 0) {
        const before = this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at + delimiter.length);
        return before;
      }
      if (this.buffer.length > max + delimiter.length) throw badRequest(`Multipart body: ${what} is too large.`);
      if (!(await this.fill())) throw badRequest(`Multipart body ended inside ${what}.`);
    }
  }

  /** Streams bytes up to `delimiter` (which is consumed), never holding more than a chunk. */
  async *streamUntil(delimiter: Buffer, what: string): AsyncGenerator<Buffer> {
    for (;;) {
      const at = this.buffer.indexOf(delimiter);
      if (at >= 0) {
        if (at > 0) yield this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at + delimiter.length);
        return;
      }
      // Keep a tail that might be the start of the delimiter; everything before it is data.
      const keep = delimiter.length - 1;
      if (this.buffer.length > keep) {
        yield this.buffer.subarray(0, this.buffer.length - keep);
        this.buffer = this.buffer.subarray(this.buffer.length - keep);
      }
      if (!(await this.fill())) throw badRequest(`Multipart body ended inside ${what} (truncated upload).`);
    }
  }

  /** Reads and discards whatever is left. */
  async drain(): Promise<void> {
    this.buffer = Buffer.alloc(0);
    while (await this.fill()) this.buffer = Buffer.alloc(0);
  }
}

/**
 * Extracts the boundary from a `multipart/related; boundary=…` content type.
 *
 * @param contentType - The request's `Content-Type`.
 * @returns The boundary.
 * @throws GcsApiError 400 when the type is not multipart or has no boundary.
 */
export function multipartBoundary(contentType: string | undefined): string {
  const match = /^multipart\/[\w-]+\s*;(?:.*;)?\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary)
    throw badRequest(`A multipart upload needs Content-Type multipart/related with a boundary, got: ${contentType}`);
  return boundary;
}

async function readHeaders(scanner: Scanner): Promise<Record<string, string>> {
  if (await scanner.startsWith(CRLF)) {
    scanner.skip(2);
    return {};
  }
  const text = (await scanner.readUntil(Buffer.from('\r\n\r\n'), 16384, 'part headers')).toString('latin1');
  const headers: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * Parses a `multipart/related` upload body as GCS expects it: part 1 is the JSON object metadata, part 2 the bytes.
 * Only the metadata is held in memory; the bytes are yielded as they arrive.
 *
 * @param source - The request body.
 * @param boundary - The multipart boundary (see {@link multipartBoundary}).
 * @param maxMetadataBytes - Largest metadata part accepted (default 1 MiB).
 * @returns The metadata and a stream of the media bytes.
 * @throws GcsApiError 400 when the body is not two well-formed parts.
 */
export async function readMultipartUpload(
  source: AsyncIterable<Buffer | string>,
  boundary: string,
  maxMetadataBytes = 1 << 20,
): Promise<MultipartUpload> {
  const scanner = new Scanner(source);
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first boundary may open the body directly (no CRLF before it); anything before it is preamble.
  await scanner.readUntil(dashBoundary, 65536, 'the preamble');
  await scanner.readUntil(CRLF, 1024, 'the first boundary line');
  await readHeaders(scanner);
  const json = await scanner.readUntil(delimiter, maxMetadataBytes, 'the metadata part');
  if (await scanner.startsWith(Buffer.from('--'))) throw badRequest('Multipart body has no media part.');
  await scanner.readUntil(CRLF, 1024, 'a boundary line');
  const mediaHeaders = await readHeaders(scanner);
  let metadata: unknown;
  try {
    metadata = json.length === 0 ? {} : JSON.parse(json.toString('utf8'));
  } catch (error) {
    throw badRequest('Multipart metadata part is not valid JSON.', error);
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw badRequest('Multipart metadata part must be a JSON object.');
  }
  async function* media(): AsyncGenerator<Buffer> {
    yield* scanner.streamUntil(delimiter, 'the media part');
    if (!(await scanner.startsWith(Buffer.from('--')))) throw badRequest('Multipart body has more than two parts.');
    await scanner.drain();
  }
  return {
    metadata: metadata as Record<string, unknown>,
    mediaContentType: mediaHeaders['content-type'],
    media: media(),
  };
}
