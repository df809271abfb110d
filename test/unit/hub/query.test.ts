import { HubRequestError } from '../../../src/errors';
import { parseListQuery } from '../../../src/hub/api/query';
import { HUB_RESOURCES } from '../../../src/hub/api/resources';

const realms = HUB_RESOURCES.realms!;
const events = HUB_RESOURCES.events!;
const nodes = HUB_RESOURCES.nodes!;
const ID = '7f1c2b9e-3a4d-4e5f-8a9b-0c1d2e3f4a5b';

describe('Function: parseListQuery', () => {
  it.each([
    ['a', { op: 'eq', value: 'a' }],
    ['!a', { op: 'neq', value: 'a' }],
    ['<a', { op: 'lt', value: 'a' }],
    ['<=a', { op: 'le', value: 'a' }],
    ['>a', { op: 'gt', value: 'a' }],
    ['>=a', { op: 'ge', value: 'a' }],
    ['~a~', { op: 'contains', value: 'a' }],
    ['a~', { op: 'startsWith', value: 'a' }],
    ['~a', { op: 'endsWith', value: 'a' }],
    ['a,b', { op: 'in', values: ['a', 'b'] }],
    ['!a,b', { op: 'notIn', values: ['a', 'b'] }],
    ['null', { op: 'isNull' }],
    ['!null', { op: 'isNotNull' }],
    ['~', { op: 'eq', value: '~' }],
  ])('reads the filter value %s', (value, condition) => {
    const query = parseListQuery(realms, new URLSearchParams({ 'filter[name]': value }));
    expect(query.filters).toEqual([{ field: 'name', condition }]);
  });

  it('types filter values by field', () => {
    const query = parseListQuery(
      nodes,
      `filter[hidden]=false&filter[realmId]=${ID.toUpperCase()}&filter[createdAt]=>2025-06-01T10:00:00%2B02:00`,
    );
    expect(query.filters).toEqual([
      { field: 'hidden', condition: { op: 'eq', value: false } },
      { field: 'realmId', condition: { op: 'eq', value: ID } },
      { field: 'createdAt', condition: { op: 'gt', value: '2025-06-01T08:00:00.000Z' } },
    ]);
  });

  it('pages 50 records from the start by default, and never more than 50', () => {
    expect(parseListQuery(realms, '')).toMatchObject({ limit: 50, offset: 0, sort: [], include: [] });
    expect(parseListQuery(realms, 'page[limit]=500&page[offset]=7')).toMatchObject({ limit: 50, offset: 7 });
    expect(parseListQuery(realms, 'page[limit]=3')).toMatchObject({ limit: 3 });
  });

  it('reads sort keys and directions', () => {
    expect(parseListQuery(realms, 'sort=-name,createdAt').sort).toEqual([
      { field: 'name', direction: 'desc' },
      { field: 'createdAt', direction: 'asc' },
    ]);
  });

  it.each([
    [undefined, ['id', 'datetime', 'kind']],
    ['%2Bbackend', ['id', 'datetime', 'kind', 'backend']],
    ['kind', ['id', 'kind']],
    ['-kind', ['id', 'datetime']],
  ])('chooses fields with %s', (fields, included) => {
    const query = parseListQuery(events, fields === undefined ? '' : `fields=${fields}`);
    expect(query.fields).toEqual(expect.arrayContaining(included));
    expect(query.fields.includes('backendMetadata')).toBe(false);
    if (fields === 'kind') expect(query.fields).toEqual(['id', 'kind']);
    if (fields === '-kind') expect(query.fields).not.toContain('kind');
  });

  it('takes only fields and include for single records', () => {
    expect(parseListQuery(nodes, 'include=realm&fields=name', { list: false })).toMatchObject({
      include: ['realm'],
      fields: ['id', 'name'],
    });
    expect(() => parseListQuery(nodes, 'sort=name', { list: false })).toThrow(HubRequestError);
  });

  it('lists every problem of a query, with its path', () => {
    let error: HubRequestError | undefined;
    try {
      parseListQuery(realms, 'filter[nope]=1&sort=__proto__&page[limit]=x');
    } catch (caught) {
      error = caught as HubRequestError;
    }
    expect(error).toMatchObject({ statusCode: 400, code: 'keyNotAllowed' });
    expect(error?.issues).toEqual([
      { path: ['filter', 'nope'], code: 'keyNotAllowed', message: expect.any(String) },
      { path: ['sort'], code: 'keyNotAllowed', message: expect.any(String) },
      { path: ['page', 'limit'], code: 'invalid_value', message: expect.any(String) },
    ]);
  });

  it.each(['filter[name]=a%00b', `filter[name]=${'x,'.repeat(100)}x`, 'filter[hidden]=~true~'])(
    'refuses the malformed value %s',
    (search) => {
      expect(() => parseListQuery(nodes, search)).toThrow(expect.objectContaining({ code: 'bad_request' }));
    },
  );
});
