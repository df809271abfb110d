// The mailbox is durable: a participant's waiting process is killed, a message reaches the participant's service
// (another process: here this one) while no waiter lives, and the restarted waiting process still receives it. Over
// the Pub/Sub emulator and the GCS-compatible server (started by global setup).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { GcsObjectStore } from '../../../src/cloud/storage';
import { createTestServiceAccount } from '../../../src/emulators/service-account';
import { createFederationRuntime, Federation } from '../../../src/federation';
import type { FederationContext, FederationOptions } from '../../../src/federation';
import { resolveFederationOptions } from '../../../src/federation/options';
import { Service } from '../../../src/service';
import { PROJECT_ID, serveInProcess, ServiceProcess, TestTopic } from '../service/robustness-helpers';
import type { ServedService } from '../service/robustness-helpers';

const AGGREGATOR = 'fed-it/aggregator:1.0.0';
const NORTH = 'fed-it/north:1.0.0';
const WAITER = join(__dirname, 'processes', 'mailbox-waiter.js');

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this through the integration project.`);
  return value;
}

describe('Federation mailbox across processes', () => {
  const bucket = `fed-restart-${randomUUID().slice(0, 8)}`;
  const mailboxRoot = `gs://${bucket}/.skein/federation`;
  const store = new GcsObjectStore({
    projectId: PROJECT_ID,
    apiEndpoint: required('SKEIN_TEST_GCS_URL'),
    credentials: createTestServiceAccount({ projectId: PROJECT_ID }).credentials,
  });
  const context: FederationContext = {
    analysisId: randomUUID(),
    projectId: 'weather',
    participants: [
      { nodeId: AGGREGATOR, nodeType: 'aggregator' },
      { nodeId: NORTH, nodeType: 'default' },
    ],
  };
  let topic: TestTopic;
  const served: ServedService[] = [];
  const waiters: ServiceProcess[] = [];

  const options = (serviceId: string): FederationOptions => ({
    serviceId,
    transport: topic.transport,
    objectStore: store,
    mailboxRoot,
    projectId: 'weather',
  });

  // Each service receives its federation events in this process (its route writes its mailbox).
  async function serveRoute(serviceId: string): Promise<void> {
    const runtime = createFederationRuntime(options(serviceId));
    const service = new Service({
      serviceId,
      transport: topic.transport,
      runFunction: async () => ({}),
      eventRoutes: [runtime.eventRoute],
    });
    served.push(await serveInProcess(service));
  }

  function startWaiter(): ServiceProcess {
    const waiter = new ServiceProcess(
      topic.name,
      NORTH,
      {
        SKEIN_TEST_GCS_URL: required('SKEIN_TEST_GCS_URL'),
        SKEIN_TEST_MAILBOX_ROOT: mailboxRoot,
        SKEIN_TEST_CONTEXT: JSON.stringify(context),
        SKEIN_TEST_SENDER: AGGREGATOR,
      },
      WAITER,
    );
    waiters.push(waiter);
    return waiter;
  }

  beforeAll(async () => {
    topic = await new TestTopic().create();
    await store.storage.createBucket(bucket);
  });

  afterAll(async () => {
    await Promise.all(waiters.map((waiter) => waiter.kill()));
    for (const service of served) await service.stop();
    await topic.dispose();
  });

  it('gives a restarted waiting process the message that arrived while it was down', async () => {
    // Prepare: north's waiting process joins and waits, then is killed.
    await serveRoute(AGGREGATOR);
    await serveRoute(NORTH);
    const aggregator = await Federation.join({
      options: resolveFederationOptions(options(AGGREGATOR)),
      context,
      role: 'aggregator',
    });
    const first = startWaiter();
    await first.ready;
    await first.kill();

    // Act: the message reaches north's service while no waiter lives; then the waiter starts again.
    const sent = await aggregator.sendMessage([NORTH], 'round', { n: 1 }, { maxAttempts: 3 });
    const second = startWaiter();
    const code = await second.exited;

    // Assess
    expect(sent).toMatchObject({ acknowledged: [NORTH], notAcknowledged: [] });
    expect({ code, lines: second.output.trim().split('\n') }).toEqual({ code: 0, lines: ['READY', '[{"n":1}]'] });
    await aggregator.close();
  }, 120_000);
});
