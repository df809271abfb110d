import { PublishRetrier } from '../../../../src/cloud/pubsub/publish-retry';
import type { PublishRetrySettings } from '../../../../src/cloud/pubsub/publish-retry';
import { PublishFailed } from '../../../../src/errors';

const TIMED_OUT = Object.assign(new Error('Total timeout of API google.pubsub.v1.Publisher exceeded'), { code: 4 });
const PERMISSION_DENIED = Object.assign(new Error('denied'), { code: 7 });

/** A retrier whose backoff timers run only when the test calls `fire`, with the delays it was given. */
function makeRetrier(attempts = 3): {
  retrier: PublishRetrier;
  delays: number[];
  resumed: string[];
  fire: () => void;
} {
  const pending: (() => void)[] = [];
  const delays: number[] = [];
  const resumed: string[] = [];
  const settings: PublishRetrySettings = {
    attempts,
    initialDelayMs: 100,
    maxDelayMs: 150,
    random: () => 0.5,
    schedule: (callback, ms) => {
      delays.push(ms);
      pending.push(callback);
    },
  };
  return {
    retrier: new PublishRetrier('services', settings, (key) => resumed.push(key)),
    delays,
    resumed,
    fire: () => pending.splice(0).forEach((callback) => callback()),
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Class: PublishRetrier', () => {
  describe('Method: run', () => {
    it('sends a timed-out message again after its jittered backoff and resolves with the retry', async () => {
      // Prepare
      const { retrier, delays, resumed, fire } = makeRetrier();
      const results = [Promise.reject(TIMED_OUT), Promise.resolve('id-2')];
      let sends = 0;

      // Act
      const publishing = retrier.run('q1', () => results[sends++] as Promise<string>);
      await settle();
      const sendsBeforeBackoff = sends;
      fire();

      // Assess
      await expect(publishing).resolves.toBe('id-2');
      expect(sendsBeforeBackoff).toBe(1);
      expect(delays).toEqual([50]);
      expect(resumed).toEqual(['q1']);
    });

    it('gives up with PublishFailed after its attempts, the last error as cause, backing off 50 then 75 ms', async () => {
      // Prepare
      const { retrier, delays, fire } = makeRetrier(3);
      let sends = 0;

      // Act
      const publishing = retrier.run('q1', () => {
        sends += 1;
        return Promise.reject(TIMED_OUT);
      });
      for (let turn = 0; turn < 2; turn++) {
        await settle();
        fire();
      }
      const error = await publishing.catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(PublishFailed);
      expect(error).toMatchObject({ attempts: 3, topicName: 'services', cause: TIMED_OUT });
      expect(sends).toBe(3);
      expect(delays).toEqual([50, 75]);
    });

    it('does not retry an error that is not a timeout or unavailability', async () => {
      const { retrier, delays } = makeRetrier();

      await expect(retrier.run('q1', () => Promise.reject(PERMISSION_DENIED))).rejects.toBe(PERMISSION_DENIED);
      expect(delays).toEqual([]);
    });

    it("sends a key's failed messages again in their first publish order, whatever order they failed in", async () => {
      // Prepare: three events of one question fail together (the client rejects a paused key's queue last first).
      const { retrier, fire } = makeRetrier();
      const resent: string[] = [];
      const failFirst = new Set(['a', 'b', 'c']);
      const rejections: (() => void)[] = [];
      const send = (name: string) => (): Promise<string> => {
        if (!failFirst.delete(name)) {
          resent.push(name);
          return Promise.resolve(name);
        }
        return new Promise((_, reject) => rejections.push(() => reject(TIMED_OUT)));
      };
      const publishing = ['a', 'b', 'c'].map((name) => retrier.run('q1', send(name)));

      // Act
      for (const reject of rejections.reverse()) reject();
      await settle();
      fire();

      // Assess
      await expect(Promise.all(publishing)).resolves.toEqual(['a', 'b', 'c']);
      expect(resent).toEqual(['a', 'b', 'c']);
    });
  });
});
