// `skein start` when the Pub/Sub emulator restarts empty under it (issue 10 §4): with recovery off it exits 1 with
// one line naming the lost subscription, never 0 with its subscription gone. Runs its own emulator on a fresh port.
import { join } from 'node:path';

import { PubSubTransport } from '../../../src/cloud/pubsub';
import { startPubSubEmulator } from '../../../src/emulators/pubsub-emulator';
import type { RunningPubSubEmulator } from '../../../src/emulators/pubsub-emulator';
import { SkeinProcess, SQUARE_SERVICE } from './helpers';

const PROJECT_ID = 'demo-skein';
const TOPIC = 'cli-lost-services';

describe('Command: skein start (its subscription is lost)', () => {
  let emulator: RunningPubSubEmulator;
  let server: SkeinProcess | undefined;

  beforeEach(async () => {
    emulator = await startPubSubEmulator();
    const transport = new PubSubTransport({ projectId: PROJECT_ID, topicName: TOPIC, apiEndpoint: emulator.host });
    await transport.ensureTopic();
    await transport.close();
  });

  afterEach(async () => {
    await server?.kill();
    await emulator.stop();
  });

  it('exits 1 with one line saying the subscription was lost when SKEIN_SUBSCRIPTION_RECOVERY_ATTEMPTS is 0', async () => {
    // Prepare
    server = new SkeinProcess(['start', '-c', join(SQUARE_SERVICE, 'octue.yaml'), '--revision-tag', 'lost', '--json'], {
      env: {
        PUBSUB_EMULATOR_HOST: emulator.host,
        GOOGLE_CLOUD_PROJECT: PROJECT_ID,
        TWINED_SERVICES_TOPIC_NAME: TOPIC,
        SKEIN_SUBSCRIPTION_RECOVERY_ATTEMPTS: '0',
        OCTUE_SERVICE_REVISION_TAG: undefined,
      },
    });
    expect(JSON.parse(await server.nextLine())).toMatchObject({ event: 'ready' });
    const port = Number(emulator.host.split(':')[1]);

    // Act
    await emulator.stop();
    emulator = await startPubSubEmulator({ port });
    const { code } = await server.exit();

    // Assess
    expect(code).toBe(1);
    const errorLines = server.stderr.split('\n').filter((line) => /SubscriptionLost|stopped delivering/.test(line));
    expect(errorLines.at(-1)).toMatch(/subscription '.*skein-test\.square\.lost' stopped delivering messages/);
  });
});
