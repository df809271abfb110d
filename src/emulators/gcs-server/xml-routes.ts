import { badRequest, notImplemented } from './api-error';
import type { RequestContext } from './http-util';
import { header, parseGoogHash, sendEmpty } from './http-util';
import { sendObjectBytes } from './media';
import type { Preconditions } from './preconditions';
import { newObjectProperties } from './resources';
import type { ServerState } from './state';
import { ContentDigest } from './staging-sink';
import { receive } from './upload-routes';
import { validateObjectName } from './object-service';

/**
 * Splits an XML API path `/:bucket/:object` (the form signed URLs use; the object name is the rest of the path, its
 * `/` kept literally).
 * @throws GcsApiError 400 on malformed percent-encoding, 501 for bucket-level XML requests.
 */
export function splitXmlPath(rawPath: string): { bucket: string; name: string } {
  const match = /^\/([^/]+)\/(.+)$/.exec(rawPath);
  if (!match) throw notImplemented(`XML API request on ${rawPath} (only /bucket/object GET, HEAD and PUT)`);
  try {
    return { bucket: decodeURIComponent(match[1]!), name: decodeURIComponent(match[2]!) };
  } catch (error) {
    throw badRequest(`Malformed path: ${rawPath}`, error);
  }
}

/**
 * `GET|HEAD|PUT /:bucket/:object` (signed URLs and the XML API). When the server has a signing key, the V4 signature
 * and expiry are verified first; without one, signatures are NOT checked and any such request is allowed.
 *
 * GET/HEAD stream the object (honouring `generation`, `Range`, and the `response-content-type` /
 * `response-content-disposition` overrides). PUT stores the body as the object, with the request's `content-type`,
 * `x-goog-meta-*` headers as custom metadata, `x-goog-if-generation-match` as a precondition and `x-goog-hash`
 * checked; it answers 200 with an empty body and `ETag`/`x-goog-generation`/`x-goog-hash` headers.
 */
export async function handleXmlObject(ctx: RequestContext, state: ServerState): Promise<void> {
  state.verifier?.verify({
    method: ctx.method,
    rawPath: ctx.rawPath,
    rawQuery: ctx.rawQuery,
    headers: ctx.req.headers,
  });
  const { bucket, name } = splitXmlPath(ctx.rawPath);
  if (ctx.method === 'PUT') return putObject(ctx, state, bucket, name);
  const contentType = ctx.query.get('response-content-type');
  const disposition = ctx.query.get('response-content-disposition');
  await sendObjectBytes(ctx, state.service, bucket, name, {
    ...(contentType ? { 'content-type': contentType } : {}),
    ...(disposition ? { 'content-disposition': disposition } : {}),
  });
}

async function putObject(ctx: RequestContext, state: ServerState, bucket: string, name: string): Promise<void> {
  await state.service.getBucket(bucket);
  validateObjectName(name);
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(ctx.req.headers)) {
    if (key.startsWith('x-goog-meta-') && typeof value === 'string') metadata[key.slice('x-goog-meta-'.length)] = value;
  }
  const properties = newObjectProperties(
    {
      contentType: header(ctx.req, 'content-type') ?? null,
      contentEncoding: header(ctx.req, 'content-encoding') ?? null,
      contentDisposition: header(ctx.req, 'content-disposition') ?? null,
      cacheControl: header(ctx.req, 'cache-control') ?? null,
    },
    Object.keys(metadata).length > 0 ? metadata : undefined,
  );
  const preconditions: Preconditions = {};
  const match = header(ctx.req, 'x-goog-if-generation-match');
  if (match !== undefined) {
    if (!/^\d+$/.test(match)) throw badRequest(`Invalid x-goog-if-generation-match: ${match}`);
    Object.assign(preconditions, { ifGenerationMatch: Number(match) });
  }
  const staged = await state.service.backend.createStaging();
  const digest = new ContentDigest();
  try {
    await receive(ctx.req, staged, digest);
  } catch (error) {
    await staged.discard();
    throw error;
  }
  const record = await state.service.commit({
    bucket,
    name,
    staged,
    digest,
    properties,
    preconditions,
    expected: parseGoogHash(ctx.req.headers['x-goog-hash']),
  });
  sendEmpty(ctx.res, 200, {
    etag: `"${Buffer.from(record.md5Hash, 'base64').toString('hex')}"`,
    'x-goog-generation': String(record.generation),
    'x-goog-metageneration': String(record.metageneration),
    'x-goog-hash': `crc32c=${record.crc32c},md5=${record.md5Hash}`,
    'x-goog-stored-content-length': String(record.size),
  });
}
