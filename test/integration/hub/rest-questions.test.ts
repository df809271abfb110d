import { randomUUID } from 'node:crypto';

import { makeMonitorMessageEvent } from '../../../src/core/events';
import type { SqlHubStore } from '../../../src/hub/store/hub-store';
import { HUB_ENGINES } from '../../helpers/hub-databases';
import { conversation, failingResponses, typicalResponses } from '../../helpers/hub-events';
import type { EventDelivery } from '../../../src/hub/store/event-rows';
import { openTestHub } from '../../helpers/hub-http';
import type { RunningHubApi } from '../../helpers/hub-http';

describe.each(HUB_ENGINES)('REST API: questions (on %s)', (engine) => {
  let store: SqlHubStore;
  let api: RunningHubApi;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ store, api, stop } = await openTestHub(engine));
  });

  afterAll(() => stop());

  describe('Route: GET /question-events', () => {
    it("gets a question's events with Octue's get_events parameters", async () => {
      // Prepare
      const { questionUuid, deliveries } = conversation();
      await store.ingestEvents(deliveries);

      // Act
      const all = await api.request('GET', `/question-events?questionUuid=${questionUuid}`);
      const tail = await api.request(
        'GET',
        `/question-events?questionUuid=${questionUuid}&excludeKinds=log_record,heartbeat&limit=2&tail=true&includeBackendMetadata=true`,
      );

      // Assess
      expect(all.status).toBe(200);
      expect(all.body.data).toEqual(await store.getEvents({ questionUuid }));
      expect(tail.body.data.map((e: { event: { kind: string } }) => e.event.kind)).toEqual([
        'monitor_message',
        'result',
      ]);
      expect(tail.body.data[1]).toMatchObject({ backend: 'GoogleCloudPubSub', backend_metadata: expect.any(Object) });
    });

    it.each([
      ['', 'bad_request'],
      ['questionUuid=a&parentQuestionUuid=b', 'bad_request'],
      ['questionUuid=a&kinds=results', 'bad_request'],
      ['questionUuid=a&limit=0', 'bad_request'],
      ['questionUuid=a&limit=10001', 'bad_request'],
      ['questionUuid=a&tail=yes', 'bad_request'],
      ['questionUuid=a&questionUuid=b', 'bad_request'],
      ['questionUuid=a&kind=result', 'keyNotAllowed'],
      ['questionUuid=__proto__', 'keyNotAllowed'],
      ['__proto__=a', 'keyNotAllowed'],
    ])('refuses %s with 400 %s', async (query, code) => {
      const response = await api.request('GET', `/question-events?${query}`);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, code });
    });
  });

  describe('Route: GET /analysis-nodes/:id/answer', () => {
    it('answers the result of an asynchronous question once it is stored', async () => {
      // Prepare
      const { questionUuid, deliveries } = conversation({ responses: typicalResponses({ total: 3 }) });
      await store.ingestEvents(deliveries.slice(0, 2));

      // Act
      const early = await api.request('GET', `/analysis-nodes/${questionUuid}/answer`);
      await store.ingestEvents(deliveries);
      const later = await api.request('GET', `/analysis-nodes/${questionUuid}/answer`);

      // Assess
      expect(early.body).toEqual({ data: { questionUuid, status: 'running' }, meta: {} });
      expect(later.body).toEqual({
        data: { questionUuid, status: 'executed', outputValues: { total: 3 }, outputManifest: null },
        meta: {},
      });
    });

    it("answers a failed question's exception, and only the latest attempt's", async () => {
      // Prepare
      const failed = conversation({ responses: failingResponses('n must be > 0') });
      const retry = conversation({ questionUuid: failed.questionUuid, retryCount: 1, responses: [] });
      await store.ingestEvents(failed.deliveries);

      // Act
      const answer = await api.request('GET', `/analysis-nodes/${failed.questionUuid}/answer`);
      await store.ingestEvents(retry.deliveries);
      const retried = await api.request('GET', `/analysis-nodes/${failed.questionUuid}/answer`);

      // Assess
      expect(answer.body.data).toEqual({
        questionUuid: failed.questionUuid,
        status: 'failed',
        exception: { type: 'TypeError', message: expect.stringMatching(/n must be > 0/), traceback: expect.any(Array) },
      });
      expect(retried.body.data).toEqual({ questionUuid: failed.questionUuid, status: 'started' });
    });

    it('answers 404 for an unknown question and 400 for query parameters', async () => {
      const unknown = await api.request('GET', `/analysis-nodes/${randomUUID()}/answer`);
      const withQuery = await api.request('GET', `/analysis-nodes/${randomUUID()}/answer?__proto__=1`);
      expect(unknown.body).toMatchObject({ statusCode: 404, code: 'entity_not_found' });
      expect(withQuery.body).toMatchObject({ statusCode: 400, code: 'keyNotAllowed' });
    });
  });

  describe('Route: POST /ingest/pubsub', () => {
    const push = (delivery: EventDelivery) => ({
      message: {
        data: Buffer.from(JSON.stringify(delivery.event)).toString('base64'),
        attributes: delivery.attributes,
        messageId: delivery.backendMetadata?.messageId,
        publishTime: '2025-06-01T10:00:00Z',
      },
      subscription: 'projects/demo/subscriptions/hub',
    });

    it("stores pushed events once, in any order, and the asynchronous question's answer is fetched later", async () => {
      // Prepare
      const { questionUuid, deliveries } = conversation({ responses: typicalResponses({ total: 9 }) });
      const pushes = [...deliveries, ...deliveries].reverse().map(push);

      // Act
      const responses = await Promise.all(pushes.map((body) => api.request('POST', '/ingest/pubsub', body)));
      const answer = await api.request('GET', `/analysis-nodes/${questionUuid}/answer`);
      const replayed = await store.getAnswer(questionUuid);

      // Assess
      expect(responses.map((r) => r.status)).toEqual(pushes.map(() => 202));
      expect(responses.reduce((sum, r) => sum + r.body.data.stored, 0)).toBe(deliveries.length);
      expect(await store.getEvents({ questionUuid, includeBackendMetadata: true })).toHaveLength(deliveries.length);
      expect(answer.body.data).toMatchObject({ status: 'executed', outputValues: { total: 9 } });
      expect(replayed?.outputValues).toEqual({ total: 9 });
    });

    it('takes pushed events larger than other bodies may be', async () => {
      // Prepare: a monitor message of 1.5 MB, more than the 1 MiB any other body may have.
      const big = makeMonitorMessageEvent({ samples: 'x'.repeat(1_500_000) });
      const { questionUuid, deliveries } = conversation({ responses: [big] });

      // Act
      const pushed = await api.request('POST', '/ingest/pubsub', push(deliveries[1]!));
      const other = await api.request('POST', '/realms', { name: 'big', description: 'x'.repeat(1_500_000) });

      // Assess
      expect(pushed).toMatchObject({ status: 202, body: { data: { stored: 1 } } });
      expect(await store.getEvents({ questionUuid, kinds: ['monitor_message'] })).toHaveLength(1);
      expect(other.status).toBe(413);
    });

    it.each([
      ['data that is not JSON', Buffer.from('{').toString('base64')],
      ['an event of no known kind', Buffer.from('{"kind": "gossip"}').toString('base64')],
    ])('acknowledges %s (202), refusing it, so Pub/Sub does not deliver it for ever', async (_case, data) => {
      const { deliveries } = conversation({ responses: [] });
      const body = { message: { data, attributes: deliveries[0]?.attributes } };
      const response = await api.request('POST', '/ingest/pubsub', body);
      expect(response.status).toBe(202);
      expect(response.body.data).toMatchObject({ stored: 0, rejected: [{ index: 0, reason: expect.any(String) }] });
    });

    it.each([
      ['no message', { subscription: 'x' }],
      ['data that is not base64', { message: { data: 'not base64!' } }],
      ['no data', { message: { attributes: {} } }],
      ['attributes that are not strings', { message: { data: 'e30=', attributes: { retry_count: 0 } } }],
    ])('refuses a push with %s (400)', async (_case, body) => {
      const response = await api.request('POST', '/ingest/pubsub', body);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'bad_request' });
    });
  });
});
