import { HUB_ENGINES } from '../../helpers/hub-databases';
import { openTestHub } from '../../helpers/hub-http';
import type { RunningHubApi } from '../../helpers/hub-http';

const REALMS: readonly [string, string | null][] = [
  ['alpha', 'first'],
  ['beta', null],
  ['beta-max', null],
  ['delta', 'has 100% juice'],
  ['gamma', 'third'],
];

describe.each(HUB_ENGINES)('REST API: list queries (on %s)', (engine) => {
  let api: RunningHubApi;
  let stop: () => Promise<void>;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    ({ api, stop } = await openTestHub(engine));
    for (const [name, description] of REALMS) {
      const created = await api.request('POST', '/realms', { name, description });
      ids.set(name, created.body.data.id);
    }
    const hidden = await api.request('POST', '/nodes', { name: 'secret', realmId: ids.get('alpha'), hidden: true });
    expect(hidden.status).toBe(201);
    await api.request('POST', '/nodes', { name: 'public', realmId: ids.get('alpha') });
  });

  afterAll(() => stop());

  const names = async (query: string): Promise<string[]> => {
    const response = await api.request('GET', `/realms?${query}`);
    expect(response.status).toBe(200);
    return (response.body.data as { name: string }[]).map((realm) => realm.name).sort();
  };

  describe('Filters', () => {
    it.each([
      ['filter[name]=alpha', ['alpha']],
      ['filter[name]=!alpha', ['beta', 'beta-max', 'delta', 'gamma']],
      ['filter[name]=<beta', ['alpha']],
      ['filter[name]=<=beta', ['alpha', 'beta']],
      ['filter[name]=>delta', ['gamma']],
      ['filter[name]=>=delta', ['delta', 'gamma']],
      ['filter[name]=~et~', ['beta', 'beta-max']],
      ['filter[name]=beta~', ['beta', 'beta-max']],
      ['filter[name]=~ta', ['beta', 'delta']],
      ['filter[name]=alpha,gamma', ['alpha', 'gamma']],
      ['filter[name]=!alpha,gamma', ['beta', 'beta-max', 'delta']],
      ['filter[description]=null', ['beta', 'beta-max']],
      ['filter[description]=!null', ['alpha', 'delta', 'gamma']],
      ['filter[name]=beta~&filter[description]=null', ['beta', 'beta-max']],
      ['filter[createdAt]=>2000-01-01T00:00:00Z', ['alpha', 'beta', 'beta-max', 'delta', 'gamma']],
      ['filter[createdAt]=<2000-01-01T00:00:00Z', []],
    ])('%s', async (query, expected) => {
      expect(await names(query)).toEqual(expected);
    });

    it('filters on uuids and booleans', async () => {
      expect(await names(`filter[id]=${ids.get('gamma')}`)).toEqual(['gamma']);
      const hidden = await api.request('GET', '/nodes?filter[hidden]=true');
      expect(hidden.body.data.map((node: { name: string }) => node.name)).toEqual(['secret']);
    });

    it.each([
      ["filter[name]=' or '1'='1", []],
      ["filter[name]=alpha'--", []],
      ['filter[name]=alpha;drop table realms', []],
      ['filter[description]=~%25~', ['delta']],
      ['filter[description]=~_~', []],
      ['filter[name]=~\\~', []],
    ])('treats SQL metacharacters as text: %s', async (query, expected) => {
      expect(await names(query.replace(/[';]/g, encodeURIComponent))).toEqual(expected);
      expect(await names('')).toHaveLength(REALMS.length);
    });
  });

  describe('Paging and sorting', () => {
    beforeAll(async () => {
      for (let index = 0; index < 55; index += 1) {
        await api.request('POST', '/realms', { name: `page-${String(index).padStart(2, '0')}` });
      }
    });

    it('serves 50 records by default, and clamps larger limits to 50', async () => {
      const first = await api.request('GET', '/realms?filter[name]=page-~');
      const clamped = await api.request('GET', '/realms?filter[name]=page-~&page[limit]=500');
      expect(first.body.data).toHaveLength(50);
      expect(first.body.meta).toEqual({ total: 55, limit: 50, offset: 0 });
      expect(clamped.body.data).toHaveLength(50);
      expect(clamped.body.meta).toEqual({ total: 55, limit: 50, offset: 0 });
    });

    it('pages through every record once, in the order asked for', async () => {
      const seen: string[] = [];
      for (let offset = 0; ; offset += 20) {
        const page = await api.request(
          'GET',
          `/realms?filter[name]=page-~&sort=-name&page[limit]=20&page[offset]=${offset}`,
        );
        if (page.body.data.length === 0) break;
        seen.push(...page.body.data.map((realm: { name: string }) => realm.name));
      }
      expect(seen).toHaveLength(55);
      expect(seen[0]).toBe('page-54');
      expect(seen).toEqual([...seen].sort().reverse());
    });

    it('sorts by several keys', async () => {
      const response = await api.request(
        'GET',
        '/realms?filter[name]=alpha,beta,beta-max,delta,gamma&sort=description,-name',
      );
      expect(response.body.data.map((realm: { name: string }) => realm.name)).toEqual([
        'alpha',
        'delta',
        'gamma',
        'beta-max',
        'beta',
      ]);
    });
  });

  describe('Stricter than the FLAME Hub', () => {
    it.each([
      ['filter[nope]=1', 'keyNotAllowed'],
      ['sort=nope', 'keyNotAllowed'],
      ['sort=name,name', 'keyNotAllowed'],
      ['fields=%2Bnope', 'keyNotAllowed'],
      ['include=nope', 'keyNotAllowed'],
      ['unknown=1', 'keyNotAllowed'],
      ['page[size]=1', 'keyNotAllowed'],
      ['filter[__proto__]=x', 'keyNotAllowed'],
      ['filter%5B__proto__%5D=x', 'keyNotAllowed'],
      ['filter[name]=__proto__', 'keyNotAllowed'],
      ['sort=__proto__', 'keyNotAllowed'],
      ['fields=%2B__proto__', 'keyNotAllowed'],
      ['include=__proto__', 'keyNotAllowed'],
      ['__proto__[polluted]=1', 'keyNotAllowed'],
      ['constructor=1', 'keyNotAllowed'],
      ['include=constructor', 'keyNotAllowed'],
      ['filter[constructor]=1', 'keyNotAllowed'],
      ['sort=-prototype', 'keyNotAllowed'],
      ['page[limit]=0', 'bad_request'],
      ['page[limit]=-1', 'bad_request'],
      ['page[offset]=x', 'bad_request'],
      ['filter[id]=not-a-uuid', 'bad_request'],
      ['filter[createdAt]=>yesterday', 'bad_request'],
      ['filter[id]=~abc~', 'bad_request'],
      ['filter[name]=a&filter[name]=b', 'bad_request'],
    ])('refuses %s with 400 %s', async (query, code) => {
      const response = await api.request('GET', `/realms?${query}`);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        statusCode: 400,
        code,
        issues: [expect.objectContaining({ code: expect.any(String) })],
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('refuses a disallowed key on a JSON field of events', async () => {
      const response = await api.request('GET', '/events?filter[event]=x');
      expect(response.body).toMatchObject({ statusCode: 400, code: 'keyNotAllowed' });
    });

    it.each([
      ['POST', { displayName: 'changed' }],
      ['DELETE', undefined],
    ])('changes nothing on %s with a hostile query', async (method, body) => {
      const id = ids.get('alpha') as string;
      const before = await api.request('GET', `/realms/${id}`);
      const response = await api.request(method, `/realms/${id}?filter[__proto__]=1`, body);
      expect(response.status).toBe(400);
      expect(await api.request('GET', `/realms/${id}`)).toEqual(before);
    });
  });
});
