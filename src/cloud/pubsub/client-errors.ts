import { TransportError } from '../../errors';

/** The gRPC status codes the transport tells apart (see google.rpc.Code). */
export const GrpcCode = { NOT_FOUND: 5, ALREADY_EXISTS: 6 } as const;

/**
 * Reads the gRPC status code from an error thrown by the Pub/Sub client.
 * @param error - Anything thrown.
 * @returns The numeric code, or `undefined` when the error carries none.
 */
export function grpcCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error as { code: unknown };
  return typeof code === 'number' ? code : undefined;
}

/**
 * Wraps a client failure that has no more specific leaf, keeping it as `cause`.
 * @param action - What was being done, e.g. `publishing to 'main.octue.twined.services'`.
 * @param error - The client's error.
 * @returns A TransportError saying what failed and why.
 */
export function clientFailure(action: string, error: unknown): TransportError {
  const reason = error instanceof Error ? error.message : String(error);
  return new TransportError(`Pub/Sub failed while ${action}: ${reason}`, { cause: error });
}
