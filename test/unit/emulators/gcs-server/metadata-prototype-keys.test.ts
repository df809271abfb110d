import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { MemoryBackend } from '../../../../src/emulators/gcs-server';
import { ObjectService } from '../../../../src/emulators/gcs-server/object-service';
import { ContentDigest, StagingSink } from '../../../../src/emulators/gcs-server/staging-sink';
import { objectPrototypePolluted } from '../../../helpers/prototype-keys';

describe('Class: ObjectService (metadata keys named __proto__ in request bodies)', () => {
  it('stores, merges and deletes a __proto__ metadata key like any other', async () => {
    const backend = new MemoryBackend();
    await backend.init();
    const service = new ObjectService(backend, Date.now);
    await service.createBucket('bkt');
    const staged = await backend.createStaging();
    const digest = new ContentDigest();
    await pipeline(Readable.from([Buffer.from('x')]), new StagingSink(staged, digest));
    await service.commit({
      bucket: 'bkt',
      name: 'o',
      staged,
      digest,
      properties: { contentType: 'text/plain' },
      preconditions: {},
    });

    // Request bodies are parsed JSON, where `__proto__` is an own key.
    const set = await service.patch('bkt', 'o', JSON.parse('{"metadata": {"__proto__": "1", "k": "v"}}'), {});
    const deleted = await service.patch('bkt', 'o', JSON.parse('{"metadata": {"__proto__": null}}'), {});

    expect(Object.keys(set.metadata ?? {}).sort()).toEqual(['__proto__', 'k']);
    expect(Object.getOwnPropertyDescriptor(set.metadata, '__proto__')?.value).toBe('1');
    expect(Object.getPrototypeOf(set.metadata)).toBe(Object.prototype);
    expect(Object.keys(deleted.metadata ?? {})).toEqual(['k']);
    expect(objectPrototypePolluted()).toBe(false);
  });
});
