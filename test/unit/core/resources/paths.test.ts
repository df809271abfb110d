import {
  isRemotePath,
  isUrl,
  lastPathSegment,
  mapConcurrently,
  relativeLocalPath,
  relativeRemotePath,
} from '../../../../src/core/resources/paths';

describe('Module: paths', () => {
  describe('Function: isUrl / isRemotePath', () => {
    it.each([
      ['https://storage.googleapis.com/b/o', true, true],
      ['http://127.0.0.1:4443/b/o', true, true],
      ['file:///tmp/store/b/o', true, true],
      ['gs://bucket/o', false, true],
      ['/tmp/local', false, false],
      ['relative/http-file', false, false],
    ])('classifies %s (url: %p, remote: %p)', (location, url, remote) => {
      expect(isUrl(location)).toBe(url);
      expect(isRemotePath(location)).toBe(remote);
    });
  });

  describe('Function: lastPathSegment', () => {
    it.each([
      ['gs://bucket/dir/file.csv', 'file.csv'],
      ['gs://bucket/dir/', 'dir'],
      ['https://host/b/dir/a%20b.txt?X-Goog-Signature=x', 'a b.txt'],
      ['file:///root/b/ds/.signed_metadata_files/slug', 'slug'],
      ['http://', ''],
      ['https://host/bad%zzname?q=1', 'bad%zzname'],
      ['/tmp/dataset/', 'dataset'],
    ])('gives the last segment of %s', (location, expected) => {
      expect(lastPathSegment(location)).toBe(expected);
    });
  });

  describe('Function: relativeRemotePath', () => {
    it.each([
      ['gs://b/ds/sub/file.txt', 'gs://b/ds', 'sub/file.txt'],
      ['gs://b/ds/file.txt', 'gs://b/ds/', 'file.txt'],
      ['gs://b/other/file.txt', 'gs://b/ds', '../other/file.txt'],
      [
        'https://host/b/ds/sub/f.txt?X-Goog-Signature=1',
        'https://host/b/ds/.signed_metadata_files/brisk-heron?X-Goog-Signature=2',
        'sub/f.txt',
      ],
    ])('places %s inside %s as %s', (location, folder, expected) => {
      expect(relativeRemotePath(location, folder)).toBe(expected);
    });
  });

  describe('Function: relativeLocalPath', () => {
    it('uses forward slashes', () => {
      expect(relativeLocalPath('/data/ds/a/b.txt', '/data/ds')).toBe('a/b.txt');
    });
  });

  describe('Function: mapConcurrently', () => {
    it('keeps input order and never runs more than the limit at once', async () => {
      let running = 0;
      let most = 0;
      const results = await mapConcurrently([5, 1, 4, 2, 3], 2, async (n) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        return n * 10;
      });
      expect(results).toEqual([50, 10, 40, 20, 30]);
      expect(most).toBe(2);
    });

    it('gives an empty result for no items', async () => {
      await expect(mapConcurrently([], 4, async () => 1)).resolves.toEqual([]);
    });
  });
});
