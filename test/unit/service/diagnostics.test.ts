import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { SaveDiagnostics } from '../../../src/core/events';
import { Dataset, Manifest } from '../../../src/core/resources';
import { CloudStorageBucketNotFound } from '../../../src/errors';
import { createLogger, Diagnostics, memoryLogSink, Runner } from '../../../src/service';
import type { Analysis, ChildFactory } from '../../../src/service';
import { temporaryStore } from './helpers';

const DIAGNOSTICS = 'gs://diagnostics-bucket/diagnostics';
const ANALYSIS_ID = '4b91e3f0-4492-49e3-8061-34f1942dc68a';
const QUESTION_DIRECTORY = `${DIAGNOSTICS}/${ANALYSIS_ID}`;

const TWINE = {
  configuration_values_schema: { properties: {} },
  configuration_manifest: { datasets: {} },
  children: [{ key: 'my-child' }, { key: 'another-child' }],
  input_values_schema: {},
  input_manifest: { datasets: {} },
};

const CHILDREN = [
  { key: 'my-child', id: 'octue/a-child:1.0.0', backend: { name: 'GCPPubSubBackend', project_id: 'my-project' } },
  {
    key: 'another-child',
    id: 'octue/another-child:1.0.0',
    backend: { name: 'GCPPubSubBackend', project_id: 'my-project' },
  },
];

const RESULT_EVENT = {
  event: { kind: 'result', output_values: [1, 4, 9, 16] },
  attributes: { sender: 'octue/a-child:1.0.0' },
};

// Children answer at once and report the events they "received", as a Child records them.
const childFactory: ChildFactory = (record) => ({
  id: record.id,
  receivedEvents: [RESULT_EVENT],
  ask: async (question) => {
    if (question.inputValues === 'fail') throw new TypeError('This simulates an error in the child.');
    return { answer: { outputValues: [1, 4, 9, 16] }, questionUuid: 'q-child' };
  },
});

let storage: ReturnType<typeof temporaryStore>;

beforeEach(() => {
  storage = temporaryStore();
});

afterEach(() => {
  storage.cleanup();
});

async function cloudManifest(kind: string): Promise<Record<string, unknown>> {
  const directory = join(storage.root, 'local', `${kind}_dataset`);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'my_file.txt'), `${kind} manifest data`);
  const dataset = await Dataset.fromLocalDirectory(directory, { labels: [`some-${kind}-metadata`] });
  for (const file of dataset.files) file.tags.update({ some: `${kind}_info` });
  const path = await dataset.upload({ store: storage.store, cloudPath: `gs://data-bucket/${kind}_dataset` });
  return { id: '8ead7669-8162-4f64-8cd5-4abe92509e17', datasets: { met_mast_data: path } };
}

// The names saved under the diagnostics directory (none when nothing created the bucket).
async function savedNames(): Promise<string[]> {
  const listed = await storage.store.list(`${DIAGNOSTICS}/`).catch((error: unknown) => {
    if (error instanceof CloudStorageBucketNotFound) return { objects: [] };
    throw error;
  });
  return listed.objects.map((object) => object.name);
}

async function readJson(name: string): Promise<unknown> {
  return JSON.parse((await storage.store.read(`${QUESTION_DIRECTORY}/${name}`)).toString('utf8'));
}

async function runCrashing(saveDiagnostics: SaveDiagnostics, crash = true): Promise<unknown> {
  const app = async (analysis: Analysis): Promise<void> => {
    await analysis.children['my-child']?.ask({ inputValues: [1, 2, 3, 4] });
    await analysis.children['another-child']?.ask({ inputValues: 'fail' }).catch(() => undefined);
    if (crash) throw new Error('This is deliberately raised to simulate app failure.');
  };
  const runner = new Runner({
    app,
    twine: TWINE,
    configurationValues: { hello: 'configuration' },
    configurationManifest: await cloudManifest('configuration'),
    children: CHILDREN,
    childFactory,
    diagnosticsCloudPath: DIAGNOSTICS,
    objectStore: storage.store,
    serviceId: 'octue/my-app:2.5.7',
  });
  return runner
    .run({
      analysisId: ANALYSIS_ID,
      inputValues: '{"hello": "world"}',
      inputManifest: await cloudManifest('input'),
      saveDiagnostics,
    })
    .catch((error: unknown) => error);
}

