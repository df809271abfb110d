import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { toStoredObject } from '../../../../src/cloud/storage/gcs-transfer';
import { LocalObjectStore } from '../../../../src/cloud/storage/local-object-store';
import { objectPrototypePolluted } from '../../../helpers/prototype-keys';

/** Custom metadata as a JSON response carries it: `__proto__` is an own key. */
function metadata(json: string): Record<string, string> {
  return JSON.parse(json) as Record<string, string>;
}

describe('Custom metadata keys named __proto__ (object stores)', () => {
  afterEach(() => {
    expect(objectPrototypePolluted()).toBe(false);
  });

  describe('Function: toStoredObject (Cloud Storage responses)', () => {
    it('keeps a __proto__ metadata key as data instead of dropping it', () => {
      const stored = toStoredObject({ bucket: 'b', name: 'o', metadata: metadata('{"__proto__": "1", "k": "v"}') });

      expect(Object.getPrototypeOf(stored.metadata)).toBe(Object.prototype);
      expect(Object.keys(stored.metadata)).toEqual(['__proto__', 'k']);
      expect(Object.getOwnPropertyDescriptor(stored.metadata, '__proto__')?.value).toBe('1');
    });
  });

  describe('Class: LocalObjectStore', () => {
    let root: string;
    beforeEach(async () => {
      root = await mkdtemp(join(tmpdir(), 'skein-local-store-'));
    });
    afterEach(async () => {
      await rm(root, { recursive: true, force: true });
    });

    it('stores and adds a __proto__ metadata key like any other', async () => {
      const store = new LocalObjectStore({ root });
      await store.upload('gs://bk1/a.txt', 'x', { metadata: metadata('{"k": "v"}') });
      await store.upload('gs://bk1/b.txt', 'x', { metadata: metadata('{"__proto__": "1"}') });

      await store.setCustomMetadata('gs://bk1/a.txt', metadata('{"__proto__": "2"}'));
      const added = await store.getMetadata('gs://bk1/a.txt');
      const uploaded = await store.getMetadata('gs://bk1/b.txt');

      expect(Object.keys(added.metadata).sort()).toEqual(['__proto__', 'k']);
      expect(Object.getOwnPropertyDescriptor(added.metadata, '__proto__')?.value).toBe('2');
      expect(Object.getOwnPropertyDescriptor(uploaded.metadata, '__proto__')?.value).toBe('1');
    });
  });
});
