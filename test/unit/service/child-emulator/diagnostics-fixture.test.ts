import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Dataset, Manifest } from '../../../../src/core/resources';
import { InvalidInputException, InvalidRecording, RecordingNotFound } from '../../../../src/errors';
import { Runner } from '../../../../src/service';
import type { Analysis } from '../../../../src/service';
import { ChildEmulator, loadFixtureFromDiagnostics } from '../../../../src/service/child-emulator';
import { temporaryStore } from '../helpers';
import { RECORDING, recorded } from './helpers';

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
  { key: 'my-child', id: 'octue/test-service:1.0.0', backend: { name: 'GCPPubSubBackend', project_id: 'p' } },
  { key: 'another-child', id: 'octue/another-child:1.0.0', backend: { name: 'GCPPubSubBackend', project_id: 'p' } },
];

const FAILURE = [
  { kind: 'log_record', log_record: { msg: 'Looking.' } },
  { kind: 'exception', exception_type: 'TypeError', exception_message: 'This simulates an error in the child.' },
];

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
  const path = await dataset.upload({ store: storage.store, cloudPath: `gs://data-bucket/${kind}_dataset` });
  return { id: '8ead7669-8162-4f64-8cd5-4abe92509e17', datasets: { met_mast_data: path } };
}

// A Skein app whose children are emulators asks each once, then crashes, saving diagnostics in the local store.
async function saveSkeinDiagnostics(): Promise<void> {
  const emulators: Record<string, ChildEmulator> = {
    'my-child': new ChildEmulator({ events: RECORDING }),
    'another-child': new ChildEmulator({ events: FAILURE, id: 'octue/another-child:1.0.0' }),
  };
  const app = async (analysis: Analysis): Promise<void> => {
    await analysis.children['my-child']?.ask({ inputValues: [1, 2, 3, 4] });
    await analysis.children['another-child']?.ask({ inputValues: 'fail' }).catch(() => undefined);
    throw new Error('This is deliberately raised to simulate app failure.');
  };
  const runner = new Runner({
    app,
    twine: TWINE,
    configurationValues: { hello: 'configuration', when: new Set([1, 2]) },
    configurationManifest: await cloudManifest('configuration'),
    children: CHILDREN,
    childFactory: (record) => emulators[record.key] as ChildEmulator,
    diagnosticsCloudPath: DIAGNOSTICS,
    objectStore: storage.store,
    serviceId: 'octue/my-app:2.5.7',
  });
  await expect(
    runner.run({
      analysisId: ANALYSIS_ID,
      inputValues: { hello: 'world' },
      inputManifest: await cloudManifest('input'),
      saveDiagnostics: 'SAVE_DIAGNOSTICS_ON_CRASH',
    }),
  ).rejects.toThrow('deliberately raised');
}

function localDiagnosticsDirectory(): string {
  return join(storage.root, 'storage', 'diagnostics-bucket', 'diagnostics', ANALYSIS_ID);
}

