import { badRequest, GcsApiError } from './api-error';
import type { RequestContext } from './http-util';
import { drain, header, parseGoogHash, sendEmpty, sendJson } from './http-util';
import type { ContentRange } from './ranges';
import { parseContentRange } from './ranges';
import { objectResource } from './resources';
import type { ServerState } from './state';
import { receive } from './upload-routes';
import type { UploadSession } from './upload-sessions';

function noSuchSession(id: string): GcsApiError {
  return new GcsApiError(`No such upload session: ${id}`, { status: 404, reason: 'notFound' });
}

/**
 * `PUT /upload/storage/v1/b/:bucket/o?upload_id=…`: one request of a resumable upload.
 *
 * - `Content-Range: bytes a-b/*` appends and answers 308 with `Range: bytes=0-<received-1>` (more chunks follow);
 * - `bytes a-b/TOTAL` appends and finalizes once TOTAL bytes are in (200 + object resource);
 * - `bytes a-*\/*` (or no header) is a single streaming request, finalized when the body ends;
 * - `bytes *\/TOTAL` and `bytes *\/*` ask for the status (308 + Range, or 200 + resource once finalized).
 *
 * Bytes the client re-sends (range starting before what the server has) are skipped; a gap is 400. A request cut
 * off mid-body keeps what arrived, as GCS does, so the client can query the status and resume.
 */
export async function putChunk(ctx: RequestContext, state: ServerState, id: string): Promise<void> {
  const session = state.sessions.get(id);
  if (!session) throw noSuchSession(id);
  await state.sessions.run(session, async () => {
    if (state.sessions.get(id) !== session) throw noSuchSession(id);
    const rangeHeader = header(ctx.req, 'content-range');
    const range: ContentRange = rangeHeader
      ? parseContentRange(rangeHeader)
      : { kind: 'data', start: 0, end: undefined, total: undefined };
    if (session.finalized) {
      await drain(ctx.req);
      return sendJson(ctx.res, 200, objectResource(session.finalized, ctx.baseUrl));
    }
    if (range.kind === 'query') {
      await drain(ctx.req);
      if (range.total === undefined || session.digest.size < range.total) return sendIncomplete(ctx, session);
      if (session.digest.size > range.total) return tooMany(state, session, range.total);
      return finalize(ctx, state, session);
    }
    const received = session.digest.size;
    if (range.start > received) {
      await drain(ctx.req);
      throw badRequest(`Content-Range starts at byte ${range.start} but the upload has only ${received} bytes.`);
    }
    await receive(ctx.req, session.staged, session.digest, received - range.start);
    const total = range.total ?? (range.end === undefined ? session.digest.size : undefined);
    if (total === undefined || session.digest.size < total) return sendIncomplete(ctx, session);
    if (session.digest.size > total) return tooMany(state, session, total);
    return finalize(ctx, state, session);
  });
}

async function tooMany(state: ServerState, session: UploadSession, total: number): Promise<never> {
  await state.sessions.remove(session.id);
  throw badRequest(`The upload received ${session.digest.size} bytes, more than the declared total of ${total}.`);
}

/** `DELETE …?upload_id=…`: cancels a resumable upload (GCS answers 499), discarding its bytes. */
export async function cancelUpload(ctx: RequestContext, state: ServerState, id: string): Promise<void> {
  const session = state.sessions.get(id);
  if (!session) throw noSuchSession(id);
  await state.sessions.run(session, () => state.sessions.remove(id));
  sendEmpty(ctx.res, 499);
}

function sendIncomplete(ctx: RequestContext, session: UploadSession): void {
  const size = session.digest.size;
  sendEmpty(ctx.res, 308, size > 0 ? { range: `bytes=0-${size - 1}` } : {});
}

async function finalize(ctx: RequestContext, state: ServerState, session: UploadSession): Promise<void> {
  try {
    if (session.expectedSize !== undefined && session.expectedSize !== session.digest.size) {
      throw badRequest(
        `The upload has ${session.digest.size} bytes but X-Upload-Content-Length said ${session.expectedSize}.`,
      );
    }
    session.finalized = await state.service.commit({
      bucket: session.bucket,
      name: session.name,
      staged: session.staged,
      digest: session.digest,
      properties: session.properties,
      preconditions: session.preconditions,
      expected: parseGoogHash(ctx.req.headers['x-goog-hash']),
    });
  } catch (error) {
    // A failed finalize (precondition, hash, missing bucket) ends the session, as in GCS.
    await state.sessions.remove(session.id);
    throw error;
  }
  sendJson(ctx.res, 200, objectResource(session.finalized, ctx.baseUrl));
}
