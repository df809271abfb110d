import { promises as fs } from 'node:fs';
import path from 'node:path';

import {
  LocalMetadataCache,
  encodeLocalMetadata,
  localMetadataPath,
  readLocalMetadataFile,
  updateLocalMetadataFile,
} from '../../../../src/core/resources/local-metadata';
import { InvalidInputException } from '../../../../src/errors';
import type { Sandbox } from './helpers';
import { createSandbox } from './helpers';

// Written by CPython: json.dump(records, f, cls=OctueJSONEncoder, indent=4); f.write("\n")
const OCTUE_WRITTEN =
  '{\n    "dataset": {\n        "id": "5eb88462-7295-4a8e-90de-82bdf3241903",\n        "name": "ds",\n        "tags": {\n' +
  '            "some": "metadata"\n        },\n        "labels": [\n            "x"\n        ],\n        "path": "/tmp/ds"\n' +
  '    },\n    "datafiles": {\n        "my_file.txt": {\n            "id": "a10603a0-194c-40d0-a7b7-fcf9952c3690",\n' +
  '            "timestamp": {\n                "_type": "datetime",\n                "value": "2021-01-01T00:00:00+00:00"\n' +
  '            },\n            "tags": {\n                "a": 1\n            },\n            "labels": {\n' +
  '                "_type": "set",\n                "items": [\n                    "a",\n                    "b"\n' +
  '                ]\n            },\n            "sdk_version": "0.69.0"\n        }\n    }\n}\n';

const RECORDS = {
  dataset: {
    id: '5eb88462-7295-4a8e-90de-82bdf3241903',
    name: 'ds',
    tags: { some: 'metadata' },
    labels: ['x'],
    path: '/tmp/ds',
  },
  datafiles: {
    'my_file.txt': {
      id: 'a10603a0-194c-40d0-a7b7-fcf9952c3690',
      timestamp: new Date(Date.UTC(2021, 0, 1)),
      tags: { a: 1 },
      labels: new Set(['b', 'a']),
      sdk_version: '0.69.0',
    },
  },
};

describe('Module: local-metadata', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await createSandbox();
  });
  afterEach(() => sandbox.cleanup());

  describe('Function: encodeLocalMetadata', () => {
    it('writes exactly what Octue writes', () => {
      expect(encodeLocalMetadata(RECORDS)).toBe(OCTUE_WRITTEN);
    });
  });

  describe('Function: readLocalMetadataFile', () => {
    it('reads a file Octue wrote, decoding sets and datetimes', async () => {
      const filePath = await sandbox.write('.octue', OCTUE_WRITTEN);
      const records = await readLocalMetadataFile(filePath);
      expect(records).toEqual({
        ...RECORDS,
        datafiles: { 'my_file.txt': { ...RECORDS.datafiles['my_file.txt'], labels: new Set(['a', 'b']) } },
      });
    });

    it('returns no records when the file does not exist', async () => {
      await expect(readLocalMetadataFile(path.join(sandbox.dir, '.octue'))).resolves.toEqual({});
    });

    it.each([
      ['not JSON', '{oops'],
      ['not an object', '[1, 2]'],
    ])('throws InvalidInputException naming the file when it is %s', async (_label, contents) => {
      const filePath = await sandbox.write('.octue', contents);
      await expect(readLocalMetadataFile(filePath)).rejects.toThrow(InvalidInputException);
      await expect(readLocalMetadataFile(filePath)).rejects.toThrow(filePath);
    });
  });

  describe('Function: updateLocalMetadataFile', () => {
    it('creates the directory and file, and keeps records it does not touch', async () => {
      const filePath = localMetadataPath(path.join(sandbox.dir, 'new', 'dir'));
      await updateLocalMetadataFile(filePath, (records) => {
        records.dataset = RECORDS.dataset;
      });
      await updateLocalMetadataFile(filePath, (records) => {
        records.datafiles = RECORDS.datafiles;
      });
      expect(await fs.readFile(filePath, 'utf8')).toBe(OCTUE_WRITTEN);
    });

    it('applies concurrent updates of one file one after another, losing none', async () => {
      const filePath = localMetadataPath(sandbox.dir);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          updateLocalMetadataFile(filePath, (records) => {
            records.datafiles = { ...(records.datafiles ?? {}), [`f${i}`]: { i } };
          }),
        ),
      );
      const records = await readLocalMetadataFile(filePath);
      expect(Object.keys(records.datafiles ?? {})).toHaveLength(20);
    });
  });

  describe('Class: LocalMetadataCache', () => {
    it('reads each directory once', async () => {
      const filePath = await sandbox.write('.octue', '{"dataset": {"name": "first"}}');
      const cache = new LocalMetadataCache();
      const first = await cache.read(sandbox.dir);
      await fs.writeFile(filePath, '{"dataset": {"name": "second"}}');
      expect(await cache.read(sandbox.dir)).toBe(first);
      expect(first.dataset?.name).toBe('first');
    });
  });
});
