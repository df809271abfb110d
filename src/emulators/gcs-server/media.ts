import { pipeline } from 'node:stream/promises';

import { GcsApiError } from './api-error';
import type { RequestContext } from './http-util';
import type { ObjectService } from './object-service';
import { parsePreconditions } from './preconditions';
import { parseRangeHeader } from './ranges';
import { objectEtag } from './resources';
import type { ByteRange, ObjectRecord } from './types';

/**
 * Streams an object's bytes (JSON `?alt=media` and XML/signed GET), with the headers GCS sends: `x-goog-hash`
 * (crc32c + md5 of the whole object), `x-goog-generation`, `x-goog-metageneration`, `x-goog-stored-content-length`,
 * `x-goog-stored-content-encoding` (the client only validates hashes when this is `identity`, or `gzip` and the body
 * is gzip), and a 206 partial response for a satisfiable `Range`. Bytes are served as stored (no decompressive
 * transcoding). `HEAD` sends the headers only.
 *
 * @param ctx - The request.
 * @param service - The object service.
 * @param bucket - Bucket name.
 * @param name - Object name.
 * @param overrides - Response headers to replace (a signed URL's `response-content-type`, …).
 * @throws GcsApiError 404, 304, 412 or 416.
 */
export async function sendObjectBytes(
  ctx: RequestContext,
  service: ObjectService,
  bucket: string,
  name: string,
  overrides: Record<string, string> = {},
): Promise<void> {
  const { record, stream, range } = await service.openObject(
    bucket,
    name,
    parsePreconditions(ctx.query),
    ctx.query.get('generation'),
    (live) => {
      const parsed = parseRangeHeader(ctx.req.headers.range, live.size);
      if (parsed !== 'unsatisfiable') return parsed;
      throw new GcsApiError(`Requested range not satisfiable (object size ${live.size}).`, {
        status: 416,
        reason: 'requestedRangeNotSatisfiable',
        xmlCode: 'InvalidRange',
      });
    },
  );
  const headers = { ...objectHeaders(record, range), ...overrides };
  ctx.res.writeHead(range ? 206 : 200, headers);
  if (ctx.method === 'HEAD') {
    stream.destroy();
    ctx.res.end();
    return;
  }
  // A client that hangs up mid-download is not a server error; the stream is closed either way.
  await pipeline(stream, ctx.res).catch(() => undefined);
}

/** Response headers describing an object (and the part of it being sent). */
export function objectHeaders(record: ObjectRecord, range?: ByteRange): Record<string, string> {
  const length = range ? range.end - range.start + 1 : record.size;
  const headers: Record<string, string> = {
    'content-type': record.contentType,
    'content-length': String(length),
    'accept-ranges': 'bytes',
    etag: `"${objectEtag(record)}"`,
    'last-modified': new Date(record.updated).toUTCString(),
    'x-goog-hash': `crc32c=${record.crc32c},md5=${record.md5Hash}`,
    'x-goog-generation': String(record.generation),
    'x-goog-metageneration': String(record.metageneration),
    'x-goog-stored-content-length': String(record.size),
    'x-goog-stored-content-encoding': record.contentEncoding ?? 'identity',
    'x-goog-storage-class': 'STANDARD',
  };
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${record.size}`;
  if (record.contentEncoding) headers['content-encoding'] = record.contentEncoding;
  if (record.contentDisposition) headers['content-disposition'] = record.contentDisposition;
  if (record.contentLanguage) headers['content-language'] = record.contentLanguage;
  if (record.cacheControl) headers['cache-control'] = record.cacheControl;
  for (const [key, value] of Object.entries(record.metadata ?? {})) {
    // Header values must be latin1 without control characters; skip custom keys that cannot be sent that way.
    if (/^[\x20-\x7e]*$/.test(value) && /^[\w-]+$/.test(key)) headers[`x-goog-meta-${key}`] = value;
  }
  return headers;
}
