// Issue 10 §1 over the real components: a served service on the Pub/Sub emulator with the GCS-compatible server as
// its store. Hostile questions are published raw (as any peer could), so the service side is what refuses them; a
// loopback canary counts every request the service (or the parent) makes to it.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { PubSubTransport } from '../../../src/cloud/pubsub';
import type { GcsObjectStore } from '../../../src/cloud/storage';
import {
  encodeAttributes,
  makeQuestionAttributes,
  makeQuestionEvent,
  parseEventData,
  serialiseEventData,
} from '../../../src/core/events';
import type { ServiceEvent } from '../../../src/core/events';
import { Dataset } from '../../../src/core/resources';
import { answerSubscription } from '../../../src/core/topology';
import { CloudStorageBucketNotFound, FileLocationError, UrlHostNotAllowed } from '../../../src/errors';
import { Runner, Service } from '../../../src/service';
import type { Analysis } from '../../../src/service';
import { Child } from '../../../src/service/child';
import { emulatorStore, emulatorTopic, plantSecrets, startCanary } from '../../helpers/emulated-components';
import type { Canary } from '../../helpers/emulated-components';
import { waitFor } from '../../helpers/wait-for';

const PARENT = 'acme/parent:1.0.0';
const CHILD = 'acme/location-checked:1.0.0';
const SECRET = 'PRIVATE KEY of the service';

