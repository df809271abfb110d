import { normaliseId, normaliseTimestamp, shapeMetadata } from '../../../../src/core/resources/resource-values';
import { InvalidInputException } from '../../../../src/errors';

describe('Function: normaliseId', () => {
  it('generates a UUID v4 when none is given', () => {
    expect(normaliseId(undefined)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(normaliseId(null)).not.toBe(normaliseId(null));
  });

  it.each([
    'a10603a0-194c-40d0-a7b7-fcf9952c3690',
    'A10603A0-194C-40D0-A7B7-FCF9952C3690',
    '{a10603a0-194c-40d0-a7b7-fcf9952c3690}',
    'urn:uuid:a10603a0-194c-40d0-a7b7-fcf9952c3690',
    'a10603a0194c40d0a7b7fcf9952c3690',
  ])('reads %s as the canonical UUID', (id) => {
    expect(normaliseId(id)).toBe('a10603a0-194c-40d0-a7b7-fcf9952c3690');
  });

  it.each([['not_a_uuid'], [''], ['a10603a0-194c-40d0-a7b7-fcf9952c369'], [42]])('throws for %p', (id) => {
    expect(() => normaliseId(id)).toThrow(InvalidInputException);
  });
});

describe('Function: normaliseTimestamp', () => {
  it.each([
    ['a Date', new Date(Date.UTC(2020, 0, 1)), '2020-01-01T00:00:00.000Z'],
    ['POSIX seconds', 0, '1970-01-01T00:00:00.000Z'],
    ['fractional POSIX seconds', 1.5, '1970-01-01T00:00:01.500Z'],
    ['an ISO string', '2020-01-01T00:00:00+00:00', '2020-01-01T00:00:00.000Z'],
    ['an Octue datetime object', { _type: 'datetime', value: '2020-01-01T01:00:00+01:00' }, '2020-01-01T00:00:00.000Z'],
  ])('reads %s', (_label, value, expected) => {
    expect(normaliseTimestamp(value)?.toISOString()).toBe(expected);
  });

  it('reads null and undefined as no timestamp', () => {
    expect(normaliseTimestamp(null)).toBeNull();
    expect(normaliseTimestamp(undefined)).toBeNull();
  });

  it.each([
    ['a boolean', true],
    ['an object', { a: 1 }],
    ['NaN', Number.NaN],
    ['a bad string', 'soon'],
  ])('throws InvalidInputException for %s', (_label, value) => {
    expect(() => normaliseTimestamp(value)).toThrow(InvalidInputException);
  });
});

describe('Function: shapeMetadata', () => {
  const metadata = { id: 'x', tags: {}, sdk_version: '1' };

  it('prefixes keys with octue__ by default', () => {
    expect(shapeMetadata(metadata, {})).toEqual({ octue__id: 'x', octue__tags: {}, octue__sdk_version: '1' });
  });

  it('drops id and sdk_version on request and can skip the prefix', () => {
    expect(shapeMetadata(metadata, { includeId: false, includeSdkVersion: false, useOctueNamespace: false })).toEqual({
      tags: {},
    });
  });
});
