/** How a failed Secret Manager request is handled: no such secret, a denied permission, or anything else. */
export type SecretFailureKind = 'not-found' | 'permission-denied' | 'other';

/** What {@link classifySecretFailure} learns from a client error. */
export interface SecretFailure {
  readonly kind: SecretFailureKind;
  /** The server's own message when it sent one (google.rpc `error.message`), else the client error's message. */
  readonly reason: string;
}

/** google.rpc codes (gRPC status codes) the source tells apart. */
const GRPC_NOT_FOUND = 5;
const GRPC_PERMISSION_DENIED = 7;
const HTTP_FORBIDDEN = 403;

/**
 * Classifies an error thrown by the Secret Manager client, over either of its transports.
 *
 * Over gRPC the error carries a gRPC status `code`. Over the REST transport (`fallback: true`), google-gax 5 passes
 * on gaxios' error for a non-2xx answer instead of decoding it: its `code`/`status` are the HTTP status and its
 * message is the raw body (gaxios redacts `response.data`; see googleapis/gax-nodejs#1803). That body is then read as
 * a google.rpc error (AIP-193);
 * a 404 only means "no such secret" when that body says NOT_FOUND, so a wrong `apiEndpoint` answering 404 with an
 * HTML page is reported rather than read as a missing secret.
 * @param error - Anything the client threw.
 * @returns The failure's kind and a reason for the message.
 */
export function classifySecretFailure(error: unknown): SecretFailure {
  const fields = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const grpcCode = typeof fields.code === 'number' && fields.code < 100 ? fields.code : undefined;
  const httpStatus = typeof fields.status === 'number' ? fields.status : undefined;
  const rpcError = googleRpcError(fields.response) ?? googleRpcError({ data: fields.message });
  const reason = rpcError?.message ?? (error instanceof Error ? error.message : String(error));
  if (grpcCode === GRPC_NOT_FOUND || rpcError?.status === 'NOT_FOUND') return { kind: 'not-found', reason };
  if (
    grpcCode === GRPC_PERMISSION_DENIED ||
    rpcError?.status === 'PERMISSION_DENIED' ||
    httpStatus === HTTP_FORBIDDEN
  ) {
    return { kind: 'permission-denied', reason };
  }
  return { kind: 'other', reason };
}

/** Reads `{error: {status, message}}` from an HTTP response's body (a string or parsed JSON), when it is one. */
function googleRpcError(response: unknown): { status?: string; message?: string } | undefined {
  if (typeof response !== 'object' || response === null || !('data' in response)) return undefined;
  let body: unknown = response.data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const { error } = body as { error: unknown };
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, message } = error as { status?: unknown; message?: unknown };
  return {
    ...(typeof status === 'string' ? { status } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}
