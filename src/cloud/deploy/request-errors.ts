import { DeployRequestFailed } from '../../errors';

// gRPC codes Google's clients report (google.rpc.Code).
const GRPC_NOT_FOUND = 5;
const GRPC_PERMISSION_DENIED = 7;
const GRPC_UNAUTHENTICATED = 16;

/**
 * Reads the status a client error carries: the HTTP status of REST errors (gaxios, Cloud Storage) or the gRPC code
 * (Pub/Sub).
 * @param error - Anything thrown by a Google client.
 * @returns The status or code, when there is one.
 */
export function errorStatus(error: unknown): number | string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, code } = error as { status?: unknown; code?: unknown };
  if (typeof status === 'number') return status;
  if (typeof code === 'number' || typeof code === 'string') return code;
  return undefined;
}

/**
 * Whether a client error means "no such resource" (HTTP 404 or gRPC NOT_FOUND).
 * @param error - Anything thrown by a Google client.
 * @returns `true` for not-found errors.
 */
export function isNotFound(error: unknown): boolean {
  const status = errorStatus(error);
  return status === 404 || status === GRPC_NOT_FOUND || status === '404';
}

/**
 * The service's own explanation: REST errors carry a JSON body `{"error":{"message":…}}` as their message.
 * @param error - Anything thrown.
 * @returns One line of text.
 */
export function errorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  try {
    const parsed = JSON.parse(message) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // Not JSON: the message is already text.
  }
  return message.split('\n')[0] ?? message;
}

function hint(status: number | string | undefined): string {
  if (status === 401 || status === GRPC_UNAUTHENTICATED) {
    return ' Sign in with `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS.';
  }
  if (status === 403 || status === GRPC_PERMISSION_DENIED) {
    return (
      ' Check that the deploying account has the roles it needs and that the Cloud Functions, Cloud Run, Cloud ' +
      'Build, Artifact Registry, Pub/Sub and Cloud Storage APIs are enabled in the project.'
    );
  }
  return '';
}

/**
 * Wraps a failed request in `DeployRequestFailed`, keeping the client's error as `cause`.
 * @param api - `cloudfunctions`, `pubsub`, `storage` or `upload`.
 * @param operation - The request, e.g. `CreateFunction`.
 * @param resource - The resource named.
 * @param error - The client's error.
 * @returns The typed error.
 */
export function requestFailed(api: string, operation: string, resource: string, error: unknown): DeployRequestFailed {
  const status = errorStatus(error);
  return new DeployRequestFailed(
    `${api} ${operation} for '${resource}' failed${status === undefined ? '' : ` (${status})`}: ` +
      `${errorReason(error)}.${hint(status)}`,
    { api, operation, resource, status, cause: error },
  );
}
