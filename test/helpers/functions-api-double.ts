import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the double received. */
export interface RecordedApiRequest {
  /** HTTP method. */
  readonly method: string;
  /** URL path, decoded. */
  readonly path: string;
  /** Query parameters (without the REST transport's `$alt`). */
  readonly query: Readonly<Record<string, string>>;
  /** Request headers. */
  readonly headers: IncomingMessage['headers'];
  /** Parsed JSON body (`undefined` for none); upload bodies are kept in {@link FunctionsApiDouble.uploads}. */
  readonly body: unknown;
}

/** A failure to answer the next matching request with. */
export interface InjectedFailure {
  /** HTTP method to match. */
  readonly method: string;
  /** Substring of the path to match. */
  readonly pathIncludes: string;
  /** Status to answer with. */
  readonly status: number;
  /** Google's status name, e.g. `PERMISSION_DENIED`. */
  readonly statusName: string;
  /** Error message. */
  readonly message: string;
}

/** A running Cloud Functions v2 REST double. */
export interface FunctionsApiDouble {
  /** `http://127.0.0.1:PORT`: pass as the client's endpoint. */
  readonly url: string;
  /** Every request, in order (uploads included). */
  readonly requests: RecordedApiRequest[];
  /** Functions by full name, as JSON (camelCase, enums as the client sent them). */
  readonly functions: Map<string, Record<string, unknown>>;
  /** Uploaded zips by storage object name. */
  readonly uploads: Map<string, Buffer>;
  /** Makes the next request matching `failure` fail. */
  failNext(failure: InjectedFailure): void;
  /** The Cloud Functions API requests (not uploads) as `METHOD path`, in order. */
  apiCalls(): string[];
  /** Stops the server. */
  stop(): Promise<void>;
}

const FUNCTION_PATH = /^\/v2\/(projects\/[^/]+\/locations\/[^/]+)\/functions\/([^/:]+)$/;
const COLLECTION_PATH = /^\/v2\/(projects\/[^/]+\/locations\/[^/]+)\/functions$/;
const UPLOAD_URL_PATH = /^\/v2\/(projects\/[^/]+\/locations\/[^/]+)\/functions:generateUploadUrl$/;
const OPERATION_PATH = /^\/v2\/projects\/[^/]+\/locations\/[^/]+\/operations\/[^/]+$/;
const UPLOAD_PATH = /^\/upload\/([^/]+)$/;

const FUNCTION_TYPE = 'type.googleapis.com/google.cloud.functions.v2.Function';
const EMPTY_TYPE = 'type.googleapis.com/google.protobuf.Empty';

/**
 * Starts a local HTTP server that speaks the Cloud Functions v2 REST API the way `FunctionServiceClient` uses it with
 * `fallback: true` (google-gax's REST transport): `GetFunction`, `GenerateUploadUrl` (the upload URL points back at
 * the double, which accepts the PUT), `CreateFunction`, `UpdateFunction` (applying the `updateMask`), `DeleteFunction`
 * and `GetOperation`. Long-running operations come back already done. Errors use Google's JSON error shape. Deployed
 * functions get `serviceConfig.uri` `https://<id>-double.a.run.app` and the runtime account
 * `123456789-compute@developer.gserviceaccount.com` unless one was given.
 * @returns The running double.
 */
