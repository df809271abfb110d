import { createHash, createPublicKey, KeyObject, verify } from 'node:crypto';

import { GcsApiError } from './api-error';

/** A PEM key (public, or private from which the public key is derived) or a key object. */
export type SigningKeyInput = string | Buffer | KeyObject;

/** One key for every signer, or a key per service-account email. */
export type SigningKeys = SigningKeyInput | Readonly<Record<string, SigningKeyInput>>;

/** The parts of a request a V4 signature covers. */
export interface SignedRequest {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path as sent (percent-encoded). */
  readonly rawPath: string;
  /** Query string as sent, without `?`. */
  readonly rawQuery: string;
  /** Request headers, lower-case names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Percent-encodes like Google's signers: everything except `A-Z a-z 0-9 - . _ ~`. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Parses a raw query string into decoded pairs, in order. `+` is kept literally (signers encode spaces as `%20`).
 * @throws GcsApiError 400 on malformed percent-encoding.
 */
export function parseRawQuery(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((pair) => {
    const at = pair.indexOf('=');
    const [key, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    try {
      return [decodeURIComponent(key), decodeURIComponent(value)];
    } catch (error) {
      throw malformed(`Malformed query parameter: ${pair}`, error);
    }
  });
}

/** The canonical query string: every parameter except the signature, encoded, sorted by encoded name. */
export function canonicalQuery(pairs: readonly [string, string][]): string {
  return pairs
    .filter(([key]) => key.toLowerCase() !== 'x-goog-signature')
    .map(([key, value]) => [encodeRfc3986(key), encodeRfc3986(value)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/** Canonical path candidates: as sent, and re-encoded segment by segment the way Google's client libraries encode. */
export function canonicalPaths(rawPath: string): string[] {
  const reencoded = rawPath
    .split('/')
    .map((segment) => {
      try {
        return encodeRfc3986(decodeURIComponent(segment));
      } catch {
        return segment;
      }
    })
    .join('/');
  return reencoded === rawPath ? [rawPath] : [rawPath, reencoded];
}

/** `name:value\n` for each signed header, values trimmed and inner runs of spaces collapsed. */
export function canonicalHeaders(names: readonly string[], value: (name: string) => string): string {
  return names
    .map(
      (name) =>
        `${name}:${value(name)
          .trim()
          .replace(/\s{2,}/g, ' ')}\n`,
    )
    .join('');
}

/** The canonical request of the V4 signing process (payload always `UNSIGNED-PAYLOAD` for signed URLs). */
export function canonicalRequest(parts: {
  method: string;
  path: string;
  query: string;
  headers: string;
  signedHeaders: string;
}): string {
  return [parts.method, parts.path, parts.query, parts.headers, parts.signedHeaders, 'UNSIGNED-PAYLOAD'].join('\n');
}

/** The string an RSA key signs: algorithm, date, scope and the SHA-256 of the canonical request. */
export function stringToSign(algorithm: string, date: string, scope: string, request: string): string {
  return [algorithm, date, scope, createHash('sha256').update(request).digest('hex')].join('\n');
}

function malformed(details: string, cause?: unknown): GcsApiError {
  return new GcsApiError('Invalid argument.', {
    status: 400,
    reason: 'invalid',
    xmlCode: 'MalformedSecurityHeader',
    details,
    cause,
  });
}

/**
 * Verifies V4 (`GOOG4-RSA-SHA256`) signed URLs against configured public keys and a clock.
 *
 * Failures answer as GCS does: no signature → 403 `AccessDenied`; malformed `X-Goog-*` parameters → 400
 * `MalformedSecurityHeader`; past `X-Goog-Date + X-Goog-Expires` → 403 `ExpiredToken` (GCS says 400); before `X-Goog-Date` → 403
 * `AccessDenied` (not yet valid); unknown signer or any changed method, path, query or signed header → 403
 * `SignatureDoesNotMatch`.
 *
 * The `host` header is checked both as sent and without its port, because the Node client signs the endpoint's
 * hostname only while other signers sign the full `Host`.
 */
export class SignedUrlVerifier {
  private readonly single: KeyObject | undefined;
  private readonly byEmail = new Map<string, KeyObject>();

  /**
   * @param keys - One key, or a map from service-account email to key.
   * @param now - The clock (ms).
   * @throws TypeError from node:crypto when a key cannot be parsed.
   */
  constructor(
    keys: SigningKeys,
    private readonly now: () => number,
  ) {
    if (typeof keys === 'string' || Buffer.isBuffer(keys) || keys instanceof KeyObject) this.single = toPublicKey(keys);
    else for (const [email, key] of Object.entries(keys)) this.byEmail.set(email, toPublicKey(key));
  }

  /**
   * Checks a request made with a signed URL.
   * @param request - The request.
   * @throws GcsApiError (see the class description).
   */
  verify(request: SignedRequest): void {
    const pairs = parseRawQuery(request.rawQuery);
    const param = (name: string): string | undefined =>
      pairs.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
    const signature = param('X-Goog-Signature');
    if (signature === undefined) {
      throw new GcsApiError('Anonymous caller does not have storage.objects access to this object.', {
        status: 403,
        reason: 'forbidden',
        xmlCode: 'AccessDenied',
      });
    }
    const algorithm = param('X-Goog-Algorithm');
    if (algorithm !== 'GOOG4-RSA-SHA256') throw malformed(`Unsupported X-Goog-Algorithm: ${algorithm ?? '(missing)'}`);
    const date = param('X-Goog-Date') ?? '';
    const dateMatch = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
    if (!dateMatch) throw malformed(`Invalid X-Goog-Date: ${date || '(missing)'}`);
    const expiresText = param('X-Goog-Expires') ?? '';
    const expires = /^\d+$/.test(expiresText) ? Number(expiresText) : NaN;
    if (!(expires >= 1 && expires <= 604800)) throw malformed(`Invalid X-Goog-Expires: ${expiresText || '(missing)'}`);
    const credential = param('X-Goog-Credential') ?? '';
    const slash = credential.indexOf('/');
    const [email, scope] = [credential.slice(0, slash), credential.slice(slash + 1)];
    if (slash <= 0 || !scope.startsWith(`${date.slice(0, 8)}/`) || !scope.endsWith('/storage/goog4_request')) {
      throw malformed(`Invalid X-Goog-Credential: ${credential || '(missing)'}`);
    }
    const signedHeaders = param('X-Goog-SignedHeaders') ?? '';
    const headerNames = signedHeaders.split(';');
    if (!headerNames.includes('host')) throw malformed('X-Goog-SignedHeaders must include host.');
    const [, y, mo, d, h, mi, s] = dateMatch.map(Number) as number[];
    const start = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
    const now = this.now();
    if (now > start + expires * 1000) {
      // Real GCS answers 400 here; Skein answers 403 so every refused signed URL (tampered or expired) is a 403, as
      // the project's contract for the server says. The XML code is still GCS's.
      throw new GcsApiError('Request has expired.', {
        status: 403,
        reason: 'forbidden',
        xmlCode: 'ExpiredToken',
        details: `Request has expired: ${Math.floor((start + expires * 1000) / 1000)}`,
      });
    }
    if (now < start) {
      throw new GcsApiError('Request is not yet valid.', {
        status: 403,
        reason: 'forbidden',
        xmlCode: 'AccessDenied',
        details: `Valid from ${date}`,
      });
    }
    const key = this.single ?? this.byEmail.get(email);
    const signatureBytes = /^[0-9a-f]+$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
    const host = String(request.headers.host ?? '');
    const hosts = [...new Set([host, host.replace(/:\d+$/, '')])];
    let lastStringToSign = '';
    // GCS accepts HEAD on a URL signed for GET (clients read a signed file's metadata that way).
    const methods = request.method === 'HEAD' ? ['HEAD', 'GET'] : [request.method];
    for (const method of methods) {
      for (const path of canonicalPaths(request.rawPath)) {
        for (const hostValue of hosts) {
          const headerValue = (name: string): string => {
            const value = name === 'host' ? hostValue : request.headers[name];
            return Array.isArray(value) ? value.join(',') : (value ?? '');
          };
          const canonical = canonicalRequest({
            method,
            path,
            query: canonicalQuery(pairs),
            headers: canonicalHeaders(headerNames, headerValue),
            signedHeaders,
          });
          lastStringToSign = stringToSign(algorithm, date, scope, canonical);
          if (
            key &&
            signatureBytes.length > 0 &&
            verify('RSA-SHA256', Buffer.from(lastStringToSign), key, signatureBytes)
          )
            return;
        }
      }
    }
    throw new GcsApiError(
      'The request signature we calculated does not match the signature you provided. Check your Google secret key and signing method.',
      {
        status: 403,
        reason: 'forbidden',
        xmlCode: 'SignatureDoesNotMatch',
        details: key ? lastStringToSign : `Unknown signer: ${email}`,
      },
    );
  }
}

function toPublicKey(key: SigningKeyInput): KeyObject {
  if (key instanceof KeyObject) return key.type === 'public' ? key : createPublicKey(key);
  return createPublicKey(key);
}
