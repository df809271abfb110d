// Canonicalisation and verification of V4 signed URLs. URLs are signed by the real storage client, which signs
// locally, so no server is needed; the verifier gets an injected clock.
import { createSign } from 'node:crypto';

import { Storage } from '@google-cloud/storage';

import {
  canonicalHeaders,
  canonicalPaths,
  canonicalQuery,
  canonicalRequest,
  encodeRfc3986,
  parseRawQuery,
  SignedUrlVerifier,
  stringToSign,
} from '../../../../src/emulators/gcs-server/signed-url';
import { createTestServiceAccount } from '../../../../src/emulators/service-account';

const account = createTestServiceAccount();
const endpoint = 'http://127.0.0.1:4443';
const storage = new Storage({ projectId: 'demo-x', apiEndpoint: endpoint, credentials: account.credentials });

async function sign(
  name: string,
  options: { expires: number; contentType?: string; action?: 'read' | 'write' },
): Promise<URL> {
  const [url] = await storage
    .bucket('bkt')
    .file(name)
    .getSignedUrl({ version: 'v4', action: 'read', ...options });
  return new URL(url);
}

function requestFor(
  url: URL,
  method = 'GET',
  headers: Record<string, string> = {},
): Parameters<SignedUrlVerifier['verify']>[0] {
  return { method, rawPath: url.pathname, rawQuery: url.search.slice(1), headers: { host: url.host, ...headers } };
}

describe('Function: encodeRfc3986', () => {
  it.each([
    ['a b/c', 'a%20b%2Fc'],
    ["!*'()", '%21%2A%27%28%29'],
    ['-._~', '-._~'],
    ['ü+&=', '%C3%BC%2B%26%3D'],
  ])('encodes %j as %j', (text, encoded) => {
    expect(encodeRfc3986(text)).toBe(encoded);
  });
});

describe('Function: canonicalQuery', () => {
  it('drops the signature, re-encodes and sorts by encoded name', () => {
    const pairs = parseRawQuery('b=2&X-Goog-Signature=ff&a=x%20y&A=1&c=%2F');
    expect(canonicalQuery(pairs)).toBe('A=1&a=x%20y&b=2&c=%2F');
  });

  it('throws 400 MalformedSecurityHeader on broken percent-encoding', () => {
    expect(() => parseRawQuery('a=%ZZ')).toThrow(
      expect.objectContaining({ status: 400, xmlCode: 'MalformedSecurityHeader' }),
    );
  });
});

describe('Function: canonicalPaths', () => {
  it.each([
    ['/b/a%20b.txt', ['/b/a%20b.txt']],
    ['/b/a+b(1).txt', ['/b/a+b(1).txt', '/b/a%2Bb%281%29.txt']],
  ])('gives %s as %j', (path, expected) => {
    expect(canonicalPaths(path)).toEqual(expected);
  });
});

describe('Function: canonicalRequest', () => {
  it('joins method, path, query, headers, signed headers and UNSIGNED-PAYLOAD', () => {
    const headers = canonicalHeaders(['content-type', 'host'], (n) => (n === 'host' ? ' h.example ' : 'text/plain  x'));
    expect(headers).toBe('content-type:text/plain x\nhost:h.example\n');
    expect(
      canonicalRequest({ method: 'PUT', path: '/b/o', query: 'a=1', headers, signedHeaders: 'content-type;host' }),
    ).toBe('PUT\n/b/o\na=1\ncontent-type:text/plain x\nhost:h.example\n\ncontent-type;host\nUNSIGNED-PAYLOAD');
  });

  it('verifies a signature made independently over the documented string-to-sign', () => {
    const date = '20260101T000000Z';
    const scope = `20260101/auto/storage/goog4_request`;
    const query = `X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=${encodeRfc3986(`${account.clientEmail}/${scope}`)}&X-Goog-Date=${date}&X-Goog-Expires=60&X-Goog-SignedHeaders=host`;
    const request = canonicalRequest({
      method: 'GET',
      path: '/bkt/obj',
      query,
      headers: 'host:example.test\n',
      signedHeaders: 'host',
    });
    const signature = createSign('RSA-SHA256')
      .update(stringToSign('GOOG4-RSA-SHA256', date, scope, request))
      .sign(account.privateKeyPem, 'hex');
    const verifier = new SignedUrlVerifier(account.publicKeyPem, () => Date.UTC(2026, 0, 1, 0, 0, 30));
    expect(() =>
      verifier.verify({
        method: 'GET',
        rawPath: '/bkt/obj',
        rawQuery: `${query}&X-Goog-Signature=${signature}`,
        headers: { host: 'example.test' },
      }),
    ).not.toThrow();
  });
});

