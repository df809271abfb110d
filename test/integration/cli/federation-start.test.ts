// A federated analysis across four processes: `skein start` (the real binary) serves an aggregator and three nodes
// (fixtures/federated) with federation enabled by their octue.yaml, over the Pub/Sub emulator and the GCS-compatible
// server (both started by global setup), sharing one mailbox root in a bucket. A Child in the test asks the
// aggregator, whose app runs several rounds of sendMessage/awaitMessages and submits a final result with local DP.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { PubSubTransport } from '../../../src/cloud/pubsub';
import { GcsObjectStore } from '../../../src/cloud/storage';
import { createTestServiceAccount } from '../../../src/emulators/service-account';
import { Child } from '../../../src/service/child';
import { SkeinProcess } from './helpers';

const PROJECT_ID = 'demo-skein';
const FIXTURES = join(__dirname, 'fixtures', 'federated');
const AGGREGATOR = 'skein-test/fed-aggregator:1.0.0';
const EAST = 'skein-test/fed-node:east';
const VALUES = [1, 2, 3, 4, 10, 20, 5, 7, 9];
const MEAN = VALUES.reduce((sum, value) => sum + value, 0) / VALUES.length;

interface FederatedOutput {
  readonly history: number[];
  readonly notAcknowledged: string[][];
  readonly pingNotAcknowledged: string[] | null;
  readonly failure: { error: string; participant: string } | null;
  readonly outcomes: Record<string, string>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this through the integration project.`);
  return value;
}

describe('Command: skein start (a federated analysis of an aggregator and three nodes in separate processes)', () => {
  const topic = `fed-it-${randomUUID().slice(0, 8)}`;
  const bucket = `fed-it-${randomUUID().slice(0, 8)}`;
  const mailboxRoot = `gs://${bucket}/.skein/federation`;
  const env = {
    TWINED_SERVICES_TOPIC_NAME: topic,
    GOOGLE_CLOUD_PROJECT: PROJECT_ID,
    STORAGE_EMULATOR_HOST: required('SKEIN_TEST_GCS_URL'),
    SKEIN_FEDERATION_MAILBOX_ROOT: mailboxRoot,
    OCTUE_SERVICE_REVISION_TAG: undefined,
  };
  const store = new GcsObjectStore({
    projectId: PROJECT_ID,
    apiEndpoint: required('SKEIN_TEST_GCS_URL'),
    credentials: createTestServiceAccount({ projectId: PROJECT_ID }).credentials,
  });
  let transport: PubSubTransport;
  const servers: SkeinProcess[] = [];
  const ready: Record<string, unknown>[] = [];

  async function ask(
    inputValues: Record<string, unknown>,
    onMonitorMessage: (data: unknown) => void = () => undefined,
  ): Promise<FederatedOutput> {
    const child = new Child({ id: AGGREGATOR, transport, objectStore: store });
    try {
      const { answer } = await child.ask({ inputValues, timeout: 300, handleMonitorMessage: onMonitorMessage });
      return answer.outputValues as FederatedOutput;
    } finally {
      await child.close();
    }
  }

  beforeAll(async () => {
    transport = new PubSubTransport({
      projectId: PROJECT_ID,
      topicName: topic,
      apiEndpoint: required('PUBSUB_EMULATOR_HOST'),
    });
    await transport.ensureTopic();
    await store.storage.createBucket(bucket);
    const starts = [
      ...['north', 'south', 'east'].map((tag) => ['-c', join(FIXTURES, 'node', 'octue.yaml'), '--revision-tag', tag]),
      ['-c', join(FIXTURES, 'aggregator', 'octue.yaml'), '--revision-tag', '1.0.0'],
    ];
    for (const args of starts) servers.push(new SkeinProcess(['start', ...args, '--json'], { env }));
    for (const server of servers) ready.push(JSON.parse(await server.nextLine()) as Record<string, unknown>);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.kill()));
    await transport.deleteTopic();
    await transport.close();
  });

  it('serves each process with federation on, printing the configured mailbox root', () => {
    expect(ready.map((line) => [line.service_id, line.federation_mailbox_root])).toEqual([
      ['skein-test/fed-node:north', mailboxRoot],
      ['skein-test/fed-node:south', mailboxRoot],
      [EAST, mailboxRoot],
      [AGGREGATOR, mailboxRoot],
    ]);
  });

  it('runs five rounds to the pooled mean and stores a noisy final result', async () => {
    // Act
    const output = await ask({ rounds: 5 });

    // Assess
    expect(output.history).toHaveLength(5);
    for (const estimate of output.history) expect(estimate).toBeCloseTo(MEAN, 9);
    expect(output.notAcknowledged).toEqual([[], [], [], [], []]);
    expect(output.pingNotAcknowledged).toBeNull();
    expect(output.failure).toBeNull();
    expect(Object.values(output.outcomes)).toEqual(['answered', 'answered', 'answered']);
    const { objects } = await store.list(`${mailboxRoot}/`);
    const results = objects.filter((object) => /\/final\/result_[0-9a-f]{4}_\d{12}\.txt$/.test(object.name));
    expect(results).toHaveLength(1);
    const noisy = Number((await store.read(results[0]?.location as string)).toString());
    // Laplace noise of scale 0.001: further than 1 from the mean with probability e^-1000.
    expect(Math.abs(noisy - MEAN)).toBeLessThan(1);
  }, 240_000);

  it('reports a killed node as not acknowledged, and ends the wait for its reply at the status sync', async () => {
    // Act: once round 1 is done, east's process is killed (SIGKILL) while the aggregator pings it.
    const east = servers[2] as SkeinProcess;
    const output = await ask({ rounds: 3, kill: 'east' }, () => void east.kill());

    // Assess: the round 2 wait has a one-hour timeout, so only the status sync can have ended it.
    expect(await east.exit()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(output.pingNotAcknowledged).toEqual([EAST]);
    expect(output.history).toHaveLength(1);
    expect(output.notAcknowledged).toEqual([[], [EAST]]);
    expect(output.failure).toEqual({ error: 'ParticipantFailed', participant: EAST });
    expect(output.outcomes).toEqual({
      'skein-test/fed-node:north': 'answered',
      'skein-test/fed-node:south': 'answered',
      [EAST]: 'failed',
    });
  }, 240_000);
});
