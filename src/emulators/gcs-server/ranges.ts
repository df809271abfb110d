import { badRequest } from './api-error';
import type { ByteRange } from './types';

/**
 * Parses a download `Range` header (`bytes=a-b`, `bytes=a-`, `bytes=-n`) against an object's size.
 *
 * @param header - The header value, if any.
 * @param size - The object's size.
 * @returns The inclusive range to send, `undefined` to send everything (no header, a malformed or multi-range
 *   header, which HTTP says to ignore, or an empty object), or `'unsatisfiable'` (answer 416).
 */
export function parseRangeHeader(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header || size === 0) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return undefined;
  return { start, end };
}

/**
 * A resumable upload request's `Content-Range`, parsed. `query` is a status request (`bytes *` + `/TOTAL` or `/*`),
 * which also finalizes when TOTAL bytes are already in; `data` carries bytes from `start` (`bytes a-b/TOTAL`,
 * `a-b/*`, or the open `a-*` forms).
 */
export type ContentRange =
  | { readonly kind: 'query'; readonly total: number | undefined }
  | {
      readonly kind: 'data';
      readonly start: number;
      readonly end: number | undefined;
      readonly total: number | undefined;
    };

/**
 * Parses a resumable upload's `Content-Range` header. `end` is undefined for an open range (`a-*`, a single streaming
 * request); `total` is undefined while the size is unknown (`/*`).
 *
 * @param header - The header value.
 * @returns The parsed range.
 * @throws GcsApiError 400 when the header is malformed or inconsistent.
 */
export function parseContentRange(header: string): ContentRange {
  const match = /^bytes\s+(?:(\*)|(\d+)-(-1|\d+|\*))\/(\d+|\*)$/.exec(header.trim());
  if (!match) throw badRequest(`Invalid Content-Range header: ${header}`);
  const [, star, first, last, totalText] = match;
  const total = totalText === '*' || totalText === undefined ? undefined : Number(totalText);
  if (star) return { kind: 'query', total };
  const start = Number(first);
  const end = last === '*' || last === undefined ? undefined : Number(last);
  // `end === start - 1` is an empty chunk (the Node client sends `bytes 0--1/0` to finish an empty upload).
  if (end !== undefined && end < start - 1)
    throw badRequest(`Invalid Content-Range header (end before start): ${header}`);
  if (total !== undefined && end !== undefined && end >= total) {
    throw badRequest(`Invalid Content-Range header (range past the total size): ${header}`);
  }
  return { kind: 'data', start, end, total };
}
