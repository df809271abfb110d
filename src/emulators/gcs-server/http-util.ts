import type { IncomingMessage, ServerResponse } from 'node:http';

import type { GcsApiError } from './api-error';
import { badRequest } from './api-error';

/** What a route handler gets. */
export interface RequestContext {
  /** The request (its body not yet read). */
  readonly req: IncomingMessage;
  /** The response to write. */
  readonly res: ServerResponse;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path exactly as sent (still percent-encoded). */
  readonly rawPath: string;
  /** Query string exactly as sent (no `?`). */
  readonly rawQuery: string;
  /** Parsed query. */
  readonly query: URLSearchParams;
  /** `http://host:port` as the client addressed the server, for links in responses. */
  readonly baseUrl: string;
}

/** Sends a JSON body. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Sends an empty response. */
export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-length': '0', ...headers });
  res.end();
}

/** Sends a JSON API error: `{"error":{"code","message","errors":[{"message","domain","reason"}]}}`. */
export function sendJsonError(res: ServerResponse, error: GcsApiError): void {
  if (error.status === 304) return sendEmpty(res, 304);
  sendJson(res, error.status, {
    error: {
      code: error.status,
      message: error.message,
      errors: [{ message: error.message, domain: 'global', reason: error.reason }],
    },
  });
}

/** Sends an XML API error, as GCS does on signed-URL (XML API) routes. */
export function sendXmlError(res: ServerResponse, error: GcsApiError): void {
  if (error.status === 304) return sendEmpty(res, 304);
  const details = error.details === undefined ? '' : `<Details>${escapeXml(error.details)}</Details>`;
  const body =
    `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${escapeXml(error.xmlCode)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message>${details}</Error>`;
  res.writeHead(error.status, {
    'content-type': 'application/xml; charset=UTF-8',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Reads a small JSON object body (request metadata).
 *
 * @param req - The request.
 * @param max - Largest body accepted, in bytes (default 1 MiB).
 * @returns The object; `{}` for an empty body.
 * @throws GcsApiError 400 when the body is too large, not JSON, or not an object.
 */
export async function readJsonBody(req: IncomingMessage, max = 1 << 20): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw badRequest(`Request body is larger than ${max} bytes.`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest('Request body is not valid JSON.', error);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('Request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/** Reads and discards the rest of a request body, so the client sees the response rather than a reset. */
export async function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded) return;

  for await (const _ of req) {
    // discard
  }
}

/**
 * Parses an `X-Goog-Hash` header (`crc32c=…,md5=…`).
 *
 * @param header - The header value, if any.
 * @returns The hashes present.
 */
export function parseGoogHash(header: string | string[] | undefined): { md5?: string; crc32c?: string } {
  const result: { md5?: string; crc32c?: string } = {};
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const kind = part.slice(0, at).trim().toLowerCase();
    const value = part.slice(at + 1).trim();
    if (kind === 'md5') result.md5 = value;
    if (kind === 'crc32c') result.crc32c = value;
  }
  return result;
}

/** A single header value (the first, when repeated). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
