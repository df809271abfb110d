import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { badRequest } from './api-error';
import type { RequestContext } from './http-util';
import { header, parseGoogHash, readJsonBody, sendJson } from './http-util';
import { readMultipartUpload, multipartBoundary } from './multipart';
import { validateObjectName } from './object-service';
import { checkPreconditions, parsePreconditions } from './preconditions';
import { newObjectProperties, objectResource, readProperties } from './resources';
import { ContentDigest, StagingSink } from './staging-sink';
import type { ServerState } from './state';
import type { StagedBytes } from './types';

/**
 * Streams a body into staged bytes.
 * @returns Once every byte is stored.
 * @throws Whatever ended the stream early (the caller discards the staging).
 */
export async function receive(
  source: Readable | AsyncIterable<Buffer>,
  staged: StagedBytes,
  digest: ContentDigest,
  skip = 0,
): Promise<void> {
  await pipeline(source instanceof Readable ? source : Readable.from(source), new StagingSink(staged, digest, skip));
}

/** `POST /upload/storage/v1/b/:bucket/o?uploadType=media|multipart|resumable`. */
export async function startUpload(ctx: RequestContext, state: ServerState, bucket: string): Promise<void> {
  await state.service.getBucket(bucket);
  const uploadType = ctx.query.get('uploadType') ?? 'media';
  if (uploadType === 'media') return mediaUpload(ctx, state, bucket);
  if (uploadType === 'multipart') return multipartUpload(ctx, state, bucket);
  if (uploadType === 'resumable') return createSession(ctx, state, bucket);
  throw badRequest(`Invalid uploadType: ${uploadType} (expected media, multipart or resumable).`);
}

async function mediaUpload(ctx: RequestContext, state: ServerState, bucket: string): Promise<void> {
  const name = ctx.query.get('name');
  if (!name) throw badRequest('A media upload needs the object name in the name query parameter.');
  const properties = newObjectProperties({ contentType: header(ctx.req, 'content-type') ?? null }, undefined);
  await storeUpload(ctx, state, {
    bucket,
    name,
    properties,
    source: ctx.req,
    expected: parseGoogHash(ctx.req.headers['x-goog-hash']),
  });
}

async function multipartUpload(ctx: RequestContext, state: ServerState, bucket: string): Promise<void> {
  const upload = await readMultipartUpload(ctx.req, multipartBoundary(header(ctx.req, 'content-type')));
  const name = ctx.query.get('name') ?? upload.metadata.name;
  if (typeof name !== 'string' || name === '') {
    throw badRequest('A multipart upload needs the object name in its metadata or the name query parameter.');
  }
  const { properties, metadata } = readProperties(upload.metadata);
  properties.contentType ??= upload.mediaContentType ?? null;
  const given = upload.metadata;
  const expected = {
    ...parseGoogHash(ctx.req.headers['x-goog-hash']),
    ...(typeof given.md5Hash === 'string' ? { md5: given.md5Hash } : {}),
    ...(typeof given.crc32c === 'string' ? { crc32c: given.crc32c } : {}),
  };
  await storeUpload(ctx, state, {
    bucket,
    name,
    properties: newObjectProperties(properties, metadata),
    source: upload.media,
    expected,
  });
}

async function storeUpload(
  ctx: RequestContext,
  state: ServerState,
  upload: {
    bucket: string;
    name: string;
    properties: ReturnType<typeof newObjectProperties>;
    source: Readable | AsyncIterable<Buffer>;
    expected: { md5?: string; crc32c?: string };
  },
): Promise<void> {
  validateObjectName(upload.name);
  const staged = await state.service.backend.createStaging();
  const digest = new ContentDigest();
  try {
    await receive(upload.source, staged, digest);
  } catch (error) {
    // A truncated or aborted body leaves nothing behind.
    await staged.discard();
    throw error;
  }
  const record = await state.service.commit({
    ...upload,
    staged,
    digest,
    preconditions: parsePreconditions(ctx.query),
  });
  sendJson(ctx.res, 200, objectResource(record, ctx.baseUrl));
}

async function createSession(ctx: RequestContext, state: ServerState, bucket: string): Promise<void> {
  const body = await readJsonBody(ctx.req);
  const name = ctx.query.get('name') ?? body.name;
  if (typeof name !== 'string' || name === '') {
    throw badRequest('A resumable upload needs the object name in its metadata or the name query parameter.');
  }
  validateObjectName(name);
  const preconditions = parsePreconditions(ctx.query);
  // Fail early, as GCS does; the conditions are checked again when the upload is finalized.
  checkPreconditions(preconditions, await state.service.backend.getObject(bucket, name));
  const { properties, metadata } = readProperties(body);
  properties.contentType ??= header(ctx.req, 'x-upload-content-type') ?? null;
  const lengthText = header(ctx.req, 'x-upload-content-length');
  if (lengthText !== undefined && !/^\d+$/.test(lengthText)) {
    throw badRequest(`Invalid X-Upload-Content-Length: ${lengthText}`);
  }
  const session = state.sessions.create({
    bucket,
    name,
    properties: newObjectProperties(properties, metadata),
    preconditions,
    expectedSize: lengthText === undefined ? undefined : Number(lengthText),
    staged: await state.service.backend.createStaging(),
  });
  const location =
    `${ctx.baseUrl}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable` +
    `&name=${encodeURIComponent(name)}&upload_id=${session.id}`;
  sendJson(ctx.res, 200, {}, { location, 'x-guploader-uploadid': session.id });
}
