import { parseContentRange, parseRangeHeader } from '../../../../src/emulators/gcs-server/ranges';

describe('Function: parseRangeHeader', () => {
  it.each([
    ['bytes=0-9', 100, { start: 0, end: 9 }],
    ['bytes=90-', 100, { start: 90, end: 99 }],
    ['bytes=95-200', 100, { start: 95, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=-500', 100, { start: 0, end: 99 }],
    ['bytes=100-', 100, 'unsatisfiable'],
    ['bytes=-0', 100, 'unsatisfiable'],
    [undefined, 100, undefined],
    ['bytes=5-2', 100, undefined],
    ['bytes=0-1,5-6', 100, undefined],
    ['items=0-1', 100, undefined],
    ['bytes=0-9', 0, undefined],
  ] as const)('parses %s against size %i as %j', (header, size, expected) => {
    expect(parseRangeHeader(header, size)).toEqual(expected);
  });
});

describe('Function: parseContentRange', () => {
  it.each([
    ['bytes 0-9/*', { kind: 'data', start: 0, end: 9, total: undefined }],
    ['bytes 10-19/20', { kind: 'data', start: 10, end: 19, total: 20 }],
    ['bytes 0-*/*', { kind: 'data', start: 0, end: undefined, total: undefined }],
    ['bytes 5-*/100', { kind: 'data', start: 5, end: undefined, total: 100 }],
    ['bytes 0--1/0', { kind: 'data', start: 0, end: -1, total: 0 }],
    ['bytes */*', { kind: 'query', total: undefined }],
    ['bytes */42', { kind: 'query', total: 42 }],
  ])('parses %s', (header, expected) => {
    expect(parseContentRange(header)).toEqual(expected);
  });

  it.each([['bytes 0-9'], ['bytes 9-0/*'], ['bytes 0-19/10'], ['items 0-1/2'], ['bytes a-b/*'], ['']])(
    'throws a 400 GcsApiError for %j',
    (header) => {
      expect(() => parseContentRange(header)).toThrow(expect.objectContaining({ status: 400, reason: 'invalid' }));
    },
  );
});
