// V4 signed URLs made by the official client (signing locally with a throwaway service account), verified by the
// server: valid GET/PUT work; tampered, expired, premature and unsigned requests are refused as GCS refuses them.
import { Storage } from '@google-cloud/storage';

import type { RunningGcsServer } from '../../../src/emulators/gcs-server';
import { startGcsServer } from '../../../src/emulators/gcs-server';
import { createTestServiceAccount } from '../../../src/emulators/service-account';

const account = createTestServiceAccount({ projectId: 'demo-x' });
const name = 'dir/a file ü+&=.txt';

async function xmlCode(response: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];
}

describe('Function: startGcsServer (with a signingKey)', () => {
  let server: RunningGcsServer;
  let storage: Storage;
  let clockOffsetMs = 0;

  beforeAll(async () => {
    server = await startGcsServer({ port: 0, signingKey: account.publicKeyPem, now: () => Date.now() + clockOffsetMs });
    storage = new Storage({ projectId: 'demo-x', apiEndpoint: server.url, credentials: account.credentials });
    await storage.createBucket('signed');
    await storage.bucket('signed').file(name).save('signed content', { resumable: false, contentType: 'text/plain' });
  });

  afterEach(() => {
    clockOffsetMs = 0;
  });

  afterAll(async () => {
    await server.stop();
  });

  const readUrl = async (options: { expires?: number; accessibleAt?: number } = {}): Promise<string> =>
    (
      await storage
        .bucket('signed')
        .file(name)
        .getSignedUrl({ version: 'v4', action: 'read', expires: Date.now() + 60_000, ...options })
    )[0];

  describe('Route: GET /:bucket/:object', () => {
    it('serves the object for a valid signed URL pointing at the server', async () => {
      const url = await readUrl();
      expect(url.startsWith(`${server.url}/signed/dir/`)).toBe(true);
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain');
      expect(await response.text()).toBe('signed content');
    });

    it.each([
      ['a longer X-Goog-Expires', (u: URL) => u.searchParams.set('X-Goog-Expires', '3600')],
      [
        'an X-Goog-Date moved by one second',
        (u: URL) => u.searchParams.set('X-Goog-Date', nudge(u.searchParams.get('X-Goog-Date')!)),
      ],
      ['another object path', (u: URL) => (u.pathname = '/signed/dir/other.txt')],
      ['an extra query parameter', (u: URL) => u.searchParams.set('generation', '1')],
      [
        'a flipped signature digit',
        (u: URL) => u.searchParams.set('X-Goog-Signature', flip(u.searchParams.get('X-Goog-Signature')!)),
      ],
      [
        'another signer in the credential',
        (u: URL) =>
          u.searchParams.set('X-Goog-Credential', u.searchParams.get('X-Goog-Credential')!.replace(/^[^/]+/, 'x@y.z')),
      ],
    ])('answers 403 SignatureDoesNotMatch to a URL with %s', async (_change, tamper) => {
      const url = new URL(await readUrl());
      tamper(url);
      const response = await fetch(url);
      expect(response.status).toBe(403);
      expect(await xmlCode(response)).toBe('SignatureDoesNotMatch');
    });

    it('answers 403 when a read URL is used to PUT', async () => {
      const response = await fetch(await readUrl(), { method: 'PUT', body: 'overwrite' });
      expect(response.status).toBe(403);
      expect((await storage.bucket('signed').file(name).download())[0].toString()).toBe('signed content');
    });

    it('answers 403 ExpiredToken once X-Goog-Date + X-Goog-Expires has passed', async () => {
      const url = await readUrl({ expires: Date.now() + 60_000 });
      clockOffsetMs = 61_000;
      const response = await fetch(url);
      expect(response.status).toBe(403);
      expect(await xmlCode(response)).toBe('ExpiredToken');
    });

    it('accepts HEAD with a URL signed for GET, as GCS does, and refuses PUT with it', async () => {
      const url = await readUrl();
      const head = await fetch(url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('x-goog-hash')).toMatch(/crc32c=/);
      expect((await fetch(url, { method: 'PUT', body: 'x' })).status).toBe(403);
    });

    it('answers 403 before the URL becomes valid (accessibleAt in the future)', async () => {
      const url = await readUrl({ accessibleAt: Date.now() + 3_600_000, expires: Date.now() + 7_200_000 });
      expect((await fetch(url)).status).toBe(403);
      clockOffsetMs = 3_601_000;
      expect((await fetch(url)).status).toBe(200);
    });

    it.each([
      ['no signature parameters', (u: URL) => (u.search = ''), 403, 'AccessDenied'],
      ['no X-Goog-Signature', (u: URL) => u.searchParams.delete('X-Goog-Signature'), 403, 'AccessDenied'],
      [
        'a malformed X-Goog-Date',
        (u: URL) => u.searchParams.set('X-Goog-Date', 'yesterday'),
        400,
        'MalformedSecurityHeader',
      ],
      [
        'an X-Goog-Expires over 7 days',
        (u: URL) => u.searchParams.set('X-Goog-Expires', '604801'),
        400,
        'MalformedSecurityHeader',
      ],
      [
        'another algorithm',
        (u: URL) => u.searchParams.set('X-Goog-Algorithm', 'GOOG4-HMAC-SHA256'),
        400,
        'MalformedSecurityHeader',
      ],
    ])('answers a URL with %s by %i %s', async (_change, alter, status, code) => {
      const url = new URL(await readUrl());
      alter(url);
      const response = await fetch(url);
      expect(response.status).toBe(status);
      expect(await xmlCode(response)).toBe(code);
    });

    it('answers 404 NoSuchKey for a validly signed URL of a missing object', async () => {
      const [url] = await storage
        .bucket('signed')
        .file('missing')
        .getSignedUrl({ version: 'v4', action: 'read', expires: Date.now() + 60_000 });
      const response = await fetch(url);
      expect(response.status).toBe(404);
      expect(await xmlCode(response)).toBe('NoSuchKey');
    });
  });

  describe('Route: PUT /:bucket/:object', () => {
    it('stores the body with the signed content type', async () => {
      const file = storage.bucket('signed').file('uploads/put.csv');
      const [url] = await file.getSignedUrl({
        version: 'v4',
        action: 'write',
        expires: Date.now() + 60_000,
        contentType: 'text/csv',
      });
      const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: 'a,b\n1,2\n' });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-goog-generation')).toMatch(/^\d+$/);
      const [metadata] = await file.getMetadata();
      expect(metadata).toMatchObject({ contentType: 'text/csv', size: '8' });
      expect((await file.download())[0].toString()).toBe('a,b\n1,2\n');
    });

    it('answers 403 and stores nothing when the signed content type is not sent', async () => {
      const file = storage.bucket('signed').file('uploads/typed.csv');
      const [url] = await file.getSignedUrl({
        version: 'v4',
        action: 'write',
        expires: Date.now() + 60_000,
        contentType: 'text/csv',
      });
      const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'x' });
      expect(response.status).toBe(403);
      expect((await file.exists())[0]).toBe(false);
    });

    it('answers 403 ExpiredToken and stores nothing after expiry', async () => {
      const file = storage.bucket('signed').file('uploads/late.txt');
      const [url] = await file.getSignedUrl({ version: 'v4', action: 'write', expires: Date.now() + 10_000 });
      clockOffsetMs = 11_000;
      expect((await fetch(url, { method: 'PUT', body: 'late' })).status).toBe(403);
      expect((await file.exists())[0]).toBe(false);
    });
  });
});

