import { SqlHubStore } from '../../../src/hub/store/hub-store';
import { HUB_ENGINES, openTestHubDatabase } from '../../helpers/hub-databases';
import type { TestHubDatabase } from '../../helpers/hub-databases';
import { serveHubApi } from '../../helpers/hub-http';
import type { RunningHubApi } from '../../helpers/hub-http';

describe.each(HUB_ENGINES)("REST API: Octue's service registry (on %s)", (engine) => {
  let test: TestHubDatabase;
  let api: RunningHubApi;
  let nodeId: string;
  const revisionIds = new Map<string, string>();

  beforeAll(async () => {
    test = await openTestHubDatabase(engine);
    api = await serveHubApi(new SqlHubStore(test.database));
    const realm = (await api.request('POST', '/realms', { name: 'acme' })).body.data;
    nodeId = (await api.request('POST', '/nodes', { name: 'csv-stats', realmId: realm.id })).body.data.id;
    await api.request('POST', '/nodes', { name: 'no-default', realmId: realm.id });
    for (const tag of ['1.0.0', '2.0.0', 'old_TAG']) {
      const created = await api.request('POST', '/node-revisions', { nodeId, tag });
      expect(created.status).toBe(201);
      revisionIds.set(tag, created.body.data.id);
    }
    const defaulted = await api.request('POST', `/nodes/${nodeId}`, { defaultRevisionTag: '2.0.0' });
    expect(defaulted.body.data.defaultRevisionTag).toBe('2.0.0');
  });

  afterAll(async () => {
    await api.stop();
    await test.dispose();
  });

  it.each([
    ['/registry/acme/csv-stats', 200, { revision_tag: '2.0.0' }],
    ['/registry/acme/csv-stats?revision_tag=1.0.0', 200, { revision_tag: '1.0.0' }],
    ['/registry/acme/csv-stats?revision_tag=3.0.0', 404, expect.objectContaining({ code: 'entity_not_found' })],
    ['/registry/acme/no-default', 404, expect.objectContaining({ code: 'entity_not_found' })],
    ['/registry/acme/unknown', 404, expect.objectContaining({ code: 'entity_not_found' })],
    ['/registry/other/csv-stats', 404, expect.objectContaining({ code: 'entity_not_found' })],
    ['/registry/acme/csv-stats?tag=1.0.0', 400, expect.objectContaining({ code: 'keyNotAllowed' })],
    [
      '/registry/acme/csv-stats?revision_tag=1.0.0&revision_tag=2.0.0',
      400,
      expect.objectContaining({ code: 'keyNotAllowed' }),
    ],
    ['/registry/acme/csv-stats?revision_tag=__proto__', 400, expect.objectContaining({ code: 'keyNotAllowed' })],
  ])('GET %s answers %s', async (path, status, body) => {
    const response = await api.request('GET', path);
    expect(response.status).toBe(status);
    expect(response.body).toEqual(body);
  });

  it('lists revisions with their node', async () => {
    const response = await api.request('GET', `/node-revisions?filter[nodeId]=${nodeId}&sort=tag&include=node`);
    expect(response.body.data.map((revision: { tag: string }) => revision.tag)).toEqual(['1.0.0', '2.0.0', 'old_TAG']);
    expect(response.body.data[0].node).toMatchObject({ id: nodeId, defaultRevisionTag: '2.0.0' });
  });

  it.each([
    ['an unregistered tag', '9.9.9'],
    ['a malformed tag', '1.0.0-'],
  ])('refuses %s as the default revision (400), changing nothing', async (_case, tag) => {
    const response = await api.request('POST', `/nodes/${nodeId}`, { defaultRevisionTag: tag });
    expect(response.body).toMatchObject({ statusCode: 400 });
    expect((await api.request('GET', '/registry/acme/csv-stats')).body).toEqual({ revision_tag: '2.0.0' });
  });

  it('refuses to delete the default revision (409), and deletes another (202)', async () => {
    const refused = await api.request('DELETE', `/node-revisions/${revisionIds.get('2.0.0')}`);
    const deleted = await api.request('DELETE', `/node-revisions/${revisionIds.get('old_TAG')}`);
    expect(refused.body).toMatchObject({ statusCode: 409, code: 'entity_in_use' });
    expect(deleted).toMatchObject({ status: 202, body: { data: { tag: 'old_TAG' } } });
    expect((await api.request('GET', '/registry/acme/csv-stats?revision_tag=old_TAG')).status).toBe(404);
    expect((await api.request('GET', '/registry/acme/csv-stats')).body).toEqual({ revision_tag: '2.0.0' });
  });

  it('refuses a repeated revision (409)', async () => {
    const response = await api.request('POST', '/node-revisions', { nodeId, tag: '1.0.0' });
    expect(response.body).toMatchObject({ statusCode: 409, code: 'entity_already_exists' });
  });

  it('deletes a service with its revisions, default included (the last test: it removes the service)', async () => {
    const deleted = await api.request('DELETE', `/nodes/${nodeId}`);
    expect(deleted).toMatchObject({ status: 202, body: { data: { id: nodeId, defaultRevisionTag: '2.0.0' } } });
    expect((await api.request('GET', `/node-revisions?filter[nodeId]=${nodeId}`)).body.meta.total).toBe(0);
    expect((await api.request('GET', '/registry/acme/csv-stats')).status).toBe(404);
  });
});
