import { randomUUID } from 'node:crypto';

import { SqlHubStore } from '../../../src/hub/store/hub-store';
import { HUB_ENGINES, openTestHubDatabase } from '../../helpers/hub-databases';
import { conversation } from '../../helpers/hub-events';
import { openTestHub, serveHubApi } from '../../helpers/hub-http';
import type { RunningHubApi } from '../../helpers/hub-http';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(HUB_ENGINES)('REST API: resources (on %s)', (engine) => {
  let store: SqlHubStore;
  let api: RunningHubApi;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ store, api, stop } = await openTestHub(engine, 2048));
  });

  afterAll(() => stop());

  const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

  describe('Verbs', () => {
    it('creates (201), gets, updates (202, POST) and deletes (202, with the record) a realm', async () => {
      // Act
      const created = await api.request('POST', '/realms', { name: unique('acme'), description: 'Acme' });
      const id = created.body.data.id as string;
      const got = await api.request('GET', `/realms/${id}`);
      const updated = await api.request('POST', `/realms/${id}`, { displayName: 'ACME' });
      const deleted = await api.request('DELETE', `/realms/${id}`);
      const gone = await api.request('GET', `/realms/${id}`);

      // Assess
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        data: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          name: expect.stringMatching(/^acme-/),
          displayName: null,
          description: 'Acme',
          createdAt: expect.stringMatching(TIMESTAMP),
          updatedAt: expect.stringMatching(TIMESTAMP),
        },
        meta: {},
      });
      expect(got).toEqual({ status: 200, body: { data: created.body.data, meta: {} } });
      expect(updated.status).toBe(202);
      expect(updated.body.data).toMatchObject({ id, displayName: 'ACME', description: 'Acme' });
      expect(deleted).toEqual({ status: 202, body: { data: updated.body.data, meta: {} } });
      expect(gone.status).toBe(404);
      expect(gone.body).toMatchObject({ statusCode: 404, code: 'entity_not_found', issues: [] });
    });

    it('answers 404 entity_not_found for a missing or malformed id, on every verb', async () => {
      for (const [method, body] of [
        ['GET', undefined],
        ['POST', { displayName: 'x' }],
        ['DELETE', undefined],
      ] as const) {
        for (const id of [randomUUID(), 'not-a-uuid']) {
          const response = await api.request(method, `/realms/${id}`, body);
          expect(response.status).toBe(404);
          expect(response.body.code).toBe('entity_not_found');
        }
      }
    });

    it('embeds related records with include, and limits fields with fields', async () => {
      // Prepare
      const realm = (await api.request('POST', '/realms', { name: unique('ns') })).body.data;
      const node = (await api.request('POST', '/nodes', { name: 'csv-stats', realmId: realm.id })).body.data;
      const project = (await api.request('POST', '/projects', { name: 'P', realmId: realm.id })).body.data;
      const link = await api.request('POST', '/project-nodes', { projectId: project.id, nodeId: node.id });

      // Act
      const withRealm = await api.request('GET', `/nodes/${node.id}?include=realm`);
      const narrow = await api.request(
        'GET',
        `/project-nodes?filter[id]=${link.body.data.id}&fields=comment&include=node,project`,
      );

      // Assess
      expect(link.status).toBe(201);
      expect(withRealm.body.data).toEqual({ ...node, realm });
      expect(narrow.body.data).toEqual([{ id: link.body.data.id, comment: null, node, project }]);
    });

    it('refuses a dangling reference (400) and a repeated unique value (409)', async () => {
      const realm = (await api.request('POST', '/realms', { name: unique('dup') })).body.data;
      const dangling = await api.request('POST', '/nodes', { name: 'a', realmId: randomUUID() });
      await api.request('POST', '/nodes', { name: 'twin', realmId: realm.id });
      const twin = await api.request('POST', '/nodes', { name: 'twin', realmId: realm.id });
      expect(dangling.status).toBe(400);
      expect(twin).toMatchObject({ status: 409, body: { statusCode: 409, code: 'entity_already_exists' } });
    });

    it('answers 400 for a path that is not valid percent-encoding', async () => {
      const response = await api.request('GET', '/realms/%E0%A4%A');
      expect(response).toMatchObject({ status: 400, body: { statusCode: 400, code: 'bad_request' } });
    });

    it('answers 405 for a verb a resource does not have, and 404 for an unknown path', async () => {
      expect((await api.request('POST', '/events', {})).status).toBe(405);
      expect((await api.request('DELETE', `/analysis-nodes/${randomUUID()}`)).status).toBe(405);
      expect((await api.request('GET', '/registries')).body).toMatchObject({ statusCode: 404, code: 'not_found' });
    });
  });

  describe('Bodies', () => {
    it.each([
      ['malformed JSON', '{"name": ', 400, 'bad_request'],
      ['a wrong type', { name: 5 }, 400, 'bad_request'],
      ['a missing field', { description: 'x' }, 400, 'bad_request'],
      ['an unknown field', { name: 'ok', colour: 'red' }, 400, 'bad_request'],
      ['a __proto__ key', '{"name": "ok", "__proto__": {"admin": true}}', 400, 'bad_request'],
      ['an array', [{ name: 'ok' }], 400, 'bad_request'],
      ['an oversized body', { name: 'ok', description: 'x'.repeat(4096) }, 413, 'payload_too_large'],
    ])('refuses %s with %s and changes nothing', async (_case, body, status, code) => {
      // Prepare
      const before = (await api.request('GET', '/realms?page[limit]=1')).body.meta.total;

      // Act
      const response = await api.request('POST', '/realms', body);

      // Assess
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ statusCode: status, code, issues: expect.any(Array) });
      expect(response.body.issues.length).toBeGreaterThan(0);
      expect((await api.request('GET', '/realms?page[limit]=1')).body.meta.total).toBe(before);
    });

    it('refuses a body that is not JSON', async () => {
      const response = await api.request('POST', '/realms', 'name=x', { 'content-type': 'text/plain' });
      expect(response).toMatchObject({ status: 400, body: { code: 'bad_request' } });
    });
  });

  describe('Derived resources', () => {
    it('serves the analyses, analysis nodes, logs and events made from ingested events', async () => {
      // Prepare
      const { questionUuid, deliveries } = conversation();
      await store.ingestEvents(deliveries);

      // Act
      const analysis = await api.request('GET', `/analyses/${questionUuid}?include=project`);
      const nodes = await api.request('GET', `/analysis-nodes?filter[analysisId]=${questionUuid}&include=analysis`);
      const logs = await api.request('GET', `/analysis-logs?filter[analysisId]=${questionUuid}&sort=createdAt`);
      const events = await api.request('GET', `/events?filter[questionUuid]=${questionUuid}&fields=+backend`);
      const renamed = await api.request('POST', `/analyses/${questionUuid}`, { name: 'Run 1' });

      // Assess
      expect(analysis.body.data).toMatchObject({ id: questionUuid, status: 'executed', progress: 100, project: null });
      expect(nodes.body.data).toEqual([
        expect.objectContaining({
          id: questionUuid,
          status: 'executed',
          analysis: expect.objectContaining({ id: questionUuid }),
        }),
      ]);
      expect(logs.body.data.map((log: { kind: string }) => log.kind)).toEqual(['log_record', 'monitor_message']);
      expect(logs.body.data[0]).toMatchObject({ level: 'INFO', message: 'Started.' });
      expect(events.body).toMatchObject({ meta: { total: 6, limit: 50, offset: 0 } });
      expect(events.body.data[0]).toMatchObject({
        id: (deliveries[0]?.attributes as { uuid: string }).uuid,
        kind: 'question',
        datetime: (deliveries[0]?.attributes as { datetime: string }).datetime,
        backend: 'GoogleCloudPubSub',
      });
      expect(events.body.data[0]).not.toHaveProperty('backendMetadata');
      expect(renamed).toMatchObject({ status: 202, body: { data: { name: 'Run 1', status: 'executed' } } });
    });
  });

  describe('Failures of the Hub itself', () => {
    it('answers 500 without details, and hands the failure to onError', async () => {
      // Prepare: a store whose database has gone away.
      const broken = await openTestHubDatabase(engine);
      const failures: unknown[] = [];
      const server = await serveHubApi(new SqlHubStore(broken.database), undefined, (error) => failures.push(error));
      await broken.dispose();

      // Act
      const response = await server.request('GET', '/realms?filter[name]=alpha');
      await server.stop();

      // Assess
      expect(response).toEqual({
        status: 500,
        body: { statusCode: 500, code: 'internal_server_error', message: 'The Hub failed to answer.', issues: [] },
      });
      expect(failures).toEqual([expect.objectContaining({ name: 'HubStoreError', operation: 'list realms' })]);
    });
  });
});
