// Issue 10 §1, parent side, over the real components: a Child on the Pub/Sub emulator with the GCS-compatible server
// as its store. A raw child (any peer could publish its answer) names the parent's own files, a loopback canary or a
// bucket the parent does not read; the parent refuses each answer with a typed error before reading anything. A
// served child answering with datasets signed by the storage endpoint is still read.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { PubSubTransport } from '../../../src/cloud/pubsub';
import type { GcsObjectStore } from '../../../src/cloud/storage';
import {
  decodeAttributes,
  encodeAttributes,
  makeResponseAttributes,
  refreshAttributes,
  serialiseEventData,
} from '../../../src/core/events';
import type { QuestionAttributes } from '../../../src/core/events';
import { Dataset } from '../../../src/core/resources';
import { childSubscription } from '../../../src/core/topology';
import { BucketNotAllowed, LocalPathNotAllowed, UrlHostNotAllowed } from '../../../src/errors';
import { Runner, Service } from '../../../src/service';
import type { Analysis } from '../../../src/service';
import { Child } from '../../../src/service/child';
import { emulatorStore, emulatorTopic, plantSecrets, startCanary } from '../../helpers/emulated-components';
import type { Canary } from '../../helpers/emulated-components';

const PARENT = 'acme/parent:1.0.0';
const HOSTILE = 'acme/hostile-child:1.0.0';
const HONEST = 'acme/honest-child:1.0.0';
const SECRET = 'PRIVATE KEY of the parent';

describe('Child: answer manifest locations (Pub/Sub emulator and GCS server)', () => {
  let transport: PubSubTransport;
  let store: GcsObjectStore;
  let outputs: string;
  let secrets: string;
  let workDir: string;
  let victimDirectory: string;
  let canary: Canary;
  // What the hostile child names in its next answer's output manifest.
  let hostileSummary: unknown;
  const stop = new AbortController();
  let serving: Promise<void>;

  beforeAll(async () => {
    transport = await emulatorTopic('it-answer-locations');
    store = emulatorStore();
    outputs = `outputs-${randomUUID().slice(0, 8)}`;
    await store.storage.createBucket(outputs);

    workDir = mkdtempSync(join(tmpdir(), 'skein-answer-locations-it-'));
    ({ bucket: secrets, victimDirectory } = await plantSecrets(store, workDir, 'parent.key', SECRET));

    canary = await startCanary();

    // The hostile child: a raw subscriber answering every question with whatever `hostileSummary` holds.
    const spec = childSubscription(HOSTILE);
    await transport.createSubscription(spec, { allowExisting: true });
    await transport.subscribe(spec.name, async (message) => {
      message.ack();
      const question = decodeAttributes(message.attributes, 'question') as QuestionAttributes;
      const attributes = refreshAttributes(makeResponseAttributes(question, HOSTILE));
      const event = {
        kind: 'result',
        output_values: null,
        output_manifest: { id: randomUUID(), name: null, datasets: { summary: hostileSummary } },
      };
      await transport.publish({
        data: serialiseEventData(event as never),
        attributes: encodeAttributes(attributes),
        orderingKey: question.question_uuid,
      });
    });

    // The honest child: a served Runner uploading its output dataset and answering with URLs the server signs.
    const runner = new Runner({
      app: async (analysis: Analysis) => {
        const directory = join(workDir, `summary-${analysis.id}`);
        mkdirSync(directory);
        writeFileSync(join(directory, 'summary.csv'), 'column,mean\nx,1\n');
        analysis.outputManifest!.datasets.summary = await Dataset.fromLocalDirectory(directory);
      },
      twine: { output_manifest: { datasets: { summary: {} } } },
      objectStore: store,
      outputLocation: `gs://${outputs}/honest`,
      useSignedUrlsForOutputDatasets: true,
    });
    const service = new Service({ serviceId: HONEST, transport, runner, objectStore: store });
    await new Promise<void>((ready) => {
      serving = service.serve({ signal: stop.signal, deleteSubscriptionOnExit: true, onReady: () => ready() });
    });
  });

  afterAll(async () => {
    stop.abort();
    await serving;
    await canary.close();
    await transport.deleteSubscription(childSubscription(HOSTILE).name).catch(() => undefined);
    await transport.deleteTopic();
    await transport.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  function parent(id: string): Child {
    return new Child({
      id,
      transport,
      parentSruid: PARENT,
      objectStore: store,
      allowedBuckets: [outputs],
      answerSubscriptionLingerMs: 0,
    });
  }

  it.each([
    ['an absolute path', LocalPathNotAllowed, () => victimDirectory],
    ['a file:// URL', LocalPathNotAllowed, () => pathToFileURL(join(victimDirectory, 'parent.key')).href],
    ['an http:// URL to the loopback canary', UrlHostNotAllowed, () => `${canary.url}/.signed_metadata_files/x`],
    ['a gs:// path outside the allowed buckets', BucketNotAllowed, () => `gs://${secrets}/keys`],
  ])('rejects an answer naming %s with its typed error, requesting nothing', async (_, type, location) => {
    hostileSummary = location();
    const child = parent(HOSTILE);

    const asking = child.ask({ timeout: 60 });

    await expect(asking).rejects.toThrow(type);
    await expect(asking).rejects.not.toThrow(SECRET);
    await child.close();
    expect(canary.hits()).toBe(0);
  });

  it('reads an answer whose datasets are signed by the storage endpoint', async () => {
    const child = parent(HONEST);

    const { answer } = await child.ask({ timeout: 60 });
    await child.close();

    const file = answer.outputManifest?.datasets.summary?.files.one({ name: 'summary.csv' });
    expect(file?.path).toMatch(new RegExp(`^${store.signedUrlBase}/`));
    const chunks: Buffer[] = [];
    for await (const chunk of await file!.openReadStream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).toBe('column,mean\nx,1\n');
  });
});