describe('Crash diagnostics', () => {
  it("saves the configuration, inputs, datasets and children's questions in Octue's layout when the app crashes", async () => {
    // Act
    const outcome = await runCrashing('SAVE_DIAGNOSTICS_ON_CRASH');

    // Assess
    expect(outcome).toBeInstanceOf(Error);
    expect(await readJson('configuration_values.json')).toEqual({ hello: 'configuration' });
    expect(await readJson('input_values.json')).toEqual({ hello: 'world' });

    const inputManifest = await Manifest.fromCloud(`${QUESTION_DIRECTORY}/input_manifest.json`, {
      store: storage.store,
    });
    const dataset = inputManifest.getDataset('met_mast_data');
    expect(dataset.path).toBe(`${QUESTION_DIRECTORY}/input_manifest_datasets/met_mast_data`);
    expect([...dataset.labels]).toEqual(['some-input-metadata']);
    const [file] = dataset.files.toArray();
    expect(file?.cloudPath).toBe(`${QUESTION_DIRECTORY}/input_manifest_datasets/met_mast_data/my_file.txt`);
    expect(Object.fromEntries(file?.tags ?? [])).toEqual({ some: 'input_info' });
    expect(
      (
        await storage.store.read(`${QUESTION_DIRECTORY}/configuration_manifest_datasets/met_mast_data/my_file.txt`)
      ).toString(),
    ).toBe('configuration manifest data');

    const questions = (await readJson('questions.json')) as Record<string, unknown>[];
    expect(questions).toHaveLength(2);
    expect(questions[0]).toMatchObject({
      id: 'octue/a-child:1.0.0',
      key: 'my-child',
      input_values: [1, 2, 3, 4],
      parent_question_uuid: ANALYSIS_ID,
      events: [RESULT_EVENT],
    });
    // A failed ask is recorded too.
    expect(questions[1]).toMatchObject({ key: 'another-child', input_values: 'fail' });
  });

  it('saves nothing when diagnostics are off', async () => {
    await runCrashing('SAVE_DIAGNOSTICS_OFF');

    expect(await savedNames()).toEqual([]);
  });

  it('saves nothing after a successful run with ON_CRASH, and saves everything with ON', async () => {
    await runCrashing('SAVE_DIAGNOSTICS_ON_CRASH', false);
    const afterOnCrash = await savedNames();
    await runCrashing('SAVE_DIAGNOSTICS_ON', false);

    expect(afterOnCrash).toEqual([]);
    expect(await readJson('questions.json')).toHaveLength(2);
    expect(await savedNames()).toEqual(
      expect.arrayContaining([
        `diagnostics/${ANALYSIS_ID}/configuration_values.json`,
        `diagnostics/${ANALYSIS_ID}/configuration_manifest.json`,
        `diagnostics/${ANALYSIS_ID}/input_values.json`,
        `diagnostics/${ANALYSIS_ID}/input_manifest.json`,
        `diagnostics/${ANALYSIS_ID}/questions.json`,
      ]),
    );
  });
});

describe('Class: Diagnostics', () => {
  describe('Method: upload', () => {
    it('logs a warning and uploads nothing without a diagnostics path', async () => {
      const { sink, entries } = memoryLogSink();
      const diagnostics = new Diagnostics({
        cloudPath: undefined,
        objectStore: storage.store,
        logger: createLogger({ sinks: [{ sink }] }),
      });

      expect(await diagnostics.upload()).toBeUndefined();
      expect(entries[0]).toMatchObject({
        level: 'warning',
        message: expect.stringContaining('diagnostics_cloud_path'),
      });
    });

    it('logs upload failures instead of throwing them', async () => {
      const { sink, entries } = memoryLogSink();
      const diagnostics = new Diagnostics({
        cloudPath: DIAGNOSTICS,
        objectStore: undefined,
        logger: createLogger({ sinks: [{ sink }] }),
      });
      diagnostics.addData({ analysisId: 'a', inputValues: { x: 1 } });

      expect(await diagnostics.upload()).toBeUndefined();
      expect(
        entries.some((entry) => entry.level === 'error' && entry.message === 'Failed to upload diagnostics.'),
      ).toBe(true);
    });

    it('keeps a snapshot of the data as it was when added', async () => {
      const diagnostics = new Diagnostics({
        cloudPath: DIAGNOSTICS,
        objectStore: storage.store,
        logger: createLogger(),
      });
      const values = { hello: 'world' };
      diagnostics.addData({ analysisId: ANALYSIS_ID, inputValues: values });
      values.hello = 'changed by the app';

      await diagnostics.upload();

      expect(await readJson('input_values.json')).toEqual({ hello: 'world' });
      expect(await readJson('questions.json')).toEqual([]);
    });
  });
});
