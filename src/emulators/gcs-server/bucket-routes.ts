import type { RequestContext } from './http-util';
import { readJsonBody, sendEmpty, sendJson } from './http-util';
import { bucketResource } from './resources';
import type { ServerState } from './state';

/** `POST /b`: creates a bucket from `{name, location?, storageClass?}`; an existing bucket is returned unchanged. */
export async function createBucket(ctx: RequestContext, state: ServerState): Promise<void> {
  const body = await readJsonBody(ctx.req);
  const record = await state.service.createBucket(body.name, body.location, body.storageClass);
  sendJson(ctx.res, 200, bucketResource(record, state.projectId, ctx.baseUrl));
}

/** `GET /b`: every bucket (one page). */
export async function listBuckets(ctx: RequestContext, state: ServerState): Promise<void> {
  const buckets = await state.service.backend.listBuckets();
  const items = buckets.map((b) => bucketResource(b, state.projectId, ctx.baseUrl));
  sendJson(ctx.res, 200, { kind: 'storage#buckets', ...(items.length > 0 ? { items } : {}) });
}

/** `GET /b/:bucket`. */
export async function getBucket(ctx: RequestContext, state: ServerState, bucket: string): Promise<void> {
  const record = await state.service.getBucket(bucket);
  sendJson(ctx.res, 200, bucketResource(record, state.projectId, ctx.baseUrl));
}

/** `DELETE /b/:bucket`: only an empty bucket (409 otherwise). */
export async function deleteBucket(ctx: RequestContext, state: ServerState, bucket: string): Promise<void> {
  await state.service.deleteBucket(bucket);
  sendEmpty(ctx.res, 204);
}
