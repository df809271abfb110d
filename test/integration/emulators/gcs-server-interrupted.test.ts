// Interrupted uploads on the directory backend: a cut-off media or multipart upload leaves no object and no
// temporary file; a cut-off resumable request keeps its bytes for resuming until the session is cancelled.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { RunningGcsServer } from '../../../src/emulators/gcs-server';
import { startGcsServer } from '../../../src/emulators/gcs-server';

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`Gave up waiting until ${what}`);
}

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

describe('Function: startGcsServer (directory backend, interrupted uploads)', () => {
  let dir: string;
  let server: RunningGcsServer;
  const staged = async (): Promise<string[]> => readdir(join(dir, '.staging'));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skein-gcs-'));
    server = await startGcsServer({ port: 0, directory: dir });
    await createBucket(server, 'cut');
  });

  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * Sends half of a declared body, waits until the server has staged `stagedBytes` of it (the multipart parser holds
   * back a few bytes that could start a boundary), then drops the connection.
   */
  async function sendHalfAndHangUp(
    url: string,
    headers: Record<string, string>,
    body: Buffer,
    stagedBytes = Math.floor(body.length / 2),
  ): Promise<void> {
    const half = body.subarray(0, Math.floor(body.length / 2));
    const req = request(url, {
      method: url.includes('upload_id') ? 'PUT' : 'POST',
      headers: { ...headers, 'content-length': String(body.length) },
    });
    req.on('error', () => undefined);
    req.write(half);
    await until(async () => {
      const files = await staged();
      return (
        files.length === 1 &&
        (await stat(join(dir, '.staging', files[0] as string)).then(
          (s) => s.size,
          () => -1,
        )) === stagedBytes
      );
    }, 'the first half is staged');
    req.destroy();
  }

  const big = Buffer.alloc(512 * 1024, 7);

  it('leaves no object and no temporary file when a media upload is cut off', async () => {
    await sendHalfAndHangUp(`${server.url}/upload/storage/v1/b/cut/o?uploadType=media&name=media`, {}, big);
    await until(async () => (await staged()).length === 0, 'the staged bytes are removed');
    expect((await fetch(`${server.url}/storage/v1/b/cut/o/media`)).status).toBe(404);
  });

  it('leaves no object and no temporary file when a multipart upload is cut off', async () => {
    const head = Buffer.from('--b\r\nContent-Type: application/json\r\n\r\n{"name":"multi"}\r\n--b\r\n\r\n');
    const body = Buffer.concat([head, big, big]);
    // Staged: the media bytes of the first half, minus the 4 held back in case they start "\r\n--b".
    const stagedSize = Math.floor(body.length / 2) - head.length - 4;
    await sendHalfAndHangUp(
      `${server.url}/upload/storage/v1/b/cut/o?uploadType=multipart`,
      { 'content-type': 'multipart/related; boundary=b' },
      body,
      stagedSize,
    );
    await until(async () => (await staged()).length === 0, 'the staged bytes are removed');
    expect((await fetch(`${server.url}/storage/v1/b/cut/o/multi`)).status).toBe(404);
  });

  it('keeps a cut-off resumable request’s bytes for resuming, and removes them when the session is cancelled', async () => {
    const session = await startSession(server, 'cut', 'resumable');
    await sendHalfAndHangUp(session, { 'content-range': `bytes 0-*/*` }, big);
    const status = await put(session, 'bytes */*');
    expect([status.status, status.headers.get('range')]).toEqual([308, `bytes=0-${big.length / 2 - 1}`]);
    expect((await fetch(`${server.url}/storage/v1/b/cut/o/resumable`)).status).toBe(404);
    expect((await fetch(session, { method: 'DELETE' })).status).toBe(499);
    expect(await staged()).toEqual([]);
  });
});
