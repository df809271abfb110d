import { badRequest } from './api-error';
import type { RequestContext } from './http-util';
import { readJsonBody, sendEmpty, sendJson } from './http-util';
import { listPage } from './listing';
import { sendObjectBytes } from './media';
import { checkReadPreconditions, parsePreconditions } from './preconditions';
import { newObjectProperties, objectResource, propertiesOf, readProperties } from './resources';
import type { ServerState } from './state';

/** `GET /b/:bucket/o`: one page of objects (`prefix`, `delimiter`, `maxResults`, `pageToken`, offsets). */
export async function listObjects(ctx: RequestContext, state: ServerState, bucket: string): Promise<void> {
  await state.service.getBucket(bucket);
  const q = ctx.query;
  const maxText = q.get('maxResults');
  const max = maxText === null ? 1000 : Number(maxText);
  if (!Number.isInteger(max) || max < 1) throw badRequest(`Invalid value for maxResults: ${maxText}`);
  const page = listPage(await state.service.backend.listObjects(bucket), {
    prefix: q.get('prefix') ?? undefined,
    delimiter: q.get('delimiter') ?? undefined,
    maxResults: Math.min(max, 1000),
    pageToken: q.get('pageToken') ?? undefined,
    startOffset: q.get('startOffset') ?? undefined,
    endOffset: q.get('endOffset') ?? undefined,
  });
  sendJson(ctx.res, 200, {
    kind: 'storage#objects',
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    ...(page.prefixes.length > 0 ? { prefixes: page.prefixes } : {}),
    ...(page.items.length > 0 ? { items: page.items.map((r) => objectResource(r, ctx.baseUrl)) } : {}),
  });
}

/** `GET /b/:bucket/o/:object`: the object resource, or its bytes with `alt=media`. */
export async function getObject(ctx: RequestContext, state: ServerState, bucket: string, name: string): Promise<void> {
  if (ctx.query.get('alt') === 'media') return sendObjectBytes(ctx, state.service, bucket, name);
  const record = await state.service.getObject(bucket, name, ctx.query.get('generation'));
  checkReadPreconditions(parsePreconditions(ctx.query), record);
  sendJson(ctx.res, 200, objectResource(record, ctx.baseUrl));
}

/** `PATCH /b/:bucket/o/:object`: merges metadata (null deletes a key) and properties; metageneration + 1. */
export async function patchObject(
  ctx: RequestContext,
  state: ServerState,
  bucket: string,
  name: string,
): Promise<void> {
  const body = await readJsonBody(ctx.req);
  const record = await state.service.patch(bucket, name, body, parsePreconditions(ctx.query));
  sendJson(ctx.res, 200, objectResource(record, ctx.baseUrl));
}

/** `DELETE /b/:bucket/o/:object`: 204, or 404/412. */
export async function deleteObject(
  ctx: RequestContext,
  state: ServerState,
  bucket: string,
  name: string,
): Promise<void> {
  await state.service.delete(bucket, name, parsePreconditions(ctx.query), ctx.query.get('generation'));
  sendEmpty(ctx.res, 204);
}

/**
 * `POST /b/:b/o/:src/copyTo/b/:b2/o/:dst` and `…/rewriteTo/…`: copies the bytes in one step. The destination keeps
 * the source's properties and custom metadata unless the body gives new ones (`metadata` replaces, not merges).
 * Destination conditions are `if…`, source conditions `ifSource…`; `sourceGeneration` picks the source generation.
 */
export async function copyObject(
  ctx: RequestContext,
  state: ServerState,
  source: { bucket: string; name: string },
  target: { bucket: string; name: string },
  rewrite: boolean,
): Promise<void> {
  const body = await readJsonBody(ctx.req);
  const { properties, metadata } = readProperties(body);
  await state.service.getBucket(target.bucket);
  const live = await state.service.getObject(source.bucket, source.name, ctx.query.get('sourceGeneration'));
  const { staged, digest } = await state.service.stageCopy(live, parsePreconditions(ctx.query, 'ifSource'));
  const record = await state.service.commit({
    bucket: target.bucket,
    name: target.name,
    staged,
    digest,
    properties: newObjectProperties(properties, metadata, propertiesOf(live)),
    preconditions: parsePreconditions(ctx.query),
  });
  const resource = objectResource(record, ctx.baseUrl);
  if (!rewrite) return sendJson(ctx.res, 200, resource);
  sendJson(ctx.res, 200, {
    kind: 'storage#rewriteResponse',
    totalBytesRewritten: String(record.size),
    objectSize: String(record.size),
    done: true,
    resource,
  });
}
