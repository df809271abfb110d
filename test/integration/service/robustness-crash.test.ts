// Exactly once across a crash (issue 10 §7), over the real Pub/Sub emulator and GCS-compatible server: a service
// process is killed mid-analysis; Pub/Sub delivers the question again (it was not acknowledged), and once the dead
// process's claim lease has expired, another process takes the question over and answers it. The parent gets exactly
// one result. Heartbeats (and so leases) are short so that the test is quick; nothing here depends on timing.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { GcsObjectStore } from '../../../src/cloud/storage';
import { formatAttributeFilter } from '../../../src/core/ports/transport';
import { childSubscription } from '../../../src/core/topology';
import { createTestServiceAccount } from '../../../src/emulators/service-account';
import { Child } from '../../../src/service/child';
import { PARENT, PROJECT_ID, RawReader, ServiceProcess, TestTopic, waitFor } from './robustness-helpers';

jest.setTimeout(180_000);

const SERVICE = 'acme/robust-lease:1.0.0';
const SCRIPT = join(__dirname, 'processes', 'lease-service.js');
const HEARTBEAT_MS = 500;

/** Polls an asynchronous check until it holds; fails after 20 s, so a broken path fails rather than hangs. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function gcsUrl(): string {
  const url = process.env.SKEIN_TEST_GCS_URL;
  if (!url) throw new Error('SKEIN_TEST_GCS_URL is not set; run this through the integration project.');
  return url;
}

describe('Class: Service (a process killed mid-analysis)', () => {
  let topic: TestTopic;
  let store: GcsObjectStore;
  let claimsLocation: string;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    const account = createTestServiceAccount({ projectId: PROJECT_ID });
    store = new GcsObjectStore({ projectId: PROJECT_ID, apiEndpoint: gcsUrl(), credentials: account.credentials });
    const bucket = `crash-${randomUUID().slice(0, 8)}`;
    await store.storage.createBucket(bucket);
    claimsLocation = `gs://${bucket}/.skein/claims`;
    topic = await new TestTopic().create();
    // Both processes serve this one subscription, created here as the service's (name and filter) with two changes.
    // A 10 s ack deadline makes the emulator deliver the dead process's question again soon, rather than after
    // Octue's 600 s. And no message ordering: with it, the emulator sometimes never delivers again a message whose
    // subscriber was killed (measured: 3 of 10 runs stuck for 60 s with ordering, 0 of 14 without). A question is
    // the only message on its ordering key, so ordering plays no part in what this test checks.
    const spec = childSubscription(SERVICE);
    await topic.admin.topic(topic.name).createSubscription(spec.name, {
      ackDeadlineSeconds: 10,
      enableMessageOrdering: false,
      filter: formatAttributeFilter(spec.filter ?? {}),
    });
  });

  afterAll(async () => {
    await Promise.all(processes.map((running) => running.kill()));
    await topic.transport.deleteSubscription(childSubscription(SERVICE).name).catch(() => undefined);
    await topic.dispose();
  });

  function start(behaviour: 'hang' | 'answer'): ServiceProcess {
    const running = new ServiceProcess(
      topic.name,
      SERVICE,
      {
        SKEIN_TEST_BEHAVIOUR: behaviour,
        SKEIN_TEST_GCS_URL: gcsUrl(),
        SKEIN_TEST_CLAIMS_LOCATION: claimsLocation,
        SKEIN_TEST_HEARTBEAT_MS: String(HEARTBEAT_MS),
      },
      SCRIPT,
    );
    processes.push(running);
    return running;
  }

  /** Whether the claim's lease was renewed: it then ends more than one lease after the claim was made. */
  async function renewedOnce(location: string): Promise<boolean> {
    const claim = await store.read(location).then(
      (bytes) => JSON.parse(bytes.toString()) as { claimedAt: string; leaseExpiresAt: string },
      () => undefined,
    );
    return claim !== undefined && Date.parse(claim.leaseExpiresAt) - Date.parse(claim.claimedAt) > 3 * HEARTBEAT_MS;
  }

  it('answers the question again in another process once the lease expired, and the parent gets one result', async () => {
    // Prepare: only the process that will die listens when the question is asked.
    const doomed = start('hang');
    await doomed.ready;
    const reader = await RawReader.open(topic);
    const child = new Child({ id: SERVICE, transport: topic.transport, parentSruid: PARENT });
    const questionUuid = randomUUID();

    // Act: the parent asks; the first process starts the analysis and is killed in it; a second process starts.
    const asking = child.ask({ inputValues: {}, questionUuid, timeout: 120, maximumHeartbeatInterval: 120 });
    await waitFor(() => doomed.output.includes(`STARTED ${questionUuid}`), 'the first analysis to start');
    // Killed only once it renewed its lease (at a heartbeat): an acknowledgement sent when the question arrived would
    // have reached Pub/Sub by then, so only a question left unacknowledged comes again.
    await eventually(() => renewedOnce(`${claimsLocation}/${questionUuid}/0`), 'the first lease renewal');
    await doomed.kill();
    const survivor = start('answer');
    await survivor.ready;
    const { answer } = await asking.catch((error: unknown) => {
      process.stderr.write(`DOOMED:\n${doomed.errorOutput}\nSURVIVOR:\n${survivor.errorOutput}\n`);
      throw error;
    });
    await child.close();
    const exitCode = await survivor.stop();
    // Everything published on the question's ordering key before the sentinel has been read once it arrives.
    await reader.readThrough(topic, questionUuid);

    // Assess: the survivor answered, after running the analysis once, and there was one result in all.
    const results = reader.messages.filter(
      (message) =>
        message.attributes.question_uuid === questionUuid &&
        (JSON.parse(message.data.toString()) as { kind?: string }).kind === 'result',
    );
    expect(answer.outputValues).toEqual({ answeredBy: expect.any(Number) });
    expect(results).toHaveLength(1);
    expect(survivor.output.split(`STARTED ${questionUuid}`)).toHaveLength(2);
    expect(survivor.errorOutput).toContain('stopped renewing its claim');
    expect(exitCode).toBe(0);
    const claim = JSON.parse((await store.read(`${claimsLocation}/${questionUuid}/0`)).toString()) as object;
    expect(claim).toMatchObject({ state: 'finished', takeovers: 1 });
  });
});