describe('Function: startGcsServer (signingKey variants)', () => {
  it.each([
    ['a private key PEM', { signingKey: account.privateKeyPem }, account, 200],
    ['a key map naming the signer', { signingKey: { [account.clientEmail]: account.publicKeyPem } }, account, 200],
    [
      'a key map not naming the signer',
      { signingKey: { [account.clientEmail]: account.publicKeyPem } },
      createTestServiceAccount({ clientEmail: 'other@demo-x.iam.gserviceaccount.com' }),
      403,
    ],
    ['the key of another account', { signingKey: createTestServiceAccount().publicKeyPem }, account, 403],
  ])('verifies against %s', async (_variant, options, signer, status) => {
    const server = await startGcsServer({ port: 0, ...options });
    try {
      const storage = new Storage({ projectId: 'demo-x', apiEndpoint: server.url, credentials: signer.credentials });
      await storage.createBucket('variants');
      await storage.bucket('variants').file('f').save('f', { resumable: false });
      const [url] = await storage
        .bucket('variants')
        .file('f')
        .getSignedUrl({ version: 'v4', action: 'read', expires: Date.now() + 60_000 });
      expect((await fetch(url)).status).toBe(status);
    } finally {
      await server.stop();
    }
  });

  it('rejects an unreadable signing key at start', async () => {
    await expect(startGcsServer({ port: 0, signingKey: 'not a key' })).rejects.toMatchObject({
      name: 'GcsServerStartFailed',
    });
  });

  it('serves signed and even tampered URLs WITHOUT checking when no signingKey is configured', async () => {
    const server = await startGcsServer({ port: 0 });
    try {
      const storage = new Storage({ projectId: 'demo-x', apiEndpoint: server.url, credentials: account.credentials });
      await storage.createBucket('unchecked');
      await storage.bucket('unchecked').file('f').save('f', { resumable: false });
      const [url] = await storage
        .bucket('unchecked')
        .file('f')
        .getSignedUrl({ version: 'v4', action: 'read', expires: Date.now() + 60_000 });
      const tampered = new URL(url);
      tampered.searchParams.set('X-Goog-Signature', '00');
      expect((await fetch(tampered)).status).toBe(200);
      expect((await fetch(`${server.url}/unchecked/f`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

/**
 * An `X-Goog-Date` one second away, on the same day (so the credential scope still matches) and inside the validity
 * window: only the signature can tell.
 */
function nudge(date: string): string {
  return date.endsWith('T000000Z') ? date.replace(/Z$/, '').slice(0, -1) + '1Z' : shiftBack(date);
}

function shiftBack(date: string): string {
  const [, y, mo, d, h, mi, sec] = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(date)!.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, sec! - 1)).toISOString().replace(/[-:]|\.\d{3}/g, '');
}

function flip(hex: string): string {
  return `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`;
}