describe('Service: input manifest locations (Pub/Sub emulator and GCS server)', () => {
  let transport: PubSubTransport;
  let store: GcsObjectStore;
  let inputs: string;
  let secrets: string;
  let workDir: string;
  let victimDirectory: string;
  let canary: Canary;
  let appRuns = 0;
  const stop = new AbortController();
  let serving: Promise<void>;

  beforeAll(async () => {
    transport = await emulatorTopic('it-locations');
    store = emulatorStore();
    inputs = `inputs-${randomUUID().slice(0, 8)}`;
    await store.storage.createBucket(inputs);

    workDir = mkdtempSync(join(tmpdir(), 'skein-locations-it-'));
    ({ bucket: secrets, victimDirectory } = await plantSecrets(store, workDir, 'service.key', SECRET));
    mkdirSync(join(workDir, 'allowed'));
    symlinkSync(victimDirectory, join(workDir, 'allowed', 'escape'));

    canary = await startCanary();

    const runner = new Runner({
      app: async (analysis: Analysis) => {
        appRuns += 1;
        const [file] = analysis.inputManifest?.getDataset('data').files ?? [];
        const chunks: Buffer[] = [];
        for await (const chunk of await file!.openReadStream()) chunks.push(chunk as Buffer);
        analysis.outputValues = { read: Buffer.concat(chunks).toString('utf8') };
      },
      twine: { input_manifest: { datasets: { data: {} } }, output_values_schema: {} },
      objectStore: store,
      diagnosticsCloudPath: `gs://${inputs}/diagnostics`,
      allowedLocalRoots: [join(workDir, 'allowed')],
      allowedBuckets: [inputs],
    });
    const service = new Service({ serviceId: CHILD, transport, runner, objectStore: store });
    await new Promise<void>((ready) => {
      serving = service.serve({ signal: stop.signal, deleteSubscriptionOnExit: true, onReady: () => ready() });
    });
  });

  afterAll(async () => {
    stop.abort();
    await serving;
    await canary.close();
    await transport.deleteTopic();
    await transport.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  // Publishes a question raw, as any peer could, and returns the events of its answer.
  async function askRaw(inputManifest: unknown): Promise<ServiceEvent[]> {
    const attributes = makeQuestionAttributes({ sender: PARENT, recipient: CHILD, forwardLogs: false });
    const answers = answerSubscription({ parentSruid: PARENT, questionUuid: attributes.question_uuid });
    await transport.createSubscription(answers);
    const received: ServiceEvent[] = [];
    const listening = await transport.subscribe(answers.name, (message) => {
      received.push(parseEventData(message.data) as ServiceEvent);
    });
    const event = makeQuestionEvent({ inputManifest: inputManifest as never });
    await transport.publish({
      data: serialiseEventData(event),
      attributes: encodeAttributes(attributes),
      orderingKey: attributes.question_uuid,
    });
    await waitFor(() => received.some((e) => e.kind === 'exception' || e.kind === 'result'), 'the answer');
    await listening.close();
    await transport.deleteSubscription(answers.name);
    return received;
  }

  async function diagnosticsSaved(): Promise<number> {
    const listed = await store.list(`gs://${inputs}/diagnostics/`).catch((error: unknown) => {
      if (error instanceof CloudStorageBucketNotFound) return { objects: [] };
      throw error;
    });
    return listed.objects.length;
  }

  const manifest = (data: unknown): unknown => ({ id: randomUUID(), name: null, datasets: { data } });

  it.each([
    ['an absolute path', 'LocalPathNotAllowed', () => victimDirectory],
    ['a relative ../ path', 'LocalPathNotAllowed', () => relative(process.cwd(), victimDirectory)],
    ['a symlink escaping the allowed root', 'LocalPathNotAllowed', () => join(workDir, 'allowed', 'escape')],
    ['a file:// URL', 'LocalPathNotAllowed', () => pathToFileURL(join(victimDirectory, 'service.key')).href],
    ['an http:// URL to the loopback canary', 'UrlHostNotAllowed', () => `${canary.url}/.signed_metadata_files/x`],
    ['a gs:// path outside the allowed buckets', 'BucketNotAllowed', () => `gs://${secrets}/keys`],
  ])('answers a question naming %s with %s, reading and uploading nothing', async (_, type, location) => {
    const events = await askRaw(manifest(location()));

    const exception = events.find((e) => e.kind === 'exception') as Extract<ServiceEvent, { kind: 'exception' }>;
    expect(exception?.exception_type).toBe(type);
    expect(exception.exception_message).not.toContain(SECRET);
    expect(events.some((e) => e.kind === 'result')).toBe(false);
    expect(appRuns).toBe(0);
    expect(canary.hits()).toBe(0);
    expect(await diagnosticsSaved()).toBe(0);
  });

  it('names the canary host in the UrlHostNotAllowed message', async () => {
    const events = await askRaw(manifest(`${canary.url}/data`));

    const exception = events.find((e) => e.kind === 'exception') as Extract<ServiceEvent, { kind: 'exception' }>;
    expect(exception.exception_message).toContain(`'${new URL(canary.url).host}'`);
    expect(canary.hits()).toBe(0);
  });

  it('refuses on the parent side too: file:// is local, and an unsigned URL is never fetched', async () => {
    const child = new Child({ id: CHILD, transport, parentSruid: PARENT, objectStore: store });

    const local = child.ask({ inputManifest: manifest(pathToFileURL(victimDirectory).href) as never, timeout: 30 });
    const remote = child.ask({ inputManifest: manifest(`${canary.url}/data`) as never, timeout: 30 });

    await expect(local).rejects.toThrow(FileLocationError);
    await expect(remote).rejects.toThrow(UrlHostNotAllowed);
    await child.close();
    expect(canary.hits()).toBe(0);
    expect(appRuns).toBe(0);
  });

  it('reads a dataset the parent sends as a URL signed by the storage endpoint', async () => {
    const directory = join(workDir, 'to-upload');
    mkdirSync(directory);
    writeFileSync(join(directory, 'a.csv'), 'x\n1\n');
    const cloudPath = `gs://${inputs}/datasets/a`;
    await (await Dataset.fromLocalDirectory(directory)).upload({ store, cloudPath });
    const child = new Child({ id: CHILD, transport, parentSruid: PARENT, objectStore: store });

    const { answer } = await child.ask({ inputManifest: manifest(cloudPath) as never, timeout: 60 });
    await child.close();

    expect(answer.outputValues).toEqual({ read: 'x\n1\n' });
    expect(appRuns).toBe(1);
  });
});
