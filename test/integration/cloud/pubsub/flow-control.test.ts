// Flow control over the real Pub/Sub emulator (issue 10 §9): a subscriber never runs more handlers at once than its
// maxMessages, however many messages are waiting, and refuses bounds that are not integers >= 1.
import { PubSubTransport } from '../../../../src/cloud/pubsub/pubsub-transport';
import { InvalidInputException } from '../../../../src/errors';
import { emulatorHost } from '../../../helpers/pubsub-emulator-host';
import { uniqueName } from '../../../helpers/transport-contract';
import { waitFor as waitUntil } from '../../../helpers/wait-for';

const PROJECT_ID = 'demo-skein';
const WAIT_LIMIT_MS = 20_000;

const waitFor = (predicate: () => boolean, what: string): Promise<void> =>
  waitUntil(predicate, what, WAIT_LIMIT_MS, 10);

describe('Class: PubSubTransport (flow control)', () => {
  let transport: PubSubTransport;
  let subscription: string;

  beforeEach(async () => {
    transport = new PubSubTransport({
      projectId: PROJECT_ID,
      topicName: uniqueName('fc'),
      apiEndpoint: emulatorHost(),
    });
    await transport.ensureTopic();
    subscription = uniqueName('fc-sub');
    await transport.createSubscription({ name: subscription });
  });

  afterEach(async () => {
    await transport.deleteSubscription(subscription);
    await transport.deleteTopic();
    await transport.close();
  });

  describe('Method: subscribe', () => {
    it('runs at most flowControl.maxMessages handlers at once while 30 messages wait', async () => {
      // Prepare: 30 messages already waiting on the subscription; handlers hold until the test lets them go.
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => transport.publish({ data: Buffer.from(`m${i}`), attributes: {} })),
      );
      let running = 0;
      let mostAtOnce = 0;
      let handled = 0;
      const holds: (() => void)[] = [];
      const active = await transport.subscribe(
        subscription,
        async () => {
          running += 1;
          mostAtOnce = Math.max(mostAtOnce, running);
          await new Promise<void>((resolve) => holds.push(resolve));
          running -= 1;
          handled += 1;
        },
        { flowControl: { maxMessages: 3, maxBytes: 1_000_000 } },
      );

      // Act: let each handler go only once three are held, so an unbounded subscriber would have run them all.
      while (handled < 30) {
        await waitFor(() => holds.length >= Math.min(3, 30 - handled), 'held handlers');
        holds.shift()?.();
        await waitFor(() => running < 3 || handled >= 30, 'a handler to finish');
      }
      await active.close();

      // Assess
      expect(handled).toBe(30);
      expect(mostAtOnce).toBe(3);
    });

    it.each([
      [{ maxMessages: 0, maxBytes: 1000 }, 'flowControl.maxMessages'],
      [{ maxMessages: 5, maxBytes: -1 }, 'flowControl.maxBytes'],
      [{ maxMessages: Number.NaN, maxBytes: 1000 }, 'flowControl.maxMessages'],
    ])('refuses %j with InvalidInputException naming %s', async (flowControl, name) => {
      const subscribing = transport.subscribe(subscription, () => undefined, { flowControl });

      await expect(subscribing).rejects.toThrow(InvalidInputException);
      await expect(subscribing).rejects.toThrow(name);
    });
  });
});
