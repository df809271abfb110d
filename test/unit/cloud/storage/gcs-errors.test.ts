import { ApiError, HashStreamValidator } from '@google-cloud/storage';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { gcsErrorMessage, httpStatusOf, toStorageError } from '../../../../src/cloud/storage/gcs-errors';
import { Crc32c, crc32cHash } from '../../../../src/core/hashing/crc32c';
import {
  ChecksumMismatch,
  CloudStorageBucketNotFound,
  InvalidInputException,
  ObjectNotFound,
  PreconditionFailed,
  StorageRequestFailed,
} from '../../../../src/errors';

const location = 'gs://my-bucket/dir/a.csv';

function apiError(code: number, message: string): ApiError {
  // The client's own error class, with the HTTP status as `code`, as it raises for JSON API failures.
  return Object.assign(new ApiError(message), { code });
}

function clientError(code: string, message: string): Error {
  // The client raises its own checksum failures as plain errors carrying a string `code`.
  return Object.assign(new Error(message), { code });
}

describe('Function: toStorageError', () => {
  it.each<[string, unknown, new (...args: never[]) => Error]>([
    ['a 404 for an object', apiError(404, 'No such object: my-bucket/dir/a.csv'), ObjectNotFound],
    ['a 404 for an object in a bucket named "bucket"', apiError(404, 'No such object: bucket/a'), ObjectNotFound],
    ['a 404 for a bucket', apiError(404, 'The specified bucket does not exist.'), CloudStorageBucketNotFound],
    ['a 412', apiError(412, 'At least one of the pre-conditions you specified did not hold.'), PreconditionFailed],
    ['a download checksum failure', clientError('CONTENT_DOWNLOAD_MISMATCH', 'mismatch'), ChecksumMismatch],
    ['an upload checksum failure', clientError('FILE_NO_UPLOAD', 'The uploaded data did not match'), ChecksumMismatch],
    ['an upload checksum failure whose cleanup failed', clientError('FILE_NO_UPLOAD_DELETE', 'x'), ChecksumMismatch],
    ['a 500', apiError(500, 'Backend error'), StorageRequestFailed],
    ['a 403', apiError(403, 'Forbidden'), StorageRequestFailed],
    ['a network error', clientError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'), StorageRequestFailed],
    [
      'a gaxios-style error with response.status 404',
      { message: 'No such object: b/n', response: { status: 404 } },
      ObjectNotFound,
    ],
    ['a resumable-upload error body with code 412', { code: 412, message: 'Precondition Failed' }, PreconditionFailed],
  ])('maps %s to its storage error, keeping the original as cause', (_case, error, errorClass) => {
    const mapped = toStorageError(error, location, 'read');

    expect(mapped).toBeInstanceOf(errorClass);
    expect(mapped.cause).toBe(error);
    expect((mapped as ObjectNotFound).location).toBe(location);
    expect(mapped.message).toContain(location);
  });

  it('passes Skein errors through unchanged', () => {
    const error = new InvalidInputException('bad');

    expect(toStorageError(error, location, 'read')).toBe(error);
  });

  it('puts the GCS message from a streamed JSON error body into its message', () => {
    const error = apiError(404, '{"error":{"code":404,"message":"No such object: my-bucket/dir/a.csv"}}');

    const mapped = toStorageError(error, location, 'read');

    expect(mapped).toBeInstanceOf(ObjectNotFound);
    expect(mapped.message).toContain('(No such object: my-bucket/dir/a.csv)');
  });
});

describe('Function: gcsErrorMessage', () => {
  it.each([
    [new Error('plain'), 'plain'],
    [new Error('{"error":{"message":"inner"}}'), 'inner'],
    [new Error('{not json'), '{not json'],
    ['a string', 'a string'],
  ])('extracts the message of %p', (error, expected) => {
    expect(gcsErrorMessage(error)).toBe(expected);
  });
});

describe('Function: httpStatusOf', () => {
  it.each<[unknown, number | undefined]>([
    [{ code: 404 }, 404],
    [{ status: 412 }, 412],
    [{ response: { status: 503 } }, 503],
    [{ code: 'ENOENT' }, undefined],
    [null, undefined],
  ])('finds the status in %p', (error, expected) => {
    expect(httpStatusOf(error)).toBe(expected);
  });
});

describe("Class: HashStreamValidator (the client's download validation with Skein's Crc32c)", () => {
  const bytes = Buffer.from('some bytes to validate');
  const validate = (expected: string): Promise<void> =>
    pipeline(
      Readable.from([bytes]),
      new HashStreamValidator({ crc32c: true, crc32cGenerator: () => new Crc32c(), crc32cExpected: expected }),
      async (source: AsyncIterable<Buffer>) => {
        for await (const _chunk of source) {
          // drain
        }
      },
    );

  it('accepts bytes whose CRC32C matches', async () => {
    await expect(validate(crc32cHash(bytes))).resolves.toBeUndefined();
  });

  it('fails with an error that maps to ChecksumMismatch when the CRC32C differs', async () => {
    const error = await validate(crc32cHash('other bytes')).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(toStorageError(error, location, 'read')).toBeInstanceOf(ChecksumMismatch);
  });
});
