import { PubSub } from '@google-cloud/pubsub';

import { EmulatorUnavailable, startPubSubEmulator } from '../../../src/emulators/pubsub-emulator';

describe('Function: startPubSubEmulator', () => {
  it('serves the official client: ordered publish and pull through the emulator started by the test command', async () => {
    // Prepare
    const host = process.env.PUBSUB_EMULATOR_HOST;
    expect(host).toMatch(/^127\.0\.0\.1:\d+$/);
    const pubsub = new PubSub({ projectId: 'demo-skein', apiEndpoint: host });
    const suffix = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const [topic] = await pubsub.createTopic(`t-${suffix}`);
    const [subscription] = await topic.createSubscription(`s-${suffix}`, { enableMessageOrdering: true });
    const ordered = pubsub.topic(topic.name, { messageOrdering: true });
    const received: string[] = [];

    // Act
    const done = new Promise<void>((resolve) => {
      subscription.on('message', (message) => {
        received.push(message.data.toString());
        message.ack();
        if (received.length === 5) resolve();
      });
    });
    for (let i = 0; i < 5; i++) {
      await ordered.publishMessage({ data: Buffer.from(String(i)), orderingKey: 'q-1', attributes: { kind: 'x' } });
    }
    await done;
    await subscription.close();
    await subscription.delete();
    await topic.delete();
    await pubsub.close();

    // Assess
    expect(received).toEqual(['0', '1', '2', '3', '4']);
  });

  it('fails with a message naming what to install when the jar does not exist', async () => {
    await expect(
      startPubSubEmulator({ jarPath: '/nonexistent/cloud-pubsub-emulator.jar', readyTimeoutMs: 5000 }),
    ).rejects.toThrow(EmulatorUnavailable);
  });
});
