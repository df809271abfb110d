// Robustness over the real Pub/Sub emulator (issue 3 §6): the heartbeat watchdog and the overall timeout against a
// service whose app hangs (in its own process, which must still stop cleanly), retries with retry_count + 1, and a
// question nacked after a failed claim, redelivered by Pub/Sub and run once.
import { randomUUID } from 'node:crypto';

import { GcsObjectStore } from '../../../src/cloud/storage';
import { createTestServiceAccount } from '../../../src/emulators/service-account';
import { QuestionTimeout } from '../../../src/errors';
import { createLogger, memoryLogSink, ObjectStoreClaims, Service } from '../../../src/service';
import type { ClaimDecision, ClaimOptions, QuestionAttempt, QuestionClaims, RunFunction } from '../../../src/service';
import { Child } from '../../../src/service/child';
import { PARENT, PROJECT_ID, RawReader, serveInProcess, ServiceProcess, TestTopic } from './robustness-helpers';

const HANGING = 'acme/robust-hanging:1.0.0';
const FLAKY = 'acme/robust-flaky:1.0.0';

function gcsUrl(): string {
  const url = process.env.SKEIN_TEST_GCS_URL;
  if (!url) throw new Error('SKEIN_TEST_GCS_URL is not set; run this through the integration project.');
  return url;
}

/** Claims whose store fails the first `failures` times (the store was briefly unavailable), then works. */
class UnavailableAtFirstClaims implements QuestionClaims {
  readonly durable = true;

  constructor(
    private readonly claims: QuestionClaims,
    private failures: number,
  ) {}

  claim(attempt: QuestionAttempt, options: ClaimOptions): Promise<ClaimDecision> {
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('The claims store is unavailable.'));
    }
    return this.claims.claim(attempt, options);
  }
}

describe('Class: Child (timeouts against a hanging service in another process)', () => {
  let topic: TestTopic;
  let running: ServiceProcess | undefined;

  beforeEach(async () => {
    topic = await new TestTopic().create();
    running = undefined;
  });

  afterEach(async () => {
    await running?.kill();
    await topic.dispose();
  });

  async function startHanging(heartbeatMs: number): Promise<ServiceProcess> {
    running = new ServiceProcess(topic.name, HANGING, {
      SKEIN_TEST_HEARTBEAT_MS: String(heartbeatMs),
      SKEIN_TEST_STOP_GRACE_MS: '500',
    });
    await running.ready;
    return running;
  }

  describe('Method: ask', () => {
    it('ends in QuestionTimeout when no heartbeat comes within maximumHeartbeatInterval; the service then stops cleanly', async () => {
      // Prepare: the service would send its first heartbeat after ten minutes.
      const service = await startHanging(600_000);
      const child = new Child({ id: HANGING, transport: topic.transport, parentSruid: PARENT });
      const questionUuid = randomUUID();

      // Act
      const error = await child
        .ask({ inputValues: {}, questionUuid, maximumHeartbeatInterval: 1, timeout: 30 })
        .catch((caught: unknown) => caught);
      const events = child.receivedEvents?.map((recorded) => recorded.event.kind);
      await child.close();
      const exitCode = await service.stop();

      // Assess
      expect(error).toBeInstanceOf(QuestionTimeout);
      expect((error as Error).message).toBe(
        `No heartbeat has been received from '${HANGING}' for question ${questionUuid} within the maximum allowed ` +
          'interval of 1s.',
      );
      expect(error).toMatchObject({ questionUuid, timeoutSeconds: 1 });
      // The service received the question and hangs in its app: it acknowledged the question but sends nothing else.
      expect(events).toEqual(['delivery_acknowledgement']);
      expect(exitCode).toBe(0);
      expect(await topic.subscriptionExists('acme.robust-hanging.1-0-0')).toBe(false);
    });

    it('ends in QuestionTimeout after the overall timeout although heartbeats come; the service then stops cleanly', async () => {
      // Prepare: the service heartbeats every 200 ms, so only the overall timeout can end the wait.
      const service = await startHanging(200);
      const child = new Child({ id: HANGING, transport: topic.transport, parentSruid: PARENT });
      const questionUuid = randomUUID();

      // Act
      const error = await child
        .ask({ inputValues: {}, questionUuid, maximumHeartbeatInterval: 30, timeout: 2 })
        .catch((caught: unknown) => caught);
      const events = child.receivedEvents?.map((recorded) => recorded.event.kind) ?? [];
      await child.close();
      const exitCode = await service.stop();

      // Assess
      expect(error).toBeInstanceOf(QuestionTimeout);
      expect((error as Error).message).toBe(`No final result received from '${topic.name}' after 2 seconds.`);
      expect(error).toMatchObject({ questionUuid, timeoutSeconds: 2 });
      expect(events[0]).toBe('delivery_acknowledgement');
      expect(events.slice(1).length).toBeGreaterThan(0);
      expect(new Set(events.slice(1))).toEqual(new Set(['heartbeat']));
      expect(exitCode).toBe(0);
      expect(await topic.subscriptionExists('acme.robust-hanging.1-0-0')).toBe(false);
    });
  });
});

