import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { KeyedLock } from '../../../../src/cloud/storage/keyed-lock';
import { ByteMeter, compareNames, openUploadSource, readAll } from '../../../../src/cloud/storage/transfer';
import { crc32cHash } from '../../../../src/core/hashing/crc32c';
import type { TransferProgress } from '../../../../src/core/ports/object-store';
import { ChecksumMismatch, FileNotFoundException } from '../../../../src/errors';

describe('Function: compareNames', () => {
  it('orders names by UTF-8 bytes, as GCS lists them, not by UTF-16 units', () => {
    const names = ['\u{1F600}', '\uFFFD', 'b', 'a/b', 'a'];

    expect([...names].sort(compareNames)).toEqual(['a', 'a/b', 'b', '\uFFFD', '\u{1F600}']);
  });
});

describe('Function: openUploadSource', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'skein-transfer-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('opens a string as its UTF-8 bytes with their size', async () => {
    const opened = await openUploadSource('héllo');

    expect(opened.totalBytes).toBe(6);
    expect((await readAll(opened.stream)).toString()).toBe('héllo');
  });

  it('fails with FileNotFoundException when fromFile names a directory', async () => {
    await expect(openUploadSource({ fromFile: directory })).rejects.toBeInstanceOf(FileNotFoundException);
  });
});

describe('Class: ByteMeter', () => {
  const run = (meter: ByteMeter, chunks: string[]): Promise<void> =>
    pipeline(Readable.from(chunks.map((c) => Buffer.from(c))), meter, async (source: AsyncIterable<Buffer>) => {
      for await (const _chunk of source) {
        // drain
      }
    });

  it('reports the running byte count with the total', async () => {
    const reports: TransferProgress[] = [];

    await run(new ByteMeter({ onProgress: (p) => reports.push(p), totalBytes: 5 }), ['ab', 'cde']);

    expect(reports).toEqual([
      { bytes: 2, totalBytes: 5 },
      { bytes: 5, totalBytes: 5 },
    ]);
  });

  it.each([
    ['the checksum differs', 'abcde', { crc32c: crc32cHash('abcdX'), size: 5 }],
    ['the size differs', 'abcde', { crc32c: crc32cHash('abcde'), size: 6 }],
  ])('fails with ChecksumMismatch when %s', async (_case, text, expected) => {
    await expect(
      run(new ByteMeter({ expected: { location: 'gs://b/o', ...expected } }), [text]),
    ).rejects.toBeInstanceOf(ChecksumMismatch);
  });

  it('passes matching bytes', async () => {
    const expected = { location: 'gs://b/o', crc32c: crc32cHash('abcde'), size: 5 };

    await expect(run(new ByteMeter({ expected }), ['abc', 'de'])).resolves.toBeUndefined();
  });
});

describe('Class: KeyedLock', () => {
  it('runs tasks with the same key one at a time, in call order, and other keys alongside', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const task = (name: string, release: Promise<void>) => async () => {
      events.push(`start ${name}`);
      await release;
      events.push(`end ${name}`);
    };
    let releaseFirst: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (releaseFirst = resolve));

    const runs = [
      lock.run('k', task('k1', first)),
      lock.run('k', task('k2', Promise.resolve())),
      lock.run('other', task('o1', Promise.resolve())),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    releaseFirst();
    await Promise.all(runs);

    expect(events).toEqual(['start k1', 'start o1', 'end o1', 'end k1', 'start k2', 'end k2']);
  });

  it('goes on with the next task after one fails', async () => {
    const lock = new KeyedLock();

    await expect(lock.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.run('k', async () => 'next')).resolves.toBe('next');
  });
});