describe('Class: SignedUrlVerifier', () => {
  describe('Method: verify', () => {
    const now = Date.now();
    // URLs below are signed after `now`; the verifier's clock must not run behind their X-Goog-Date.
    const verifier = new SignedUrlVerifier(account.publicKeyPem, () => Date.now());

    it.each([['plain.txt'], ['dir/with space/ü+&=(1)*.txt']])(
      'accepts a URL the client signed for %s',
      async (name) => {
        const url = await sign(name, { expires: now + 60_000 });
        expect(url.host).toBe('127.0.0.1:4443');
        expect(() => verifier.verify(requestFor(url))).not.toThrow();
      },
    );

    it('accepts a signed write with its content type, and refuses it with another', async () => {
      const url = await sign('w.csv', { expires: now + 60_000, action: 'write', contentType: 'text/csv' });
      expect(() => verifier.verify(requestFor(url, 'PUT', { 'content-type': 'text/csv' }))).not.toThrow();
      expect(() => verifier.verify(requestFor(url, 'PUT', { 'content-type': 'text/plain' }))).toThrow(
        expect.objectContaining({ status: 403, xmlCode: 'SignatureDoesNotMatch' }),
      );
    });

    it.each([
      ['the method', (u: URL) => requestFor(u, 'PUT')],
      ['the path', (u: URL) => ({ ...requestFor(u), rawPath: '/bkt/other' })],
      ['the host', (u: URL) => requestFor(u, 'GET', { host: 'elsewhere:4443' })],
      [
        'a query value',
        (u: URL) => ({
          ...requestFor(u),
          rawQuery: u.search.slice(1).replace(/X-Goog-Expires=\d+/, 'X-Goog-Expires=1'),
        }),
      ],
    ])('refuses a request with a changed %s (403 SignatureDoesNotMatch)', async (_what, change) => {
      const url = await sign('t.txt', { expires: now + 60_000 });
      expect(() => verifier.verify(change(url))).toThrow(
        expect.objectContaining({ status: 403, xmlCode: 'SignatureDoesNotMatch' }),
      );
    });

    it.each([
      [-1000, undefined],
      [1000, 'ExpiredToken'],
    ])('at %i ms from X-Goog-Date + X-Goog-Expires throws %s', async (offset, code) => {
      const url = await sign('e.txt', { expires: now + 60_000 });
      const date = url.searchParams.get('X-Goog-Date') ?? '';
      const start = Date.parse(date.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
      const deadline = start + Number(url.searchParams.get('X-Goog-Expires')) * 1000;
      const later = new SignedUrlVerifier(account.publicKeyPem, () => deadline + offset);
      if (code === undefined) expect(() => later.verify(requestFor(url))).not.toThrow();
      else expect(() => later.verify(requestFor(url))).toThrow(expect.objectContaining({ status: 403, xmlCode: code }));
    });

    it('refuses a URL before its X-Goog-Date (403 AccessDenied)', async () => {
      const url = await sign('early.txt', { expires: now + 60_000 });
      const before = new SignedUrlVerifier(account.publicKeyPem, () => now - 5000);
      expect(() => before.verify(requestFor(url))).toThrow(
        expect.objectContaining({ status: 403, xmlCode: 'AccessDenied' }),
      );
    });

    it('refuses a URL verified against another account’s key', async () => {
      const url = await sign('k.txt', { expires: now + 60_000 });
      const other = new SignedUrlVerifier(
        { [account.clientEmail]: createTestServiceAccount().publicKeyPem },
        () => now,
      );
      expect(() => other.verify(requestFor(url))).toThrow(expect.objectContaining({ status: 403 }));
    });

    it('throws TypeError at construction for a key that is not PEM', () => {
      expect(() => new SignedUrlVerifier('nonsense', () => now)).toThrow();
    });
  });
});
