import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  LocationPolicy,
  checkManifestLocations,
  isLocalLocation,
  manifestPrimitiveLocations,
} from '../../../../src/core/resources';
import {
  BucketNotAllowed,
  LocalPathNotAllowed,
  ResourceLocationNotAllowed,
  UrlHostNotAllowed,
} from '../../../../src/errors';

const V4_QUERY =
  'X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p.iam.gserviceaccount.com%2F20261207%2Fauto%2Fstorage' +
  '%2Fgoog4_request&X-Goog-Date=20261207T000000Z&X-Goog-Expires=604800&X-Goog-SignedHeaders=host&X-Goog-Signature=ab12';
const V2_QUERY = 'GoogleAccessId=sa%40p.iam.gserviceaccount.com&Expires=1796000000&Signature=ab%2F12';

describe('Class: LocationPolicy', () => {
  let root: string;
  let allowed: string;
  let victim: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'skein-policy-'));
    allowed = join(root, 'allowed');
    mkdirSync(join(allowed, 'dataset'), { recursive: true });
    writeFileSync(join(allowed, 'dataset', 'a.csv'), 'x\n1\n');
    victim = join(root, 'secret.key');
    writeFileSync(victim, 'PRIVATE KEY');
    // A symlink inside the allowed root that points at the victim, and one that stays inside.
    symlinkSync(victim, join(allowed, 'escape'));
    symlinkSync(join(allowed, 'dataset'), join(allowed, 'inside'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  describe('Method: check', () => {
    it.each([
      ['an absolute path', () => victim],
      ['a relative path climbing out with ../', () => relative(process.cwd(), victim)],
      ['a ../ path starting inside the allowed root', () => join(allowed, '..', 'secret.key')],
      ['a symlink inside the allowed root escaping it', () => join(allowed, 'escape')],
      ['a file:// URL', () => pathToFileURL(victim).href],
      ['a file:// URL through an escaping symlink', () => pathToFileURL(join(allowed, 'escape')).href],
    ])('refuses %s outside the allowed roots with LocalPathNotAllowed', async (_, location) => {
      const policy = new LocationPolicy({ allowedLocalRoots: [allowed] });

      const refusal = policy.check(location());

      await expect(refusal).rejects.toThrow(LocalPathNotAllowed);
      await expect(refusal).rejects.toMatchObject({ location: location() });
    });

    it('refuses every local path by default, even the working directory', async () => {
      const policy = new LocationPolicy();

      await expect(policy.check(join(allowed, 'dataset'))).rejects.toThrow(LocalPathNotAllowed);
      await expect(policy.check(process.cwd())).rejects.toThrow(LocalPathNotAllowed);
      await expect(policy.check('.')).rejects.toThrow(LocalPathNotAllowed);
    });

    it('accepts paths, file:// URLs and symlinks that stay inside an allowed root', async () => {
      const policy = new LocationPolicy({ allowedLocalRoots: [allowed] });

      await expect(policy.check(join(allowed, 'dataset'))).resolves.toBeUndefined();
      await expect(policy.check(join(allowed, 'inside', 'a.csv'))).resolves.toBeUndefined();
      await expect(policy.check(pathToFileURL(join(allowed, 'dataset', 'a.csv')).href)).resolves.toBeUndefined();
      await expect(policy.check(join(allowed, 'dataset', 'not-yet.csv'))).resolves.toBeUndefined();
    });

    it('accepts file:// URLs under the object store root, but not plain paths there', async () => {
      const policy = new LocationPolicy({ storageEndpoints: [pathToFileURL(`${allowed}/`).href] });

      await expect(policy.check(pathToFileURL(join(allowed, 'dataset', 'a.csv')).href)).resolves.toBeUndefined();
      await expect(policy.check(join(allowed, 'dataset', 'a.csv'))).rejects.toThrow(LocalPathNotAllowed);
      await expect(policy.check(pathToFileURL(join(allowed, 'escape')).href)).rejects.toThrow(LocalPathNotAllowed);
    });

    it.each([
      ['a loopback canary', 'http://127.0.0.1:8080/canary', '127.0.0.1:8080'],
      ['the metadata server', 'http://169.254.169.254/computeMetadata/v1/', '169.254.169.254'],
      ['an unsigned Cloud Storage URL', 'https://storage.googleapis.com/bucket/a.csv', 'storage.googleapis.com'],
      ['a signed query at another host', `https://evil.example/bucket/a.csv?${V4_QUERY}`, 'evil.example'],
      ['a signed query over http', `http://storage.googleapis.com/b/a.csv?${V4_QUERY}`, 'storage.googleapis.com'],
      [
        'a look-alike host',
        `https://storage.googleapis.com.evil.example/b?${V4_QUERY}`,
        'storage.googleapis.com.evil.example',
      ],
      ['credentials before the host', `https://storage.googleapis.com@127.0.0.1/b?${V4_QUERY}`, '127.0.0.1'],
      ['an allowed host on another port', 'https://data.example:8443/a.csv', 'data.example:8443'],
    ])('refuses %s with UrlHostNotAllowed naming the host', async (_, url, host) => {
      const policy = new LocationPolicy({ allowedUrlHosts: ['data.example'] });

      const refusal = policy.check(url);

      await expect(refusal).rejects.toThrow(UrlHostNotAllowed);
      await expect(refusal).rejects.toMatchObject({ host, location: url });
      await expect(refusal).rejects.toThrow(`'${host}'`);
    });

    it.each([
      ['a V4 signed Cloud Storage URL', `https://storage.googleapis.com/bucket/a.csv?${V4_QUERY}`],
      ['a V2 signed Cloud Storage URL', `https://storage.googleapis.com/bucket/a.csv?${V2_QUERY}`],
      ['a virtual-hosted signed URL', `https://bucket.storage.googleapis.com/a.csv?${V4_QUERY}`],
      ['a signed URL at the store endpoint', `http://127.0.0.1:4443/bucket/a.csv?${V4_QUERY}`],
      ['a URL at an allowed host', 'https://DATA.example/a.csv'],
    ])('accepts %s', async (_, url) => {
      const policy = new LocationPolicy({
        allowedUrlHosts: ['data.example'],
        storageEndpoints: ['http://127.0.0.1:4443'],
      });

      await expect(policy.check(url)).resolves.toBeUndefined();
    });

    it('refuses an unsigned URL at the store endpoint', async () => {
      const policy = new LocationPolicy({ storageEndpoints: ['http://127.0.0.1:4443'] });

      await expect(policy.check('http://127.0.0.1:4443/storage/v1/b')).rejects.toThrow(UrlHostNotAllowed);
    });

    it('refuses gs:// paths outside the allowed buckets with BucketNotAllowed, and allows any bucket by default', async () => {
      const policy = new LocationPolicy({ allowedBuckets: ['inputs'] });

      await expect(policy.check('gs://inputs/data')).resolves.toBeUndefined();
      await expect(policy.check('gs://service-secrets/keys')).rejects.toMatchObject({
        name: 'BucketNotAllowed',
        bucket: 'service-secrets',
      });
      await expect(policy.check('gs://service-secrets/keys')).rejects.toThrow(BucketNotAllowed);
      await expect(new LocationPolicy().check('gs://service-secrets/keys')).resolves.toBeUndefined();
    });
  });

  describe('Function: checkManifestLocations', () => {
    it('checks dataset paths, file lists, datafile primitives and a missing path (the working directory)', () => {
      const primitive = {
        id: 'a',
        datasets: {
          plain: 'gs://inputs/plain',
          files: { path: '/ignored', files: ['gs://inputs/f.csv', { path: 'gs://inputs/g.csv', local_path: victim }] },
          nopath: { files: [] },
        },
      };

      expect(manifestPrimitiveLocations(primitive)).toEqual([
        ['plain', 'gs://inputs/plain'],
        ['files', 'gs://inputs/f.csv'],
        ['files', 'gs://inputs/g.csv'],
        ['files', victim],
        ['nopath', process.cwd()],
      ]);
    });

    it('refuses a manifest whose datafile primitive hides a local path behind a cloud path', async () => {
      const primitive = { id: 'a', datasets: { d: { files: [{ path: 'gs://inputs/g.csv', local_path: victim }] } } };

      await expect(checkManifestLocations(primitive, new LocationPolicy())).rejects.toThrow(ResourceLocationNotAllowed);
    });
  });

  describe('Function: isLocalLocation', () => {
    it.each([
      ['/etc/passwd', true],
      ['../x', true],
      ['file:///etc/passwd', true],
      ['FILE:///etc/passwd', true],
      ['gs://b/x', false],
      ['https://storage.googleapis.com/b/x', false],
      ['HTTP://host/x', false],
    ])('says whether %s is local (%s)', (location, expected) => {
      expect(isLocalLocation(location)).toBe(expected);
    });
  });
});
