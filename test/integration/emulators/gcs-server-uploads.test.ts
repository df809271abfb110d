// The upload protocol at the HTTP level: resumable sessions chunk by chunk, status queries, re-sent and missing
// bytes, hash checks, cancellation and malformed requests (interrupted uploads: gcs-server-interrupted.test.ts).
import { createHash } from 'node:crypto';

import type { RunningGcsServer } from '../../../src/emulators/gcs-server';
import { GCS_BACKENDS, startGcsFixture } from '../../helpers/gcs-server-fixture';
import type { GcsServerFixture } from '../../helpers/gcs-server-fixture';

const data = Buffer.from('0123456789abcdefghij');

async function createBucket(server: RunningGcsServer, name: string): Promise<void> {
  const response = await fetch(`${server.url}/storage/v1/b`, { method: 'POST', body: JSON.stringify({ name }) });
  expect(response.status).toBe(200);
}

async function startSession(server: RunningGcsServer, bucket: string, name: string, headers = {}): Promise<string> {
  const url = `${server.url}/upload/storage/v1/b/${bucket}/o?uploadType=resumable&name=${encodeURIComponent(name)}`;
  const response = await fetch(url, { method: 'POST', headers });
  expect(response.status).toBe(200);
  return response.headers.get('location') as string;
}

const put = (url: string, range: string, body?: Buffer, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: 'PUT', headers: { 'content-range': range, ...headers }, body });

