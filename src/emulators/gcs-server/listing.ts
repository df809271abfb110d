import { badRequest } from './api-error';
import type { ObjectRecord } from './types';

/** Options of an object listing (`GET /b/:b/o`). */
export interface ListingOptions {
  /** Only names starting with this. */
  readonly prefix?: string;
  /** Names that continue past this after the prefix collapse into `prefixes`. */
  readonly delimiter?: string;
  /** Items + prefixes per page (GCS default and cap: 1000). */
  readonly maxResults?: number;
  /** The `nextPageToken` of the previous page. */
  readonly pageToken?: string;
  /** Only names ≥ this. */
  readonly startOffset?: string;
  /** Only names < this. */
  readonly endOffset?: string;
}

/** One page of a listing. */
export interface ListingPage {
  /** Objects on this page, by name. */
  readonly items: ObjectRecord[];
  /** Collapsed prefixes on this page, by name (each ends with the delimiter). */
  readonly prefixes: string[];
  /** Token for the next page, when there is one. */
  readonly nextPageToken?: string;
}

interface Resume {
  /** Last name consumed. */
  readonly a: string;
  /** Prefix emitted last; names under it are skipped. */
  readonly p?: string;
}

/**
 * Lists one page of objects the way GCS does: sorted by name, filtered by prefix and offsets, names continuing past
 * the delimiter collapsed into prefixes, and items plus prefixes together limited to `maxResults`.
 *
 * @param sorted - Every object in the bucket, sorted by name.
 * @param options - Listing options.
 * @returns The page.
 * @throws GcsApiError 400 for a malformed page token or maxResults.
 */
export function listPage(sorted: readonly ObjectRecord[], options: ListingOptions): ListingPage {
  const prefix = options.prefix ?? '';
  const delimiter = options.delimiter || undefined;
  const max = options.maxResults ?? 1000;
  if (!Number.isInteger(max) || max < 1) throw badRequest(`Invalid value for maxResults: ${options.maxResults}`);
  const resume = options.pageToken ? decodeToken(options.pageToken) : undefined;
  const items: ObjectRecord[] = [];
  const prefixes: string[] = [];
  let last: Resume | undefined;
  for (const record of sorted) {
    const name = record.name;
    if (!name.startsWith(prefix)) continue;
    if (options.startOffset !== undefined && name < options.startOffset) continue;
    if (options.endOffset !== undefined && options.endOffset !== '' && name >= options.endOffset) continue;
    if (resume && (name <= resume.a || (resume.p !== undefined && name.startsWith(resume.p)))) continue;
    const cut = delimiter ? name.indexOf(delimiter, prefix.length) : -1;
    const collapsed = delimiter && cut >= 0 ? name.slice(0, cut + delimiter.length) : undefined;
    if (collapsed !== undefined && prefixes[prefixes.length - 1] === collapsed) {
      last = { a: name, p: collapsed };
      continue;
    }
    if (items.length + prefixes.length >= max) return { items, prefixes, nextPageToken: encodeToken(last) };
    if (collapsed !== undefined) {
      prefixes.push(collapsed);
      last = { a: name, p: collapsed };
    } else {
      items.push(record);
      last = { a: name };
    }
  }
  return { items, prefixes };
}

function encodeToken(resume: Resume | undefined): string {
  return Buffer.from(JSON.stringify(resume ?? { a: '' })).toString('base64url');
}

function decodeToken(token: string): Resume {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Resume;
    if (typeof value.a !== 'string' || (value.p !== undefined && typeof value.p !== 'string')) throw new Error('shape');
    return value;
  } catch (error) {
    throw badRequest(`Invalid pageToken: ${token}`, error);
  }
}
