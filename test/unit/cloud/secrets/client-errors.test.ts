import { classifySecretFailure } from '../../../../src/cloud/secrets/client-errors';

/** An error shaped as the client throws it: gRPC errors carry a status code, REST ones gaxios' HTTP fields. */
const clientError = (message: string, fields: Record<string, unknown>): Error =>
  Object.assign(new Error(message), fields);

const rpcBody = (code: number, status: string, message: string): string =>
  JSON.stringify({ error: { code, message, status } });

describe('Function: classifySecretFailure', () => {
  it.each([
    ['a gRPC NOT_FOUND', clientError('5 NOT_FOUND: Secret [x] not found.', { code: 5 }), 'not-found'],
    ['a gRPC PERMISSION_DENIED', clientError('7 PERMISSION_DENIED: denied', { code: 7 }), 'permission-denied'],
    ['a gRPC UNAVAILABLE', clientError('14 UNAVAILABLE: No connection established', { code: 14 }), 'other'],
    [
      'a REST 404 with a google.rpc NOT_FOUND body',
      clientError(rpcBody(404, 'NOT_FOUND', 'gone'), { code: 404, status: 404 }),
      'not-found',
    ],
    [
      'a REST 403 with a google.rpc body',
      clientError(rpcBody(403, 'PERMISSION_DENIED', 'no'), { code: 403, status: 403 }),
      'permission-denied',
    ],
    ['a REST 403 without a body', clientError('Forbidden', { code: 403, status: 403 }), 'permission-denied'],
    ['a REST 404 that is not a google.rpc error', clientError('<html>404</html>', { code: 404, status: 404 }), 'other'],
    ['a REST 500', clientError(rpcBody(500, 'INTERNAL', 'oops'), { code: 500, status: 500 }), 'other'],
    ['a network failure', clientError('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }), 'other'],
    ['a thrown string', 'The client has already been closed.', 'other'],
  ])('classifies %s', (_case, error, kind) => {
    expect(classifySecretFailure(error).kind).toBe(kind);
  });

  it.each([
    [
      'the google.rpc message of a REST error body',
      clientError(rpcBody(403, 'PERMISSION_DENIED', 'Permission denied.'), { code: 403 }),
      'Permission denied.',
    ],
    [
      'the google.rpc message of a parsed response body',
      clientError('Forbidden', { status: 403, response: { data: { error: { message: 'From the body.' } } } }),
      'From the body.',
    ],
    [
      "the error's message otherwise",
      clientError('14 UNAVAILABLE: No connection established', { code: 14 }),
      '14 UNAVAILABLE: No connection established',
    ],
    ['a thrown string itself', 'The client has already been closed.', 'The client has already been closed.'],
  ])('gives as reason %s', (_case, error, reason) => {
    expect(classifySecretFailure(error).reason).toBe(reason);
  });
});
