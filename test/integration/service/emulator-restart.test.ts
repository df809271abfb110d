// Issue 10 §4: the Pub/Sub emulator restarts (empty) under a service served in its own process and an asking parent.
// The outcome must be "answered" or "a typed error on both sides within the heartbeat window", never a silent exit
// (code 0 with serve() pending, as before) or a hang. Each test runs its own emulator, on a fresh port, so it can be
// killed and restarted on that port without disturbing the other suites.
import { join } from 'node:path';

import { PubSub } from '@google-cloud/pubsub';

import { PubSubTransport } from '../../../src/cloud/pubsub';
import { childSubscription } from '../../../src/core/topology';
import { startPubSubEmulator } from '../../../src/emulators/pubsub-emulator';
import type { RunningPubSubEmulator } from '../../../src/emulators/pubsub-emulator';
import { SkeinError } from '../../../src/errors';
import { Child } from '../../../src/service/child';
import { PARENT, PROJECT_ID, ServiceProcess, WAIT_LIMIT_MS } from './robustness-helpers';

const SERVICE = 'acme/restarted:1.0.0';
const TOPIC = 'skein-restart-services';
const SCRIPT = join(__dirname, 'processes', 'answering-service.js');
/** The parent's heartbeat window (s); the service beats every 500 ms. */
const HEARTBEAT_WINDOW_S = 5;

let emulator: RunningPubSubEmulator;
let port: number;
let service: ServiceProcess | undefined;
let transport: PubSubTransport;

beforeEach(async () => {
  emulator = await startPubSubEmulator();
  port = Number(emulator.host.split(':')[1]);
  transport = new PubSubTransport({ projectId: PROJECT_ID, topicName: TOPIC, apiEndpoint: emulator.host });
  await transport.ensureTopic();
  service = undefined;
});

afterEach(async () => {
  await service?.kill();
  await transport.close();
  await emulator.stop();
});

/** Serves SERVICE in its own process against this test's emulator. */
async function startService(recoveryAttempts: number): Promise<ServiceProcess> {
  service = new ServiceProcess(
    TOPIC,
    SERVICE,
    {
      PUBSUB_EMULATOR_HOST: emulator.host,
      SKEIN_TEST_HEARTBEAT_MS: '500',
      SKEIN_TEST_RECOVERY_ATTEMPTS: String(recoveryAttempts),
    },
    SCRIPT,
  );
  await service.ready;
  return service;
}

/** Asks SERVICE for n squared: the answer, or the error it ended with. */
async function ask(n: number): Promise<unknown> {
  const child = new Child({ id: SERVICE, transport, parentSruid: PARENT });
  try {
    const { answer } = await child.ask({
      inputValues: { n },
      maximumHeartbeatInterval: HEARTBEAT_WINDOW_S,
      timeout: 60,
      maxRetries: 0,
    });
    return answer;
  } catch (error) {
    return error;
  } finally {
    await child.close();
  }
}

/** Kills the emulator and starts an empty one on the same port (as after a crash). */
async function restartEmulator(): Promise<void> {
  await emulator.stop();
  emulator = await startPubSubEmulator({ port });
}

/** Polls an async condition; fails with `what` after {@link WAIT_LIMIT_MS} so a broken path fails, not hangs. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function subscriptionExists(): Promise<boolean> {
  const admin = new PubSub({ projectId: PROJECT_ID, apiEndpoint: emulator.host });
  try {
    const [exists] = await admin.subscription(childSubscription(SERVICE).name).exists();
    return exists;
  } finally {
    await admin.close();
  }
}

describe('Function: serveQuestions (the Pub/Sub emulator restarts under a served service)', () => {
  it('without recovery: the service exits 1 with SubscriptionLost, and a parent asking meanwhile gets a typed error', async () => {
    // Prepare
    const running = await startService(0);
    expect(await ask(3)).toMatchObject({ outputValues: { square: 9 } });

    // Act
    await restartEmulator();
    await transport.ensureTopic();
    const asked = ask(4);
    const exitCode = await running.exited;
    const outcome = await asked;

    // Assess
    expect(exitCode).toBe(1);
    expect(running.errorOutput).toMatch(/SERVE FAILED SubscriptionLost: .*stopped delivering/);
    expect(outcome).toBeInstanceOf(SkeinError);
  });

  it('with recovery: the service re-creates its subscription and answers the parent again', async () => {
    // Prepare
    const running = await startService(10);
    expect(await ask(3)).toMatchObject({ outputValues: { square: 9 } });

    // Act: the operator re-creates the topic (as `skein emulators start` would); the service does the rest.
    await restartEmulator();
    await transport.ensureTopic();
    let exitCode: number | null | undefined;
    void running.exited.then((code) => (exitCode = code));
    await until(async () => exitCode !== undefined || (await subscriptionExists()), 'the re-created subscription');
    const outcome = await ask(5);

    // Assess
    expect(exitCode).toBeUndefined();
    expect(outcome).toMatchObject({ outputValues: { square: 25 } });
    expect(await running.stop()).toBe(0);
  });
});