function writeDiagnostics(files: Record<string, unknown>): string {
  const directory = join(storage.root, 'downloaded', ANALYSIS_ID);
  mkdirSync(directory, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(directory, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return directory;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('Function: loadFixtureFromDiagnostics', () => {
  it("loads Skein's diagnostics from the cloud: values, manifests and one emulator per question, in order", async () => {
    await saveSkeinDiagnostics();

    const fixture = await loadFixtureFromDiagnostics(QUESTION_DIRECTORY, { objectStore: storage.store });

    expect(fixture.configurationValues).toEqual({ hello: 'configuration', when: new Set([1, 2]) });
    expect(fixture.inputValues).toEqual({ hello: 'world' });
    expect(fixture.inputManifest).toBeInstanceOf(Manifest);
    const dataset = fixture.inputManifest?.getDataset('met_mast_data');
    expect(dataset?.path).toBe(`${QUESTION_DIRECTORY}/input_manifest_datasets/met_mast_data`);
    expect([...(dataset?.labels ?? [])]).toEqual(['some-input-metadata']);
    expect(fixture.configurationManifest?.getDataset('met_mast_data').path).toBe(
      `${QUESTION_DIRECTORY}/configuration_manifest_datasets/met_mast_data`,
    );
    expect(fixture.childEmulators.map((emulator) => emulator.id)).toEqual([
      'octue/test-service:1.0.0',
      'octue/another-child:1.0.0',
    ]);
    const { answer } = await (fixture.childEmulators[0] as ChildEmulator).ask();
    expect(answer).toEqual({ outputValues: [1, 2, 3, 4, 5], outputManifest: null });
    await expect((fixture.childEmulators[1] as ChildEmulator).ask()).rejects.toThrow(
      'This simulates an error in the child.',
    );
  });

  it("loads Skein's diagnostics from a local directory, reading the datasets' local copies", async () => {
    await saveSkeinDiagnostics();
    const directory = localDiagnosticsDirectory();

    const fixture = await loadFixtureFromDiagnostics(directory);

    const dataset = fixture.inputManifest?.getDataset('met_mast_data');
    expect(dataset?.path).toBe(join(directory, 'input_manifest_datasets', 'met_mast_data'));
    expect([...(dataset ?? [])].map((file) => file.name)).toEqual(['my_file.txt']);
    expect(fixture.inputValues).toEqual({ hello: 'world' });
    expect(fixture.childEmulators).toHaveLength(2);
  });

  it("replays the questions of Octue's pre-0.41 diagnostics (messages with type)", async () => {
    const directory = writeDiagnostics({
      'questions.json': [
        {
          id: 'octue/my-child:latest',
          messages: [
            { type: 'monitor_message', data: '{"sample": "data"}' },
            { type: 'result', output_values: [1, 2, 3, 4, 5], output_manifest: null },
          ],
        },
      ],
    });
    const messages: unknown[] = [];

    const fixture = await loadFixtureFromDiagnostics(directory);
    const { answer } = await (fixture.childEmulators[0] as ChildEmulator).ask({
      handleMonitorMessage: (data) => void messages.push(data),
    });

    expect(fixture.childEmulators[0]?.id).toBe('octue/my-child:latest');
    expect(messages).toEqual([{ sample: 'data' }]);
    expect(answer).toEqual({ outputValues: [1, 2, 3, 4, 5], outputManifest: null });
    expect(fixture.configurationValues).toBeUndefined();
    expect(fixture.configurationManifest).toBeUndefined();
  });

  it('gives no emulators when there is no questions.json', async () => {
    const fixture = await loadFixtureFromDiagnostics(writeDiagnostics({ 'input_values.json': { n: 1 } }));

    expect(fixture.inputValues).toEqual({ n: 1 });
    expect(fixture.childEmulators).toEqual([]);
  });

  it('throws RecordingNotFound for a directory that does not exist', async () => {
    const missing = join(storage.root, 'nowhere');

    const error = await failure(loadFixtureFromDiagnostics(missing));

    expect(error).toBeInstanceOf(RecordingNotFound);
    expect((error as RecordingNotFound).path).toBe(missing);
    expect((error as Error).message).toContain('No diagnostics directory exists');
  });

  it.each([
    ['an empty local directory', () => writeDiagnostics({})],
    ['a cloud path with nothing there', () => `${DIAGNOSTICS}/no-such-question`],
  ])('throws RecordingNotFound for %s', async (_case, source) => {
    const error = await failure(loadFixtureFromDiagnostics(source(), { objectStore: storage.store }));

    expect(error).toBeInstanceOf(RecordingNotFound);
    expect((error as Error).message).toContain('holds none of the diagnostics files');
  });

  it('throws InvalidInputException for a cloud path without an object store', async () => {
    await expect(loadFixtureFromDiagnostics(QUESTION_DIRECTORY)).rejects.toBeInstanceOf(InvalidInputException);
  });

  it.each([
    ['values that are not JSON', { 'input_values.json': '{"hello":' }, 'input_values.json', ''],
    ['questions that are not a list', { 'questions.json': { events: [] } }, 'questions.json', ''],
    [
      'a question with no events',
      { 'questions.json': [{ id: 'octue/a:1.0.0', events: [] }] },
      'questions.json',
      '/0/events',
    ],
    [
      'a question with a malformed event',
      { 'questions.json': [{ id: 'octue/a:1.0.0', events: [recorded({ kind: 'result' })] }, { events: [{}] }] },
      'questions.json',
      '/1/events/0/kind',
    ],
  ])('throws InvalidRecording for %s', async (_case, files, file, pointer) => {
    const directory = writeDiagnostics(files);

    const error = await failure(loadFixtureFromDiagnostics(directory));

    expect(error).toBeInstanceOf(InvalidRecording);
    expect((error as InvalidRecording).path).toBe(join(directory, file));
    expect((error as InvalidRecording).failures[0]?.pointer).toBe(pointer);
  });
});
