import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LocalObjectStore } from '../../../src/cloud/storage';
import { DownloadTrackingStore } from '../../../src/service/download-tracking-store';

describe('Class: DownloadTrackingStore', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'skein-tracking-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('tells onTransfer of each upload and download, with their progress, and onDownload of the local path', async () => {
    // Prepare
    const events: string[] = [];
    const callerProgress: number[] = [];
    const downloaded: string[] = [];
    const store = new DownloadTrackingStore(new LocalObjectStore({ root: join(root, 'store') }), {
      onDownload: (path) => downloaded.push(path),
      onTransfer: (location, direction) => {
        events.push(`${direction} ${location}`);
        return {
          onProgress: (progress) => events.push(`${direction} progress ${progress.bytes}`),
          done: () => events.push(`${direction} done`),
        };
      },
    });
    const source = Buffer.alloc(1000, 'x');

    // Act
    await store.upload('gs://bucket/data.txt', source, {
      onProgress: (progress) => callerProgress.push(progress.bytes),
    });
    await store.downloadToFile('gs://bucket/data.txt', join(root, 'copy.txt'));

    // Assess
    expect(events[0]).toBe('upload gs://bucket/data.txt');
    expect(events).toContain('upload progress 1000');
    expect(events.indexOf('upload done')).toBeLessThan(events.indexOf('download gs://bucket/data.txt'));
    expect(events).toContain('download progress 1000');
    expect(events.at(-1)).toBe('download done');
    expect(callerProgress.at(-1)).toBe(1000);
    expect(downloaded).toEqual([join(root, 'copy.txt')]);
  });

  it('ends the transfer it reported when the transfer fails', async () => {
    const ended: string[] = [];
    const store = new DownloadTrackingStore(new LocalObjectStore({ root: join(root, 'store') }), {
      onTransfer: (location) => ({ onProgress: () => undefined, done: () => ended.push(location) }),
    });

    await expect(store.downloadToFile('gs://bucket/missing.txt', join(root, 'missing.txt'))).rejects.toThrow();

    expect(ended).toEqual(['gs://bucket/missing.txt']);
  });
});
