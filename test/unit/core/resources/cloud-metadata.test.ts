import {
  cloudMetadataFromStoredObject,
  decodeCloudMetadataValue,
  decodeCustomMetadata,
  encodeCloudMetadata,
  readCloudMetadataPrimitive,
} from '../../../../src/core/resources/cloud-metadata';
import type { StoredObject } from '../../../../src/core/ports/object-store';
import { InvalidInputException } from '../../../../src/errors';

describe('Function: encodeCloudMetadata', () => {
  it('JSON-encodes each value exactly as Octue does', () => {
    // Expected values were produced by CPython: json.dumps(value, cls=OctueJSONEncoder).
    const encoded = encodeCloudMetadata({
      octue__id: 'a10603a0-194c-40d0-a7b7-fcf9952c3690',
      octue__timestamp: null,
      octue__tags: { a: 1, b: [1, 'é'] },
      octue__labels: new Set(['b', 'a']),
      octue__sdk_version: '0.69.0',
    });
    expect(encoded).toEqual({
      octue__id: '"a10603a0-194c-40d0-a7b7-fcf9952c3690"',
      octue__timestamp: 'null',
      octue__tags: '{"a": 1, "b": [1, "\\u00e9"]}',
      octue__labels: '{"_type": "set", "items": ["a", "b"]}',
      octue__sdk_version: '"0.69.0"',
    });
  });
});

describe('Function: decodeCustomMetadata', () => {
  it('decodes JSON values, tolerates non-JSON ones and strips the octue__ prefix', () => {
    expect(
      decodeCustomMetadata({
        octue__tags: '{"a": 1}',
        octue__labels: '{"_type": "set", "items": ["x"]}',
        octue__timestamp: '{"_type": "datetime", "value": "2021-01-01T00:00:00+00:00"}',
        other: 'plain text, not JSON',
      }),
    ).toEqual({
      tags: { a: 1 },
      labels: new Set(['x']),
      timestamp: new Date(Date.UTC(2021, 0, 1)),
      other: 'plain text, not JSON',
    });
  });
});

describe('Function: decodeCloudMetadataValue', () => {
  it.each([
    ['"quoted"', 'quoted'],
    ['12', 12],
    ['unquoted', 'unquoted'],
  ])('decodes %s', (input, expected) => {
    expect(decodeCloudMetadataValue(input)).toEqual(expected);
  });
});

describe('Function: cloudMetadataFromStoredObject', () => {
  it("builds Octue's _cloud_metadata shape", () => {
    const object: StoredObject = {
      location: 'gs://b/a.txt',
      bucket: 'b',
      name: 'a.txt',
      size: 5,
      crc32c: 'mnG7TA==',
      generation: '1',
      metageneration: '1',
      contentType: 'text/plain',
      timeCreated: '2021-01-01T00:00:00.000Z',
      updated: '2021-01-02T00:00:00.000Z',
      metadata: { octue__tags: '{"a": 1}' },
    };
    expect(cloudMetadataFromStoredObject(object)).toEqual({
      custom_metadata: { tags: { a: 1 } },
      crc32c: 'mnG7TA==',
      size: 5,
      updated: new Date('2021-01-02T00:00:00.000Z'),
      time_created: new Date('2021-01-01T00:00:00.000Z'),
      time_deleted: null,
      custom_time: null,
    });
  });
});

describe('Function: readCloudMetadataPrimitive', () => {
  it('reads encoded dates and treats {} as nothing known', () => {
    expect(readCloudMetadataPrimitive({})).toBeNull();
    expect(readCloudMetadataPrimitive(undefined)).toBeNull();
    const record = readCloudMetadataPrimitive({
      custom_metadata: { id: 'x' },
      crc32c: 'AAAAAA==',
      size: 0,
      updated: { _type: 'datetime', value: '2021-01-01T00:00:00+00:00' },
    });
    expect(record?.updated).toEqual(new Date(Date.UTC(2021, 0, 1)));
    expect(record?.crc32c).toBe('AAAAAA==');
  });

  it('throws InvalidInputException for a non-object', () => {
    expect(() => readCloudMetadataPrimitive('x')).toThrow(InvalidInputException);
  });
});
