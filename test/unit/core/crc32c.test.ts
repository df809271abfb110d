import { Readable } from 'node:stream';

import { Crc32c, crc32cHash } from '../../../src/core/hashing/crc32c';

describe('Function: crc32cHash', () => {
  it.each([
    ['', 'AAAAAA=='],
    ['123456789', '4waSgw=='],
    ['data', 'rth90Q=='],
  ])('hashes %j to the GCS crc32c string %s', (input, expected) => {
    expect(crc32cHash(input)).toBe(expected);
    expect(crc32cHash(Buffer.from(input))).toBe(expected);
  });

  it('hashes a stream chunk by chunk to the same value as the whole buffer', async () => {
    const data = Buffer.alloc(1_000_003, 7);
    const chunks = [data.subarray(0, 10), data.subarray(10, 500_000), data.subarray(500_000)];
    await expect(crc32cHash(Readable.from(chunks))).resolves.toBe(crc32cHash(data));
  });
});

describe('Class: Crc32c', () => {
  it('validates against the base64 digest', () => {
    const hasher = new Crc32c();
    hasher.update(Buffer.from('some '));
    hasher.update(Buffer.from('text\n'));
    expect(hasher.toString()).toBe('DkjKuA==');
    expect(hasher.validate('DkjKuA==')).toBe(true);
    expect(hasher.validate('rth90Q==')).toBe(false);
  });
});
