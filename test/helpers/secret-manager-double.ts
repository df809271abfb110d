import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { crc32c } from '@node-rs/crc32';

/** A secret the double serves. */
export interface DoubleSecret {
  /** The payload (a string is sent as its UTF-8 bytes). */
  readonly data: string | Uint8Array;
  /**
   * The `dataCrc32c` to send, as Secret Manager sends an int64 in JSON (a decimal string). Default: the payload's
   * real CRC32C; `null` sends none (as for versions added without a checksum).
   */
  readonly dataCrc32c?: string | null;
  /** Answer 403 PERMISSION_DENIED instead of the payload, as for a caller without the accessor role. */
  readonly forbidden?: boolean;
  /** Answer with this status and body instead (e.g. a server error, or an HTML page from the wrong endpoint). */
  readonly reply?: { readonly status: number; readonly contentType: string; readonly body: string };
}

/** What the double serves. */
export interface SecretManagerDoubleOptions {
  /** The project holding the secrets; any other project has none (404). */
  readonly projectId: string;
  /** Secrets by id: a value, or a {@link DoubleSecret}. Secrets not listed answer 404 NOT_FOUND. */
  readonly secrets: Readonly<Record<string, string | DoubleSecret>>;
}

/** One request the double received. */
export interface RecordedSecretRequest {
  readonly method: string;
  /** The URL path without the query, e.g. `/v1/projects/p/secrets/S/versions/latest:access`. */
  readonly path: string;
  /** The project, secret and version parsed from an access path (undefined for any other path). */
  readonly project: string | undefined;
  readonly secret: string | undefined;
  readonly version: string | undefined;
  /** The `authorization` header, e.g. `Bearer <self-signed JWT>`. */
  readonly authorization: string | undefined;
}

/** A running double. */
export interface SecretManagerDouble {
  /** `127.0.0.1`. */
  readonly host: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: readonly RecordedSecretRequest[];
  /**
   * The official client's options for reaching the double over its REST transport (plain HTTP); add credentials.
   * google-gax's fallback stub builds `${protocol}://${apiEndpoint}:${port}/v1/…` from these. `clientOptions` gives
   * the auth client Node's own fetch: gaxios otherwise loads node-fetch with a dynamic `import()`, which Jest's
   * CommonJS sandbox refuses ("A dynamic import callback was invoked without --experimental-vm-modules").
   */
  readonly clientOptions: {
    apiEndpoint: string;
    port: number;
    fallback: true;
    protocol: 'http';
    clientOptions: { transporterOptions: { fetchImplementation: typeof fetch } };
  };
  stop(): Promise<void>;
}

const ACCESS_PATH = /^\/v1\/projects\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/:]+):access$/;

/**
 * Starts a small HTTP double of Secret Manager's REST API on a free loopback port. It answers only
 * `GET /v1/projects/{project}/secrets/{secret}/versions/{latest|1}:access` with `{name, payload: {data, dataCrc32c}}`,
 * and everything else with a google.rpc error body (404 NOT_FOUND, or 403 PERMISSION_DENIED for a forbidden secret),
 * as the real API does.
 * @param options - The project and its secrets.
 * @returns The running double; stop it when done.
 */
export async function startSecretManagerDouble(options: SecretManagerDoubleOptions): Promise<SecretManagerDouble> {
  const requests: RecordedSecretRequest[] = [];
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    const match = ACCESS_PATH.exec(path);
    const [project, secret, version] = (match?.slice(1) ?? []).map((part) => decodeURIComponent(part));
    requests.push({
      method: request.method ?? '',
      path,
      project,
      secret,
      version,
      authorization: request.headers.authorization,
    });
    answer(options, request, response, { project, secret, version });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    requests,
    clientOptions: {
      apiEndpoint: '127.0.0.1',
      port,
      fallback: true,
      protocol: 'http',
      clientOptions: { transporterOptions: { fetchImplementation: fetch } },
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The client keeps connections alive; drop them so close() finishes now.
        server.closeAllConnections();
      }),
  };
}

function answer(
  options: SecretManagerDoubleOptions,
  request: IncomingMessage,
  response: ServerResponse,
  target: { project?: string; secret?: string; version?: string },
): void {
  const { project, secret, version } = target;
  const entry = secret === undefined ? undefined : options.secrets[secret];
  const resource = `projects/${project ?? '?'}/secrets/${secret ?? '?'}`;
  if (
    request.method !== 'GET' ||
    entry === undefined ||
    project !== options.projectId ||
    (version !== 'latest' && version !== '1')
  ) {
    sendError(response, 404, 'NOT_FOUND', `Secret [${resource}] not found or has no versions.`);
    return;
  }
  const secretValue: DoubleSecret = typeof entry === 'string' ? { data: entry } : entry;
  if (secretValue.reply !== undefined) {
    response.writeHead(secretValue.reply.status, { 'content-type': secretValue.reply.contentType });
    response.end(secretValue.reply.body);
    return;
  }
  if (secretValue.forbidden === true) {
    sendError(
      response,
      403,
      'PERMISSION_DENIED',
      `Permission 'secretmanager.versions.access' denied for resource '${resource}/versions/${version}' (or it may not exist).`,
    );
    return;
  }
  const data = Buffer.from(secretValue.data);
  const checksum = secretValue.dataCrc32c === undefined ? String(crc32c(data) >>> 0) : secretValue.dataCrc32c;
  sendJson(response, 200, {
    name: `${resource}/versions/1`,
    payload: { data: data.toString('base64'), ...(checksum === null ? {} : { dataCrc32c: checksum }) },
  });
}

function sendError(response: ServerResponse, code: number, status: string, message: string): void {
  sendJson(response, code, { error: { code, message, status } });
}

function sendJson(response: ServerResponse, statusCode: number, body: unknown): void {
  response.writeHead(statusCode, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify(body));
}