describe.each(GCS_BACKENDS)('Function: startGcsServer (%s backend)', (backend) => {
  let gcs: GcsServerFixture;
  const bucket = `uploads-${backend}`;
  const objectStatus = async (name: string): Promise<number> =>
    (await fetch(`${gcs.server.url}/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}`)).status;

  beforeAll(async () => {
    gcs = await startGcsFixture(backend);
    await createBucket(gcs.server, bucket);
  });

  afterAll(() => gcs.stop());

  describe('Route: PUT /upload/storage/v1/b/:bucket/o?upload_id=', () => {
    it('takes chunks with 308 + Range, skips re-sent bytes and finalizes at the total', async () => {
      const session = await startSession(gcs.server, bucket, 'chunked');
      const first = await put(session, 'bytes 0-9/*', data.subarray(0, 10));
      expect([first.status, first.headers.get('range')]).toEqual([308, 'bytes=0-9']);
      const status = await put(session, 'bytes */*');
      expect([status.status, status.headers.get('range')]).toEqual([308, 'bytes=0-9']);
      const overlap = await put(session, 'bytes 5-14/*', data.subarray(5, 15));
      expect([overlap.status, overlap.headers.get('range')]).toEqual([308, 'bytes=0-14']);
      const last = await put(session, 'bytes 15-19/20', data.subarray(15));
      expect(last.status).toBe(200);
      expect(await last.json()).toMatchObject({
        name: 'chunked',
        size: '20',
        md5Hash: createHash('md5').update(data).digest('base64'),
      });
      const after = await put(session, 'bytes */*');
      expect(after.status).toBe(200);
      const bytes = await fetch(`${gcs.server.url}/storage/v1/b/${bucket}/o/chunked?alt=media`);
      expect(Buffer.from(await bytes.arrayBuffer()).equals(data)).toBe(true);
    });

    it('answers a status query without Range before any byte arrived', async () => {
      const session = await startSession(gcs.server, bucket, 'nothing-yet');
      const status = await put(session, 'bytes */*');
      expect([status.status, status.headers.get('range')]).toEqual([308, null]);
    });

    it('finalizes on a bytes */TOTAL query once TOTAL bytes are in', async () => {
      const session = await startSession(gcs.server, bucket, 'query-final');
      expect((await put(session, 'bytes 0-19/*', data)).status).toBe(308);
      expect((await put(session, 'bytes */20')).status).toBe(200);
      expect(await objectStatus('query-final')).toBe(200);
    });

    it('answers 400 to a chunk that leaves a gap, keeping the session', async () => {
      const session = await startSession(gcs.server, bucket, 'gap');
      expect((await put(session, 'bytes 0-4/*', data.subarray(0, 5))).status).toBe(308);
      expect((await put(session, 'bytes 10-14/*', data.subarray(10, 15))).status).toBe(400);
      expect((await put(session, 'bytes 5-19/20', data.subarray(5))).status).toBe(200);
    });

    it.each([
      [
        'an X-Goog-Hash that does not match',
        [['bytes 0-19/20', { 'x-goog-hash': 'md5=AAAAAAAAAAAAAAAAAAAAAA==' }, 400]],
      ],
      [
        'more bytes than the declared total',
        [
          ['bytes 0-19/*', {}, 308],
          ['bytes */10', {}, 400],
        ],
      ],
    ] as const)('ends the upload without an object on %s', async (_case, steps) => {
      const name = `bad-${steps.length}`;
      const session = await startSession(gcs.server, bucket, name);
      for (const [range, headers, status] of steps) {
        expect((await put(session, range, range.includes('*/') ? undefined : data, headers)).status).toBe(status);
      }
      expect(await objectStatus(name)).toBe(404);
      expect((await put(session, 'bytes */*')).status).toBe(404);
    });

    it('answers 400 when the size differs from X-Upload-Content-Length', async () => {
      const session = await startSession(gcs.server, bucket, 'declared', { 'x-upload-content-length': '5' });
      expect((await put(session, 'bytes 0-19/20', data)).status).toBe(400);
      expect(await objectStatus('declared')).toBe(404);
    });

    it('answers 404 for an unknown upload id', async () => {
      const response = await put(
        `${gcs.server.url}/upload/storage/v1/b/${bucket}/o?uploadType=resumable&upload_id=nope`,
        'bytes */*',
      );
      expect(response.status).toBe(404);
    });

    it('cancels a session with DELETE (499), after which it is unknown', async () => {
      const session = await startSession(gcs.server, bucket, 'cancelled');
      expect((await put(session, 'bytes 0-4/*', data.subarray(0, 5))).status).toBe(308);
      expect((await fetch(session, { method: 'DELETE' })).status).toBe(499);
      expect((await put(session, 'bytes */*')).status).toBe(404);
    });

    it.each([['bytes 0-9'], ['bytes 9-0/20'], ['bytes 0-19/10'], ['items 0-1/2']])(
      'answers 400 to Content-Range %s',
      async (range) => {
        const session = await startSession(gcs.server, bucket, 'bad-range');
        expect((await put(session, range, data.subarray(0, 10))).status).toBe(400);
      },
    );
  });

  describe('Route: POST /upload/storage/v1/b/:bucket/o', () => {
    it('answers 400 to a multipart upload whose md5Hash does not match its bytes', async () => {
      const boundary = 'xyz';
      const body = `--${boundary}\r\nContent-Type: application/json\r\n\r\n{"name":"mp","md5Hash":"AAAAAAAAAAAAAAAAAAAAAA=="}\r\n--${boundary}\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${boundary}--`;
      const response = await fetch(`${gcs.server.url}/upload/storage/v1/b/${bucket}/o?uploadType=multipart`, {
        method: 'POST',
        headers: { 'content-type': `multipart/related; boundary=${boundary}` },
        body,
      });
      expect(response.status).toBe(400);
      expect(await objectStatus('mp')).toBe(404);
    });

    it.each([
      ['uploadType=multipart&name=x', { 'content-type': 'text/plain' }],
      ['uploadType=bogus&name=x', {}],
      ['uploadType=media', {}],
    ])('answers 400 to ?%s', async (query, headers) => {
      const response = await fetch(`${gcs.server.url}/upload/storage/v1/b/${bucket}/o?${query}`, {
        method: 'POST',
        headers,
        body: 'x',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 400 } });
    });

    it('answers 501 with a JSON error for a route it does not implement', async () => {
      const response = await fetch(`${gcs.server.url}/storage/v1/b/${bucket}/iam`);
      expect(response.status).toBe(501);
      expect(await response.json()).toMatchObject({ error: { code: 501, errors: [{ reason: 'notImplemented' }] } });
    });
  });
});
