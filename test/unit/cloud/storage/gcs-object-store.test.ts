// Parts of GcsObjectStore that need no server: construction, input checks made before any request, and the mapping
// of GCS object resources. Everything that talks to GCS is in test/integration/cloud/storage.
import { Storage } from '@google-cloud/storage';

import { GcsObjectStore } from '../../../../src/cloud/storage/gcs-object-store';
import { toStoredObject } from '../../../../src/cloud/storage/gcs-transfer';
import { Crc32c } from '../../../../src/core/hashing/crc32c';
import { InvalidCloudPath, InvalidInputException, UrlSigningFailed } from '../../../../src/errors';

// Nothing listens on port 1: a test that reached the network would fail rather than pass.
const offline = { projectId: 'demo-x', apiEndpoint: 'http://127.0.0.1:1' };

describe('Class: GcsObjectStore', () => {
  describe('Method: constructor', () => {
    it("plugs Skein's native CRC32C into the client it builds", () => {
      const store = new GcsObjectStore(offline);

      expect(store.storage.crc32cGenerator()).toBeInstanceOf(Crc32c);
      expect(store.storage.apiEndpoint).toBe('http://127.0.0.1:1');
      expect(store.kind).toBe('gcs');
    });

    it('uses a client it is given', () => {
      const storage = new Storage(offline);

      expect(new GcsObjectStore({ storage }).storage).toBe(storage);
    });

    it.each([0, 1001, 2.5])('fails with InvalidInputException when listPageSize is %s', (listPageSize) => {
      expect(() => new GcsObjectStore({ ...offline, listPageSize })).toThrow(InvalidInputException);
    });
  });

  describe('Method: upload', () => {
    it.each<[string, string, object, new (...args: never[]) => Error]>([
      ['the location names only a bucket', 'gs://my-bucket/', {}, InvalidCloudPath],
      ['the location is not a gs:// path', 'my-bucket/a', {}, InvalidCloudPath],
      ['ifGenerationMatch is negative', 'gs://my-bucket/a', { ifGenerationMatch: -1 }, InvalidInputException],
      ['a metadata value is not a string', 'gs://my-bucket/a', { metadata: { n: true } }, InvalidInputException],
    ])('fails with a typed error before any request when %s', async (_case, location, options, errorClass) => {
      await expect(new GcsObjectStore(offline).upload(location, 'x', options)).rejects.toBeInstanceOf(errorClass);
    });
  });

  describe('Method: createReadStream', () => {
    it('throws InvalidCloudPath at once for a location without an object name', () => {
      expect(() => new GcsObjectStore(offline).createReadStream('gs://my-bucket')).toThrow(InvalidCloudPath);
    });
  });

  describe('Method: signUrl', () => {
    it.each([0, 604_801])(
      'fails with UrlSigningFailed before signing when the lifetime is %s seconds',
      async (seconds) => {
        await expect(
          new GcsObjectStore(offline).signUrl('gs://my-bucket/a', { expiresInSeconds: seconds }),
        ).rejects.toBeInstanceOf(UrlSigningFailed);
      },
    );
  });
});

describe('Function: toStoredObject', () => {
  it('maps a GCS object resource to the port shape', () => {
    const stored = toStoredObject({
      kind: 'storage#object',
      bucket: 'my-bucket',
      name: 'dir/a.csv',
      size: '12',
      crc32c: 'rth90Q==',
      md5Hash: 'jdjEZ2TFp7bRqb4P+Vz9Mw==',
      generation: '1700000000000001',
      metageneration: '3',
      contentType: 'text/csv',
      timeCreated: '2026-01-01T00:00:00.000Z',
      updated: '2026-01-02T00:00:00.000Z',
      metadata: { octue__id: '"abc"', dropped: null },
    });

    expect(stored).toEqual({
      location: 'gs://my-bucket/dir/a.csv',
      bucket: 'my-bucket',
      name: 'dir/a.csv',
      size: 12,
      crc32c: 'rth90Q==',
      md5Hash: 'jdjEZ2TFp7bRqb4P+Vz9Mw==',
      generation: '1700000000000001',
      metageneration: '3',
      contentType: 'text/csv',
      timeCreated: '2026-01-01T00:00:00.000Z',
      updated: '2026-01-02T00:00:00.000Z',
      metadata: { octue__id: '"abc"' },
    });
  });

  it('defaults the content type and leaves out absent optional fields', () => {
    const stored = toStoredObject({
      bucket: 'b',
      name: 'n',
      size: 0,
      crc32c: 'AAAAAA==',
      generation: 1,
      metageneration: 1,
    });

    expect(stored).toEqual({
      location: 'gs://b/n',
      bucket: 'b',
      name: 'n',
      size: 0,
      crc32c: 'AAAAAA==',
      generation: '1',
      metageneration: '1',
      contentType: 'application/octet-stream',
      metadata: {},
    });
  });
});
