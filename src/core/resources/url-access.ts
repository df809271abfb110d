import { createReadStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fileURLToPath } from 'node:url';

import { FileNotFoundException } from '../../errors';
import type { CloudMetadataRecord } from './cloud-metadata';
import { decodeCloudMetadataValue } from './cloud-metadata';
import { OCTUE_METADATA_PREFIX } from './resource-values';

/** The subset of the WHATWG `fetch` the resources use; inject one to route or observe requests. */
export type FetchFunction = (url: string, init?: { method?: string; redirect?: 'error' }) => Promise<Response>;

/** Options for reading resources from URLs (signed URLs, or `file://` URLs from a local object store). */
export interface UrlAccessOptions {
  /** The fetch to use for `http(s)://` URLs; default: the global `fetch`. */
  readonly fetch?: FetchFunction;
}

/**
 * Reads what a URL tells about a datafile without downloading it, as Octue does for signed URLs: a `HEAD` request
 * whose `x-goog-meta-*octue*` headers are the custom metadata (decoded, prefixes removed), `Content-Length` the size
 * and the `crc32c=` part of `x-goog-hash` the checksum. A `file://` URL gives its size only.
 *
 * @param url - The URL.
 * @param options - The fetch to use.
 * @returns The cloud metadata record.
 * @throws FileNotFoundException when the URL cannot be reached or answers with an error status.
 */
export async function readUrlMetadata(url: string, options: UrlAccessOptions = {}): Promise<CloudMetadataRecord> {
  if (url.startsWith('file:')) {
    const stats = await fs.stat(fileURLToPath(url)).catch((error: unknown) => {
      throw new FileNotFoundException(`No file exists at ${url}.`, { path: url, cause: error });
    });
    return { custom_metadata: {}, size: stats.size, crc32c: null };
  }
  const response = await request(url, 'HEAD', options);
  const custom: Record<string, unknown> = {};
  response.headers.forEach((value, key) => {
    if (!key.includes('octue')) return;
    const name = key.replace('x-goog-meta-', '').split(OCTUE_METADATA_PREFIX).join('');
    custom[name] = decodeCloudMetadataValue(value);
  });
  const length = response.headers.get('content-length');
  const crc32c = /crc32c=([^,\s]+)/.exec(response.headers.get('x-goog-hash') ?? '')?.[1] ?? null;
  return { custom_metadata: custom, size: length === null ? null : Number(length), crc32c };
}

/**
 * Fetches and parses a JSON document from a URL (e.g. a signed dataset's metadata file).
 *
 * @param url - An `http(s)://` or `file://` URL.
 * @param options - The fetch to use.
 * @returns The parsed JSON (Octue extras are not decoded here).
 * @throws FileNotFoundException when the URL cannot be read or does not hold JSON.
 */
export async function readUrlJson(url: string, options: UrlAccessOptions = {}): Promise<unknown> {
  let text: string;
  if (url.startsWith('file:')) {
    text = await fs.readFile(fileURLToPath(url), 'utf8').catch((error: unknown) => {
      throw new FileNotFoundException(`No file exists at ${url}.`, { path: url, cause: error });
    });
  } else {
    text = await (await request(url, 'GET', options)).text();
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new FileNotFoundException(`The document at ${url} is not JSON.`, { path: url, cause: error });
  }
}

/**
 * Opens a stream of a URL's bytes.
 *
 * @param url - An `http(s)://` or `file://` URL.
 * @param options - The fetch to use.
 * @returns A readable stream of the body.
 * @throws FileNotFoundException when the URL cannot be read.
 */
export async function openUrlStream(url: string, options: UrlAccessOptions = {}): Promise<Readable> {
  if (url.startsWith('file:')) {
    const filePath = fileURLToPath(url);
    await fs.access(filePath).catch((error: unknown) => {
      throw new FileNotFoundException(`No file exists at ${url}.`, { path: url, cause: error });
    });
    return createReadStream(filePath);
  }
  const response = await request(url, 'GET', options);
  if (!response.body) return Readable.from([]);
  return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
}

async function request(url: string, method: string, options: UrlAccessOptions): Promise<Response> {
  const fetchFunction: FetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  let response: Response;
  try {
    // Redirects are refused: a URL that passed a location check must not lead the request anywhere else.
    response = await fetchFunction(url, { method, redirect: 'error' });
  } catch (error) {
    throw new FileNotFoundException(`${url} couldn't be accessed.`, { path: url, cause: error });
  }
  if (!response.ok) {
    const error = new FileNotFoundException(
      `${url} couldn't be accessed: HTTP ${response.status} ${response.statusText}.`,
      { path: url },
    );
    throw Object.assign(error, { status: response.status });
  }
  return response;
}