describe('Class: Service (retries and redelivery over the Pub/Sub emulator and GCS server)', () => {
  let topic: TestTopic;
  let store: GcsObjectStore;
  let bucket: string;

  beforeAll(async () => {
    const account = createTestServiceAccount({ projectId: PROJECT_ID });
    store = new GcsObjectStore({ projectId: PROJECT_ID, apiEndpoint: gcsUrl(), credentials: account.credentials });
    bucket = `robust-${randomUUID().slice(0, 8)}`;
    await store.storage.createBucket(bucket);
  });

  beforeEach(async () => {
    topic = await new TestTopic().create();
  });

  afterEach(async () => {
    await topic.dispose();
  });

  describe('Method: serve', () => {
    it('answers the retry (retry_count 1) of a question whose first attempt failed, when asked with maxRetries 1', async () => {
      // Prepare: an app that fails the first time it runs.
      let runs = 0;
      const runFunction: RunFunction = async () => {
        runs += 1;
        if (runs === 1) throw new RangeError('The first attempt fails on purpose.');
        return { outputValues: { run: runs } };
      };
      const { sink, entries } = memoryLogSink();
      const claimsLocation = `gs://${bucket}/claims-${randomUUID()}`;
      const service = new Service({
        serviceId: FLAKY,
        transport: topic.transport,
        runFunction,
        objectStore: store,
        claimsLocation,
        logger: createLogger({ sinks: [{ sink }] }),
      });
      const served = await serveInProcess(service);
      const reader = await RawReader.open(topic);
      const child = new Child({ id: FLAKY, transport: topic.transport, parentSruid: PARENT });
      const questionUuid = randomUUID();

      // Act
      const result = await child.ask({ inputValues: {}, questionUuid, maxRetries: 1, raiseErrors: false, timeout: 30 });
      await child.close();
      await served.stop();
      await reader.readThrough(topic, questionUuid);

      // Assess
      expect(result.answer).toMatchObject({ outputValues: { run: 2 } });
      expect(result.questionUuid).toBe(questionUuid);
      const questions = reader.messages.filter((message) => message.attributes.sender_type === 'PARENT');
      expect(questions.map((message) => message.attributes.retry_count)).toEqual(['0', '1']);
      const exceptions = reader.messages.filter(
        (message) =>
          message.attributes.sender_type === 'CHILD' &&
          (JSON.parse(message.data.toString()) as { kind: string }).kind === 'exception',
      );
      expect(exceptions.map((message) => message.attributes.retry_count)).toEqual(['0']);
      // The service saw the retry as retry 1, and claimed each attempt once.
      const retries = entries.filter((entry) => entry.message === 'This is retry %d for question %s.');
      expect(retries.map((entry) => entry.args)).toEqual([[1, questionUuid]]);
      expect(await store.exists(`${claimsLocation}/${questionUuid}/0`)).toBe(true);
      expect(await store.exists(`${claimsLocation}/${questionUuid}/1`)).toBe(true);
    });

    it('runs a question once when its first claim fails: it is nacked, redelivered by Pub/Sub, then claimed', async () => {
      // Prepare
      let runs = 0;
      const { sink, entries } = memoryLogSink();
      const claimsLocation = `gs://${bucket}/claims-${randomUUID()}`;
      const service = new Service({
        serviceId: FLAKY,
        transport: topic.transport,
        runFunction: async ({ inputValues }) => {
          runs += 1;
          return { outputValues: inputValues };
        },
        claims: new UnavailableAtFirstClaims(new ObjectStoreClaims(store, claimsLocation, FLAKY), 1),
        logger: createLogger({ sinks: [{ sink }] }),
      });
      const served = await serveInProcess(service);
      const child = new Child({ id: FLAKY, transport: topic.transport, parentSruid: PARENT });

      // Act
      const { answer, questionUuid } = await child.ask({ inputValues: { n: 4 }, timeout: 40 });
      await child.close();
      await served.stop();

      // Assess
      expect(answer.outputValues).toEqual({ n: 4 });
      expect(runs).toBe(1);
      const unclaimed = entries.filter((entry) => entry.message.includes('could not be claimed'));
      expect(unclaimed.map((entry) => entry.message)).toEqual([
        `Question ${questionUuid} could not be claimed; it will be redelivered.`,
      ]);
      expect(entries.filter((entry) => entry.message === '%s received a question.')).toHaveLength(2);
      expect(await store.exists(`${claimsLocation}/${questionUuid}/0`)).toBe(true);
    });
  });
});
