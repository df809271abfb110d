import type { IncomingMessage, ServerResponse } from 'node:http';

import { badRequest, GcsApiError, notImplemented } from './api-error';
import { createBucket, deleteBucket, getBucket, listBuckets } from './bucket-routes';
import type { RequestContext } from './http-util';
import { sendEmpty, sendJsonError, sendXmlError } from './http-util';
import { copyObject, deleteObject, getObject, listObjects, patchObject } from './object-routes';
import { cancelUpload, putChunk } from './resumable';
import type { ServerState } from './state';
import { startUpload } from './upload-routes';
import { handleXmlObject } from './xml-routes';

const SIGNATURE_PARAMS = /(?:^|&)x-goog-(?:signature|algorithm|credential)=/i;

/**
 * Handles one HTTP request: JSON API routes (with or without the `/storage/v1` prefix, which the client drops when
 * `STORAGE_EMULATOR_HOST` is set), upload routes under `/upload/storage/v1`, and XML API object routes
 * (`/:bucket/:object`, used by signed URLs). A request whose query carries `X-Goog-Signature`/`-Algorithm`/
 * `-Credential` is always an XML API request, so a bucket named `b` cannot shadow the JSON routes. Anything else
 * answers 501.
 *
 * @param req - The request.
 * @param res - The response.
 * @param state - Shared server state.
 * @param fallbackBaseUrl - The server URL, for links when the request has no `Host` header.
 */
export async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  state: ServerState,
  fallbackBaseUrl: string,
): Promise<void> {
  const url = req.url ?? '/';
  const mark = url.indexOf('?');
  const rawPath = mark < 0 ? url : url.slice(0, mark);
  const rawQuery = mark < 0 ? '' : url.slice(mark + 1);
  const ctx: RequestContext = {
    req,
    res,
    method: (req.method ?? 'GET').toUpperCase(),
    rawPath,
    rawQuery,
    query: new URLSearchParams(rawQuery),
    baseUrl: req.headers.host ? `http://${req.headers.host}` : fallbackBaseUrl,
  };
  const segments = rawPath.split('/').slice(1);
  const xml = SIGNATURE_PARAMS.test(rawQuery) || !isJsonPath(segments);
  try {
    if (xml) {
      if (rawPath === '/' && ctx.method === 'GET') return sendEmpty(res, 200);
      if (!['GET', 'HEAD', 'PUT'].includes(ctx.method)) throw notImplemented(`${ctx.method} ${rawPath}`);
      return await handleXmlObject(ctx, state);
    }
    if (segments[0] === 'upload') return await routeUpload(ctx, state, decodeAll(segments.slice(3)));
    const offset = segments[0] === 'b' ? 0 : segments[0] === 'storage' ? 2 : 3;
    return await routeJson(ctx, state, decodeAll(segments.slice(offset)));
  } catch (error) {
    respondWithError(ctx, error, xml);
  }
}

function isJsonPath(segments: string[]): boolean {
  const [first, second, third] = segments;
  if (first === 'b') return true;
  if (first === 'storage' && second === 'v1') return true;
  return (first === 'upload' || first === 'download') && second === 'storage' && third === 'v1';
}

function decodeAll(segments: string[]): string[] {
  try {
    return segments.map((s) => decodeURIComponent(s));
  } catch (error) {
    throw badRequest('Malformed percent-encoding in the path.', error);
  }
}

async function routeJson(ctx: RequestContext, state: ServerState, s: string[]): Promise<void> {
  const { method } = ctx;
  if (s[0] !== 'b') throw notImplemented(`${method} ${ctx.rawPath}`);
  if (s.length === 1 && method === 'GET') return listBuckets(ctx, state);
  if (s.length === 1 && method === 'POST') return createBucket(ctx, state);
  const bucket = s[1] ?? '';
  if (s.length === 2 && method === 'GET') return getBucket(ctx, state, bucket);
  if (s.length === 2 && method === 'DELETE') return deleteBucket(ctx, state, bucket);
  if (s[2] !== 'o') throw notImplemented(`${method} ${ctx.rawPath}`);
  if (s.length === 3 && method === 'GET') return listObjects(ctx, state, bucket);
  const name = s[3] ?? '';
  if (s.length === 4 && method === 'GET') return getObject(ctx, state, bucket, name);
  if (s.length === 4 && method === 'PATCH') return patchObject(ctx, state, bucket, name);
  if (s.length === 4 && method === 'DELETE') return deleteObject(ctx, state, bucket, name);
  const action = s[4];
  if (
    s.length === 9 &&
    method === 'POST' &&
    (action === 'copyTo' || action === 'rewriteTo') &&
    s[5] === 'b' &&
    s[7] === 'o'
  ) {
    const target = { bucket: s[6] ?? '', name: s[8] ?? '' };
    return copyObject(ctx, state, { bucket, name }, target, action === 'rewriteTo');
  }
  throw notImplemented(`${method} ${ctx.rawPath}`);
}

async function routeUpload(ctx: RequestContext, state: ServerState, s: string[]): Promise<void> {
  if (s.length !== 3 || s[0] !== 'b' || s[2] !== 'o') throw notImplemented(`${ctx.method} ${ctx.rawPath}`);
  const bucket = s[1] ?? '';
  const id = ctx.query.get('upload_id');
  if (ctx.method === 'POST' && id === null) return startUpload(ctx, state, bucket);
  if (id !== null && (ctx.method === 'PUT' || ctx.method === 'POST')) return putChunk(ctx, state, id);
  if (id !== null && ctx.method === 'DELETE') return cancelUpload(ctx, state, id);
  throw notImplemented(`${ctx.method} ${ctx.rawPath}`);
}

function respondWithError(ctx: RequestContext, error: unknown, xml: boolean): void {
  const { req, res } = ctx;
  // Nobody is listening when the client went away mid-request, or the response had already started.
  if (res.headersSent || (!req.complete && req.destroyed)) {
    res.destroy();
    return;
  }
  const apiError =
    error instanceof GcsApiError
      ? error
      : new GcsApiError(`Internal error in Skein's GCS-compatible server: ${(error as Error)?.message ?? error}`, {
          status: 500,
          reason: 'backendError',
          xmlCode: 'InternalError',
          cause: error,
        });
  if (xml) sendXmlError(res, apiError);
  else sendJsonError(res, apiError);
}
