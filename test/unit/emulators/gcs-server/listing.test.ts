import type { ListingOptions } from '../../../../src/emulators/gcs-server/listing';
import { listPage } from '../../../../src/emulators/gcs-server/listing';
import type { ObjectRecord } from '../../../../src/emulators/gcs-server/types';

const names = ['a', 'd/1', 'd/2', 'd/s/3', 'd/s/4', 'd/t/5', 'e'];
const records = names.map((name) => ({ name }) as ObjectRecord);

/** Follows nextPageToken to the end, returning items and prefixes in page order and the page count. */
function listAll(options: ListingOptions): { entries: string[]; pages: number } {
  const entries: string[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const page = listPage(records, { ...options, pageToken });
    entries.push(...page.items.map((r) => r.name), ...page.prefixes);
    pageToken = page.nextPageToken;
    pages += 1;
  } while (pageToken);
  return { entries, pages };
}

describe('Function: listPage', () => {
  it.each([
    [{}, names],
    [{ prefix: 'd/s/' }, ['d/s/3', 'd/s/4']],
    [{ delimiter: '/' }, ['a', 'e', 'd/']],
    [{ prefix: 'd/', delimiter: '/' }, ['d/1', 'd/2', 'd/s/', 'd/t/']],
    [{ startOffset: 'd/2', endOffset: 'd/t' }, ['d/2', 'd/s/3', 'd/s/4']],
    [{ prefix: 'zzz' }, []],
  ])('lists %j as %j', (options, expected) => {
    const page = listPage(records, options);
    expect([...page.items.map((r) => r.name), ...page.prefixes]).toEqual(expected);
    expect(page.nextPageToken).toBeUndefined();
  });

  it.each([[1], [2], [3], [6], [7]])('pages items with maxResults=%i, without repeats or gaps', (maxResults) => {
    const { entries, pages } = listAll({ maxResults });
    expect(entries).toEqual(names);
    expect(pages).toBe(Math.ceil(names.length / maxResults));
  });

  it.each([[1], [2], [3]])('pages prefixes and items together with maxResults=%i', (maxResults) => {
    const { entries } = listAll({ prefix: 'd/', delimiter: '/', maxResults });
    expect(entries.sort()).toEqual(['d/1', 'd/2', 'd/s/', 'd/t/']);
  });

  it('counts prefixes towards maxResults', () => {
    const page = listPage(records, { delimiter: '/', maxResults: 2 });
    expect([...page.items.map((r) => r.name), ...page.prefixes]).toEqual(['a', 'd/']);
    expect(page.nextPageToken).toBeDefined();
  });

  it.each([['not base64 json!'], [Buffer.from('{"a":1}').toString('base64url')]])(
    'throws 400 for the page token %s',
    (pageToken) => {
      expect(() => listPage(records, { pageToken })).toThrow(expect.objectContaining({ status: 400 }));
    },
  );

  it.each([[0], [-1], [1.5]])('throws 400 for maxResults=%d', (maxResults) => {
    expect(() => listPage(records, { maxResults })).toThrow(expect.objectContaining({ status: 400 }));
  });
});