export async function startFunctionsApiDouble(): Promise<FunctionsApiDouble> {
  const requests: RecordedApiRequest[] = [];
  const functions = new Map<string, Record<string, unknown>>();
  const uploads = new Map<string, Buffer>();
  const operations = new Map<string, Record<string, unknown>>();
  const failures: InjectedFailure[] = [];
  let baseUrl = '';

  const operation = (parent: string, response: Record<string, unknown>): Record<string, unknown> => {
    const name = `${parent}/operations/operation-${randomUUID()}`;
    const op = { name, done: true, response };
    operations.set(name, op);
    return op;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://double');
    const path = decodeURIComponent(url.pathname);
    const query = Object.fromEntries([...url.searchParams].filter(([key]) => key !== '$alt'));
    const upload = UPLOAD_PATH.exec(path);
    const body = upload || raw.length === 0 ? undefined : (JSON.parse(raw.toString('utf8')) as unknown);
    requests.push({ method: req.method ?? '', path, query, headers: req.headers, body });

    const failureIndex = failures.findIndex((f) => f.method === req.method && path.includes(f.pathIncludes));
    if (failureIndex >= 0) {
      const [failure] = failures.splice(failureIndex, 1);
      if (failure) return sendError(res, failure.status, failure.statusName, failure.message);
    }
    if (upload?.[1] !== undefined && req.method === 'PUT') {
      if (req.headers['content-type'] !== 'application/zip') {
        return sendError(res, 400, 'INVALID_ARGUMENT', 'The upload must be sent as application/zip.');
      }
      uploads.set(upload[1], raw);
      return sendJson(res, 200, {});
    }
    const uploadUrl = UPLOAD_URL_PATH.exec(path);
    if (uploadUrl && req.method === 'POST') {
      const object = `${randomUUID()}.zip`;
      return sendJson(res, 200, {
        uploadUrl: `${baseUrl}/upload/${object}?X-Goog-Signature=double`,
        storageSource: { bucket: 'gcf-v2-uploads-double', object },
      });
    }
    const collection = COLLECTION_PATH.exec(path);
    if (collection?.[1] !== undefined && req.method === 'POST') {
      const functionId = query.functionId ?? '';
      const name = `${collection[1]}/functions/${functionId}`;
      if (functions.has(name)) return sendError(res, 409, 'ALREADY_EXISTS', `Function ${name} already exists.`);
      const fn = deployed(name, functionId, body as Record<string, unknown>);
      functions.set(name, fn);
      return sendJson(res, 200, operation(collection[1], { '@type': FUNCTION_TYPE, ...fn }));
    }
    const single = FUNCTION_PATH.exec(path);
    if (single?.[1] !== undefined && single[2] !== undefined) {
      const name = `${single[1]}/functions/${single[2]}`;
      const existing = functions.get(name);
      if (existing === undefined) return sendError(res, 404, 'NOT_FOUND', `Function ${name} does not exist.`);
      if (req.method === 'GET') return sendJson(res, 200, existing);
      if (req.method === 'PATCH') {
        const updated = applyMask(existing, body as Record<string, unknown>, (query.updateMask ?? '').split(','));
        const fn = deployed(name, single[2], updated);
        functions.set(name, fn);
        return sendJson(res, 200, operation(single[1], { '@type': FUNCTION_TYPE, ...fn }));
      }
      if (req.method === 'DELETE') {
        functions.delete(name);
        return sendJson(res, 200, operation(single[1], { '@type': EMPTY_TYPE }));
      }
    }
    if (OPERATION_PATH.test(path) && req.method === 'GET') {
      const op = operations.get(path.slice('/v2/'.length));
      return op === undefined ? sendError(res, 404, 'NOT_FOUND', 'No such operation.') : sendJson(res, 200, op);
    }
    return sendError(res, 501, 'UNIMPLEMENTED', `The double does not implement ${req.method} ${path}.`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendError(res, 500, 'INTERNAL', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    requests,
    functions,
    uploads,
    failNext: (failure) => failures.push(failure),
    apiCalls: () => requests.filter((r) => !UPLOAD_PATH.test(r.path)).map((r) => `${r.method} ${r.path}`),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function deployed(name: string, functionId: string, fn: Record<string, unknown>): Record<string, unknown> {
  const serviceConfig = (fn.serviceConfig ?? {}) as Record<string, unknown>;
  return {
    ...fn,
    name,
    state: 'ACTIVE',
    environment: fn.environment ?? 'GEN_2',
    url: `https://europe-west1-double.cloudfunctions.net/${functionId}`,
    updateTime: new Date().toISOString(),
    serviceConfig: {
      ...serviceConfig,
      uri: `https://${functionId}-double.a.run.app`,
      serviceAccountEmail: serviceConfig.serviceAccountEmail ?? '123456789-compute@developer.gserviceaccount.com',
    },
  };
}

// Applies an update mask: each path (snake_case or camelCase) is copied from the request, or removed when absent.
function applyMask(
  existing: Record<string, unknown>,
  update: Record<string, unknown>,
  paths: readonly string[],
): Record<string, unknown> {
  const result = structuredClone(existing);
  for (const path of paths.filter((p) => p !== '')) {
    const segments = path.split('.').map((s) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
    let source: unknown = update;
    let target: Record<string, unknown> = result;
    for (const [index, segment] of segments.entries()) {
      source = (source as Record<string, unknown> | undefined)?.[segment];
      if (index === segments.length - 1) {
        if (source === undefined) delete target[segment];
        else target[segment] = source;
      } else {
        target[segment] = (target[segment] as Record<string, unknown> | undefined) ?? {};
        target = target[segment] as Record<string, unknown>;
      }
    }
  }
  return result;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, statusName: string, message: string): void {
  sendJson(res, status, { error: { code: status, message, status: statusName } });
}
