import path from 'node:path';

import {
  cloudMetadataFromStoredObject,
  decodeCustomMetadata,
  readCloudMetadataPrimitive,
} from '../../../../src/core/resources/cloud-metadata';
import { Datafile } from '../../../../src/core/resources/datafile';
import { Dataset } from '../../../../src/core/resources/dataset';
import { readLocalMetadataFile } from '../../../../src/core/resources/local-metadata';
import { Manifest } from '../../../../src/core/resources/manifest';
import type { StoredObject } from '../../../../src/core/ports/object-store';
import {
  HOSTILE_KEYS_JSON,
  expectHostileKeysKeptAsData,
  objectPrototypePolluted,
} from '../../../helpers/prototype-keys';
import type { Sandbox } from './helpers';
import { createSandbox } from './helpers';

const ID = '5eb88462-7295-4a8e-90de-82bdf3241903';

describe('Resources: keys named __proto__, constructor and prototype in received JSON', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await createSandbox();
  });
  afterEach(async () => {
    await sandbox.cleanup();
    expect(objectPrototypePolluted()).toBe(false);
  });

  describe('Class: Manifest (serialised manifests)', () => {
    it('loads datasets keyed __proto__ and constructor as ordinary datasets, losing none', async () => {
      const first = path.dirname(await sandbox.write('first/a.txt', 'a'));
      const second = path.dirname(await sandbox.write('second/b.txt', 'b'));
      const file = await sandbox.write(
        'manifest.json',
        `{"id": "${ID}", "datasets": {"__proto__": ${JSON.stringify(first)}, ` +
          `"constructor": ${JSON.stringify(second)}}}`,
      );

      const manifest = await Manifest.fromFile(file);

      expect(Object.getPrototypeOf(manifest.datasets)).toBe(Object.prototype);
      expect(Object.keys(manifest.datasets).sort()).toEqual(['__proto__', 'constructor']);
      expect(Object.getOwnPropertyDescriptor(manifest.datasets, '__proto__')?.value).toBeInstanceOf(Dataset);
      expect(manifest.toPrimitive().datasets).toEqual(
        JSON.parse(`{"__proto__": ${JSON.stringify(first)}, "constructor": ${JSON.stringify(second)}}`),
      );
    });

    it('never takes a dataset primitive field from a prototype the sender chose', async () => {
      const directory = path.dirname(await sandbox.write('ds/a.txt', 'a'));

      const dataset = await Dataset.fromPrimitive(
        JSON.parse(`{"__proto__": {"name": "injected", "id": "${ID}"}, "path": ${JSON.stringify(directory)}}`),
      );

      expect(dataset.name).toBe('ds');
      expect(dataset.id).not.toBe(ID);
    });
  });

  describe('Function: readLocalMetadataFile (.octue files)', () => {
    it('keeps the keys as own data and never reads a record from them', async () => {
      const file = await sandbox.write(
        '.octue',
        `{"__proto__": {"dataset": {"id": "${ID}"}}, "datafiles": {"a.txt": {"tags": ${HOSTILE_KEYS_JSON}}}}`,
      );

      const records = await readLocalMetadataFile(file);

      expect(Object.getPrototypeOf(records)).toBe(Object.prototype);
      expect(records.dataset).toBeUndefined();
      expect(Object.keys(records).sort()).toEqual(['__proto__', 'datafiles']);
      expectHostileKeysKeptAsData(records.datafiles?.['a.txt']?.tags);
    });

    it('gives a datafile no metadata from a datafiles record hidden in __proto__', async () => {
      const file = await sandbox.write('a.txt', 'a');
      await sandbox.write('.octue', `{"datafiles": {"__proto__": {"a.txt": {"id": "${ID}", "tags": {"x": 1}}}}}`);

      const datafile = await Datafile.fromLocalFile(file);

      expect(datafile.id).not.toBe(ID);
      expect(datafile.tags.toPrimitive()).toEqual({});
    });
  });

  describe('Cloud metadata (GCS custom metadata and _cloud_metadata primitives)', () => {
    it('decodes custom metadata keys and values with the keys as own data', () => {
      const raw = JSON.parse(
        `{"__proto__": ${JSON.stringify(HOSTILE_KEYS_JSON)}, "octue__tags": ${JSON.stringify(HOSTILE_KEYS_JSON)}}`,
      ) as Record<string, string>;

      const decoded = decodeCustomMetadata(raw);

      expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
      expect(Object.keys(decoded).sort()).toEqual(['__proto__', 'tags']);
      expectHostileKeysKeptAsData(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value);
      expectHostileKeysKeptAsData(decoded.tags);
    });

    it('reads stored-object metadata with a __proto__ key as data', () => {
      const stored = {
        location: 'gs://b/o',
        metadata: JSON.parse(`{"__proto__": ${JSON.stringify(HOSTILE_KEYS_JSON)}}`) as Record<string, string>,
      } as unknown as StoredObject;

      const record = cloudMetadataFromStoredObject(stored);

      expect(Object.keys(record.custom_metadata)).toEqual(['__proto__']);
      expect((record.custom_metadata as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    });

    it('never takes a _cloud_metadata field from a prototype the sender chose', () => {
      const record = readCloudMetadataPrimitive(
        JSON.parse('{"__proto__": {"crc32c": "injected", "size": 1}, "custom_metadata": {}}'),
      );

      expect(record?.crc32c).toBeNull();
      expect(record?.size).toBeNull();
    });
  });
});
