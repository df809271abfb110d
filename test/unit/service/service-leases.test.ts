// Service and claim leases: when a question is acknowledged, what a delivery finding a live lease does, renewals with
// the heartbeat, and a question answered again after the instance answering it died.
import { TransportError } from '../../../src/errors';
import { InProcessClaims, ObjectStoreClaims, Service } from '../../../src/service';
import type { AnswerOutcome, QuestionClaims, RunFunction } from '../../../src/service';
import type { Transport } from '../../../src/core/ports/transport';
import { CHILD, deferred, ManualClock, MemoryNetwork, questionMessage, temporaryStore, waitFor } from './helpers';

const LOCATION = 'gs://claims-bucket/.skein/claims';
const HEARTBEAT_MS = 1_000;

let network: MemoryNetwork;
let storage: ReturnType<typeof temporaryStore>;

beforeEach(async () => {
  network = await new MemoryNetwork().start();
  storage = temporaryStore();
});

afterEach(async () => {
  await network.close();
  storage.cleanup();
});

/** A service instance: its own clock (its timers fire only when the test ticks it) and claims in the shared store. */
function instance(runFunction: RunFunction, options: { clock?: ManualClock; claims?: QuestionClaims } = {}): Service {
  const clock = options.clock ?? new ManualClock();
  return new Service({
    serviceId: CHILD,
    transport: network.transport,
    runFunction,
    clock,
    heartbeatIntervalMs: HEARTBEAT_MS,
    claims: options.claims ?? new ObjectStoreClaims(storage.store, LOCATION, CHILD, clock),
  });
}

/** A question message that records how it was settled. */
function delivery(message = questionMessage({}, { forwardLogs: false })): {
  message: ReturnType<typeof questionMessage> & { id: string; ack: () => void; nack: () => void };
  settled: string[];
} {
  const settled: string[] = [];
  const received = {
    ...message,
    id: 'm-1',
    ack: () => settled.push('ack'),
    nack: () => settled.push('nack'),
  };
  return { message: received, settled };
}

/** Polls an asynchronous check until it holds (fails after 15 s, so a broken path fails rather than hangs). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  let done = false;
  const poll = async (): Promise<void> => {
    done = await check();
    if (!done) setTimeout(() => void poll(), 2);
  };
  await poll();
  await waitFor(() => done, what);
}

async function leaseExpiry(questionUuid: string): Promise<string> {
  const body = await storage.store.read(`${LOCATION}/${questionUuid}/0`);
  return (JSON.parse(body.toString('utf8')) as { leaseExpiresAt: string }).leaseExpiresAt;
}

describe('Class: Service (claim leases)', () => {
  describe('Method: answer', () => {
    it('acknowledges a question only once its answer has ended', async () => {
      // Prepare
      const release = deferred();
      const started = deferred();
      const service = instance(async () => {
        started.resolve();
        await release.promise;
        return { outputValues: 1 };
      });
      const { message, settled } = delivery();

      // Act
      const answering = service.answer(message as never);
      await started.promise;
      const whileRunning = [...settled];
      release.resolve();
      const outcome = await answering;

      // Assess
      expect(whileRunning).toEqual([]);
      expect(outcome.status).toBe('answered');
      expect(settled).toEqual(['ack']);
    });

    it('nacks a delivery while another holds a live lease, and drops one after that answer ended', async () => {
      // Prepare
      const release = deferred();
      const started = deferred();
      let runs = 0;
      const run: RunFunction = async () => {
        runs += 1;
        started.resolve();
        await release.promise;
        return { outputValues: 1 };
      };
      const [first, second] = [instance(run), instance(run)];
      const question = questionMessage({}, { forwardLogs: false });

      // Act
      const answering = first.answer(delivery(question).message as never);
      await started.promise;
      const during = delivery(question);
      const deferredOutcome = await second.answer(during.message as never);
      release.resolve();
      await answering;
      const after = delivery(question);
      const duplicate = await second.answer(after.message as never);

      // Assess
      expect(deferredOutcome).toEqual({ status: 'deferred', questionUuid: question.orderingKey, retryCount: 0 });
      expect(during.settled).toEqual(['nack']);
      expect(duplicate.status).toBe('duplicate');
      expect(after.settled).toEqual(['ack']);
      expect(runs).toBe(1);
    });

    it('renews its lease at every heartbeat, so a long analysis keeps its question', async () => {
      // Prepare
      const clock = new ManualClock();
      const release = deferred();
      const started = deferred();
      const service = instance(
        async () => {
          started.resolve();
          await release.promise;
          return { outputValues: 1 };
        },
        { clock },
      );
      const question = questionMessage({}, { forwardLogs: false });
      const answering = service.answer(question);
      await started.promise;

      // Act: ten heartbeats, more than three leases long; each renewal is written before the next beat.
      for (let beat = 1; beat <= 10; beat += 1) {
        clock.tick(HEARTBEAT_MS);
        const expected = new Date(clock.now().getTime() + 3 * HEARTBEAT_MS).toISOString();
        await eventually(async () => (await leaseExpiry(question.orderingKey)) === expected, `renewal ${beat}`);
      }
      const other = await instance(async () => ({ outputValues: 2 }), { clock }).answer(question);
      release.resolve();
      await answering;

      // Assess
      expect(other.status).toBe('deferred');
    });

    it('answers a question again once the lease of an instance that died mid-analysis expires: one result', async () => {
      // Prepare: the first instance hangs in its app, and its clock never moves again (it died: no heartbeats and
      // no renewals); the second instance's clock passes the lease.
      const started = deferred();
      const dead = instance(() => {
        started.resolve();
        return new Promise(() => undefined);
      });
      const aliveClock = new ManualClock();
      let runs = 0;
      const alive = instance(
        async () => {
          runs += 1;
          return { outputValues: 'second time' };
        },
        { clock: aliveClock },
      );
      const question = questionMessage({}, { forwardLogs: false });
      void dead.answer(delivery(question).message as never);
      await started.promise;

      // Act
      const early = await alive.answer(question);
      aliveClock.tick(3 * HEARTBEAT_MS);
      const redelivered = delivery(question);
      const late = await alive.answer(redelivered.message as never);
      await waitFor(() => network.kinds().includes('result'), 'the result');

      // Assess
      expect(early.status).toBe('deferred');
      expect(late.status).toBe('answered');
      expect(redelivered.settled).toEqual(['ack']);
      expect(runs).toBe(1);
      expect(network.ofKind('result').map((result) => result.output_values)).toEqual(['second time']);
      expect(await alive.answer(question)).toMatchObject({ status: 'duplicate' });
    });

    it('gives the question up when no response could be published, so its redelivery runs it', async () => {
      // Prepare: two instances sharing claims; the first cannot publish anything.
      const claims = new InProcessClaims();
      const broken: Transport = Object.assign(Object.create(network.transport) as Transport, {
        publish: () => Promise.reject(new TransportError('Publishing failed on purpose.')),
      });
      let runs = 0;
      const run: RunFunction = async () => {
        runs += 1;
        return { outputValues: runs };
      };
      const failing = new Service({ serviceId: CHILD, transport: broken, runFunction: run, claims });
      const working = instance(run, { claims });
      const question = questionMessage({}, { forwardLogs: false });
      const first = delivery(question);

      // Act
      const failed: AnswerOutcome = await failing.answer(first.message as never);
      const redelivered = await working.answer(question);

      // Assess
      expect(failed).toMatchObject({ status: 'failed', exception: undefined });
      expect(first.settled).toEqual(['nack']);
      expect(redelivered.status).toBe('answered');
      expect(runs).toBe(2);
    });
  });
});
