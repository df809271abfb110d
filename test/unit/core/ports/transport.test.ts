import {
  assertPublishable,
  formatAttributeFilter,
  MAX_MESSAGE_BYTES,
  matchesAttributeFilter,
  messageSizeBytes,
  parseAttributeFilter,
} from '../../../../src/core/ports/transport';
import { EmptyMessage, MessageTooLarge, TransportError } from '../../../../src/errors';

describe('Function: parseAttributeFilter', () => {
  it.each([
    ['one condition', { recipient: 'acme/child:1.0.0' }],
    ['Octue’s child filter', { recipient: 'acme/child:1.0.0', sender_type: 'PARENT' }],
    ['values with quotes, backslashes and AND', { a: 'say "hi" AND \\ bye', b: '' }],
  ])('reads back what formatAttributeFilter wrote for %s', (_case, filter) => {
    expect(parseAttributeFilter(formatAttributeFilter(filter))).toEqual(filter);
  });

  it('reads a filter written by Octue with extra spaces', () => {
    expect(parseAttributeFilter('  attributes.recipient="a/b:c"   AND attributes.sender_type = "CHILD" ')).toEqual({
      recipient: 'a/b:c',
      sender_type: 'CHILD',
    });
  });

  it.each([[''], ['   ']])('returns undefined for the empty filter %j', (text) => {
    expect(parseAttributeFilter(text)).toBeUndefined();
  });

  it.each([
    ['hasPrefix', 'hasPrefix(attributes.kind, "q")'],
    ['OR', 'attributes.a = "1" OR attributes.b = "2"'],
    ['NOT', 'NOT attributes.a = "1"'],
    ['existence', 'attributes:a'],
    ['a trailing AND', 'attributes.a = "1" AND'],
    ['an unquoted value', 'attributes.a = 1'],
  ])('throws TransportError for %s, which cannot be applied on receipt', (_case, text) => {
    expect(() => parseAttributeFilter(text)).toThrow(TransportError);
    expect(() => parseAttributeFilter(text)).toThrow(/cannot be applied on receipt/);
  });
});

describe('Function: matchesAttributeFilter', () => {
  it.each([
    [{ a: '1', b: '2' }, { a: '1' }, true],
    [{ a: '1' }, { a: '1', b: '2' }, false],
    [{ a: '2' }, { a: '1' }, false],
    [{}, undefined, true],
  ])('matches %j against %j: %s', (attributes, filter, expected) => {
    expect(matchesAttributeFilter(attributes, filter)).toBe(expected);
  });
});

describe('Function: messageSizeBytes', () => {
  it('counts data, attribute keys and values and the ordering key in UTF-8 bytes', () => {
    expect(messageSizeBytes({ data: Buffer.from('abc'), attributes: { k: 'é' }, orderingKey: 'q1' })).toBe(
      3 + 1 + 2 + 2,
    );
  });
});

describe('Function: assertPublishable', () => {
  it('returns the size of an acceptable message', () => {
    expect(assertPublishable({ data: Buffer.from('{}'), attributes: {} })).toBe(2);
  });

  it('accepts a message of exactly the limit', () => {
    expect(assertPublishable({ data: Buffer.alloc(MAX_MESSAGE_BYTES), attributes: {} })).toBe(MAX_MESSAGE_BYTES);
  });

  it.each([
    ['empty data', Buffer.alloc(0)],
    ['data that is not a Buffer', 'text' as unknown as Buffer],
  ])('throws EmptyMessage for %s', (_case, data) => {
    expect(() => assertPublishable({ data, attributes: {} })).toThrow(EmptyMessage);
  });

  it('throws MessageTooLarge with the size and the limit for a message one byte over', () => {
    expect(() =>
      assertPublishable({ data: Buffer.alloc(MAX_MESSAGE_BYTES), attributes: {}, orderingKey: 'q' }),
    ).toThrow(
      expect.objectContaining({
        constructor: MessageTooLarge,
        sizeBytes: MAX_MESSAGE_BYTES + 1,
        limitBytes: MAX_MESSAGE_BYTES,
      }),
    );
  });
});
