import { randomUUID } from 'node:crypto';

import { makeResultEvent } from '../../../src/core/events';
import { HubRequestError } from '../../../src/errors';
import { SqlHubStore } from '../../../src/hub/store/hub-store';
import { HUB_ENGINES, openTestHubDatabase } from '../../helpers/hub-databases';
import type { TestHubDatabase } from '../../helpers/hub-databases';
import { CHILD_SRUID, PARENT_SRUID, conversation, failingResponses, typicalResponses } from '../../helpers/hub-events';

describe.each(HUB_ENGINES)('Class: SqlHubStore (events, on %s)', (engine) => {
  let test: TestHubDatabase;
  let store: SqlHubStore;

  beforeAll(async () => {
    test = await openTestHubDatabase(engine);
    store = new SqlHubStore(test.database);
  });

  afterAll(async () => {
    await test.dispose();
  });

  describe('Method: ingestEvents', () => {
    it('stores every event once and gives them back in order, in the recording format', async () => {
      // Prepare
      const { questionUuid, deliveries } = conversation();

      // Act
      const report = await store.ingestEvents(deliveries);
      const events = await store.getEvents({ questionUuid });

      // Assess
      expect(report).toEqual({ stored: 6, duplicates: 0, rejected: [] });
      expect(events.map((e) => e.event.kind)).toEqual([
        'question',
        'delivery_acknowledgement',
        'heartbeat',
        'log_record',
        'monitor_message',
        'result',
      ]);
      const [question, , , , monitor] = events;
      expect(question?.attributes).toMatchObject({
        question_uuid: questionUuid,
        sender: PARENT_SRUID,
        sender_type: 'PARENT',
        retry_count: 0,
        forward_logs: true,
        save_diagnostics: 'SAVE_DIAGNOSTICS_ON_CRASH',
      });
      expect(question?.attributes).not.toHaveProperty('parent_question_uuid');
      expect(question?.event).toEqual({ kind: 'question', input_values: { n: 5 } });
      expect(monitor?.event).toEqual({ kind: 'monitor_message', data: { progress: 0.5 } });
      expect(events.map((e) => e.attributes.datetime)).toEqual(
        deliveries.map((d) => (d.attributes as { datetime: string }).datetime),
      );
      expect(question).not.toHaveProperty('backend');
    });

    it('keeps microseconds and delivery details', async () => {
      // Prepare
      const { questionUuid, deliveries } = conversation({ responses: [] });
      const attributes = Object.assign({}, deliveries[0]?.attributes, { datetime: '2025-06-01T10:00:00.000001+00:00' });
      const delivery = {
        event: deliveries[0]?.event,
        attributes,
        backendMetadata: { messageId: 'm-1', orderingKey: 'k' },
      };

      // Act
      await store.ingestEvents([delivery]);
      const [stored] = await store.getEvents({ questionUuid, includeBackendMetadata: true });

      // Assess
      expect(stored?.attributes.datetime).toBe('2025-06-01T10:00:00.000001+00:00');
      expect(stored?.backend).toBe('GoogleCloudPubSub');
      expect(stored?.backend_metadata).toEqual({ message_id: 'm-1', ordering_key: 'k' });
    });

    it('stores 100 duplicate deliveries of a conversation once, and derives from it once', async () => {
      // Prepare
      const { questionUuid, deliveries } = conversation();

      // Act
      const reports = await Promise.all(Array.from({ length: 100 }, () => store.ingestEvents(deliveries)));
      const events = await store.getEvents({ questionUuid });
      const logs = await test.database.db
        .selectFrom('analysisLogs')
        .selectAll()
        .where('analysisNodeId', '=', questionUuid)
        .execute();

      // Assess
      expect(events).toHaveLength(deliveries.length);
      expect(reports.reduce((sum, r) => sum + r.stored, 0)).toBe(deliveries.length);
      expect(reports.reduce((sum, r) => sum + r.duplicates, 0)).toBe(99 * deliveries.length);
      expect(logs.map((log) => log.kind).sort()).toEqual(['log_record', 'monitor_message']);
    });

    it('stores an event repeated within one batch once', async () => {
      // Prepare
      const { questionUuid, deliveries } = conversation({ responses: [] });
      const batch = Array.from({ length: 100 }, () => deliveries[0]!);

      // Act
      const report = await store.ingestEvents(batch);

      // Assess
      expect(report).toEqual({ stored: 1, duplicates: 99, rejected: [] });
      expect(await store.getEvents({ questionUuid })).toHaveLength(1);
    });

    it('refuses invalid events and stores the rest of the batch', async () => {
      // Prepare
      const { questionUuid, deliveries } = conversation({ responses: [] });
      const invalid = { event: { kind: 'no-such-kind' }, attributes: deliveries[0]?.attributes };

      // Act
      const report = await store.ingestEvents([invalid, deliveries[0]!]);

      // Assess
      expect(report.stored).toBe(1);
      expect(report.rejected).toEqual([{ index: 0, reason: expect.any(String) }]);
      expect(await store.getEvents({ questionUuid })).toHaveLength(1);
    });

    it("stores text PostgreSQL cannot hold (NUL) and JSON's special keys as data", async () => {
      // Prepare
      const data = JSON.parse('{"__proto__": {"polluted": true}, "text": "a\\u0000b"}') as unknown;
      const { questionUuid, deliveries } = conversation({ responses: [makeResultEvent({ outputValues: data })] });

      // Act
      await store.ingestEvents(deliveries);
      const events = await store.getEvents({ questionUuid, kinds: ['result'] });

      // Assess
      const values = (events[0]?.event as { output_values: Record<string, unknown> }).output_values;
      // (PGlite's rows come from its thread, so their prototype is another realm's Object.prototype.)
      expect(Object.prototype.hasOwnProperty.call(values, '__proto__')).toBe(true);
      expect(values.polluted).toBeUndefined();
      expect(Object.keys(values)).toEqual(expect.arrayContaining(['__proto__', 'text']));
      expect(values.text).toBe('a\uFFFDb');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('Method: getEvents', () => {
    // One question tree: an originator question, which asks two sub-questions, one of which asks another.
    const root = conversation();
    const first = conversation({ parentQuestionUuid: root.questionUuid, originatorQuestionUuid: root.questionUuid });
    const second = conversation({ parentQuestionUuid: root.questionUuid, originatorQuestionUuid: root.questionUuid });
    const nested = conversation({ parentQuestionUuid: first.questionUuid, originatorQuestionUuid: root.questionUuid });
    const tree = [root, first, second, nested];

    beforeAll(async () => {
      await store.ingestEvents(tree.flatMap((c) => c.deliveries));
    });

    it('gets the events of the questions a question asked, not its own', async () => {
      const events = await store.getEvents({ parentQuestionUuid: root.questionUuid });
      expect(new Set(events.map((e) => e.attributes.question_uuid))).toEqual(
        new Set([first.questionUuid, second.questionUuid]),
      );
      expect(events).toHaveLength(12);
    });

    it('gets the events of a whole question tree', async () => {
      const events = await store.getEvents({ originatorQuestionUuid: root.questionUuid });
      expect(events).toHaveLength(24);
      const times = events.map((e) => e.attributes.datetime);
      expect(times).toEqual([...times].sort());
    });

    it.each([
      [{ kinds: ['result', 'question'] }, ['question', 'result']],
      [
        { excludeKinds: ['heartbeat', 'log_record', 'monitor_message'] },
        ['question', 'delivery_acknowledgement', 'result'],
      ],
    ])('filters kinds with %j', async (filter, kinds) => {
      const events = await store.getEvents({ questionUuid: root.questionUuid, ...filter });
      expect(events.map((e) => e.event.kind)).toEqual(kinds);
    });

    it.each([
      [true, ['monitor_message', 'result']],
      [false, ['question', 'delivery_acknowledgement']],
    ])('returns the latest events with tail %s and the earliest without', async (tail, kinds) => {
      const events = await store.getEvents({ questionUuid: root.questionUuid, tail, limit: 2 });
      expect(events.map((e) => e.event.kind)).toEqual(kinds);
    });

    it('answers an empty list for an unknown question', async () => {
      expect(await store.getEvents({ questionUuid: randomUUID() })).toEqual([]);
    });

    it.each([
      [{}],
      [{ questionUuid: 'a', originatorQuestionUuid: 'b' }],
      [{ questionUuid: 'a', kinds: ['result'], excludeKinds: ['question'] }],
      [{ questionUuid: 'a', kinds: ['results'] }],
      [{ questionUuid: 'a', limit: 0 }],
      [{ questionUuid: 'a', limit: 1.5 }],
    ])('refuses the query %j with a 400', async (query) => {
      await expect(store.getEvents(query)).rejects.toMatchObject({ statusCode: 400, code: 'bad_request' });
      await expect(store.getEvents(query)).rejects.toBeInstanceOf(HubRequestError);
    });
  });

  describe('Method: getAnswer', () => {
    it('replays the stored events to the answer, handing monitor messages over on the way', async () => {
      // Prepare
      const { questionUuid, deliveries } = conversation({ responses: typicalResponses({ total: 42 }) });
      await store.ingestEvents([...deliveries].reverse());
      const monitored: unknown[] = [];

      // Act
      const answer = await store.getAnswer(questionUuid, { handleMonitorMessage: (data) => void monitored.push(data) });

      // Assess
      expect(answer).toEqual({ outputValues: { total: 42 }, outputManifest: null });
      expect(monitored).toEqual([{ progress: 0.5 }]);
    });

    it("throws the child's exception, re-created", async () => {
      const { questionUuid, deliveries } = conversation({ responses: failingResponses('n must be > 0') });
      await store.ingestEvents(deliveries);
      await expect(store.getAnswer(questionUuid)).rejects.toThrow(/n must be > 0/);
      await expect(store.getAnswer(questionUuid)).rejects.toBeInstanceOf(TypeError);
    });

    it('answers null before the result is stored', async () => {
      const { questionUuid, deliveries } = conversation();
      await store.ingestEvents(deliveries.slice(0, 3));
      expect(await store.getAnswer(questionUuid)).toBeNull();
    });
  });

  describe('Derived records', () => {
    it('follows a question tree: node statuses, the analysis status and progress', async () => {
      // Prepare
      const root = conversation({ responses: typicalResponses().slice(0, 2) });
      const done = conversation({ parentQuestionUuid: root.questionUuid, originatorQuestionUuid: root.questionUuid });
      const failed = conversation({
        parentQuestionUuid: root.questionUuid,
        originatorQuestionUuid: root.questionUuid,
        responses: failingResponses('bad'),
      });
      const waiting = conversation({
        parentQuestionUuid: root.questionUuid,
        originatorQuestionUuid: root.questionUuid,
        responses: [],
      });
      const db = test.database.db;

      // Act
      await store.ingestEvents([...root.deliveries, ...done.deliveries, ...failed.deliveries, ...waiting.deliveries]);
      const analysis = await db
        .selectFrom('analyses')
        .selectAll()
        .where('id', '=', root.questionUuid)
        .executeTakeFirst();
      const nodes = await db
        .selectFrom('analysisNodes')
        .select(['id', 'status', 'service', 'parentQuestionUuid'])
        .where('analysisId', '=', root.questionUuid)
        .execute();

      // Assess
      expect(analysis).toMatchObject({ originator: PARENT_SRUID, status: 'running', progress: 50 });
      const statusOf = (id: string): string | undefined => nodes.find((n) => n.id === id)?.status;
      expect(statusOf(root.questionUuid)).toBe('running');
      expect(statusOf(done.questionUuid)).toBe('executed');
      expect(statusOf(failed.questionUuid)).toBe('failed');
      expect(statusOf(waiting.questionUuid)).toBe('started');
      expect(nodes.find((n) => n.id === done.questionUuid)).toMatchObject({
        service: CHILD_SRUID,
        parentQuestionUuid: root.questionUuid,
      });
    });

    it('keeps a final status when earlier events arrive after it, and starts over on a retry', async () => {
      // Prepare
      const first = conversation();
      const retry = conversation({ questionUuid: first.questionUuid, retryCount: 1, responses: failingResponses('x') });
      const db = test.database.db;
      const status = async (): Promise<unknown> =>
        (
          await db.selectFrom('analyses').select(['status', 'progress']).where('id', '=', first.questionUuid).execute()
        )[0];

      // Act
      await store.ingestEvents(first.deliveries.slice(-1));
      await store.ingestEvents(first.deliveries.slice(0, -1));
      const afterFirst = await status();
      await store.ingestEvents(retry.deliveries.slice(0, 1));
      const afterRetryQuestion = await status();
      await store.ingestEvents(retry.deliveries.slice(1));
      const afterRetry = await status();

      // Assess
      expect(afterFirst).toEqual({ status: 'executed', progress: 100 });
      expect(afterRetryQuestion).toEqual({ status: 'started', progress: 0 });
      expect(afterRetry).toEqual({ status: 'failed', progress: 100 });
    });
  });
});
