// Octue's recorded events and crash-diagnostics fixtures replay through Skein's ChildEmulator as they do through
// Octue's (tests/twined/cloud/emulators/test_child_emulator.py and tests/twined/utils/test_testing.py).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { LocalObjectStore } from '../../src/cloud/storage/local-object-store';
import { Manifest } from '../../src/core/resources';
import { createLogger, memoryLogSink } from '../../src/service';
import type { SkeinLogEntry } from '../../src/service';
import { ChildEmulator, loadFixtureFromDiagnostics } from '../../src/service/child-emulator';

const FIXTURES = path.join(__dirname, '../fixtures/octue/fixtures');
const EVENTS_FILE = path.join(FIXTURES, 'events.json');
const EVENTS = JSON.parse(readFileSync(EVENTS_FILE, 'utf8')) as {
  event: Record<string, unknown>;
  attributes: unknown;
}[];
const SENDER = 'octue/test-service:1.0.0';
const QUESTION_UUID = 'd45c7e99-d610-413b-8130-dd6eef46dda6';
// The recorded result's output manifest names this file; Octue's test reads it from its storage emulator.
const OUTPUT_FILE = 'gs://octue-sdk-python-test-bucket/example_output_datasets/example_dataset/output.dat';

describe('Conformance: replaying Octue recorded events (fixtures/events.json)', () => {
  let root: string;
  let objectStore: LocalObjectStore;
  let entries: SkeinLogEntry[];
  let emulator: ChildEmulator;

  beforeEach(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'skein-child-emulator-conformance-'));
    objectStore = new LocalObjectStore({ root });
    await objectStore.upload(OUTPUT_FILE, '1 2 3 4 5\n');
    const memory = memoryLogSink();
    entries = memory.entries;
    const logger = createLogger({ name: 'parent', sinks: [{ sink: memory.sink }] });
    emulator = await ChildEmulator.fromFile(EVENTS_FILE, { objectStore, logger });
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("is named after the recording's sender", () => {
    expect(emulator.id).toBe(SENDER);
    expect(emulator.toString()).toBe(`<ChildEmulator('${SENDER}')>`);
  });

  it('replays to the recorded result and question uuid', async () => {
    const { answer, questionUuid } = await emulator.ask({ inputValues: { hello: 'world' } });

    expect(questionUuid).toBe(QUESTION_UUID);
    expect(answer?.outputValues).toEqual([1, 2, 3, 4, 5]);
    expect(answer?.outputManifest).toBeInstanceOf(Manifest);
    expect(answer?.outputManifest?.id).toBe('a13713ae-f207-41c6-9e29-0a848ced6039');
    const dataset = answer?.outputManifest?.getDataset('example_dataset');
    expect([...(dataset ?? [])].map((file) => file.cloudPath)).toEqual([OUTPUT_FILE]);
  });

  it('stops at the result: the heartbeat recorded after it is not handled', async () => {
    await emulator.ask();

    expect(emulator.receivedEvents?.map((event) => event.event.kind)).toEqual(
      EVENTS.slice(0, 7).map((event) => event.event.kind),
    );
    expect(entries.some((entry) => entry.message.startsWith('Received a heartbeat'))).toBe(false);
  });

  it("re-emits the five log records under their loggers' names with the [sender | question] label", async () => {
    await emulator.ask();

    const relayed = entries.filter((entry) => entry.message.startsWith(`[${SENDER} | ${QUESTION_UUID}] `));
    const records = EVENTS.filter((event) => event.event.kind === 'log_record').map(
      (event) => event.event.log_record as { name: string; msg: string },
    );
    expect(relayed.map((entry) => [entry.name, entry.message])).toEqual(
      records.map((record) => [record.name, `[${SENDER} | ${QUESTION_UUID}] ${record.msg}`]),
    );
    expect(relayed.map((entry) => entry.name)).toContain('example_service_cloud_run.submodule');
  });

  it('answers null when the result and what follows it are removed', async () => {
    const { answer, questionUuid } = await new ChildEmulator({ events: EVENTS.slice(0, -2) }).ask();

    expect(answer).toBeNull();
    expect(questionUuid).toBe(QUESTION_UUID);
  });

  it('raises a recorded exception as the same class, captured from the remote service', async () => {
    const attributes = EVENTS[0]?.attributes;
    const exception = {
      event: {
        kind: 'exception',
        exception_type: 'TypeError',
        exception_message: 'This simulates an error in the child.',
        exception_traceback: [''],
      },
      attributes,
    };

    const error = await new ChildEmulator({ events: [...EVENTS.slice(0, -2), exception] })
      .ask({ inputValues: { hello: 'world' } })
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(
      `The following traceback was captured from the remote service '${SENDER}':`,
    );
  });

  it('passes a recorded monitor message to the handler', async () => {
    const monitor = {
      event: { kind: 'monitor_message', data: 'A sample monitor message.' },
      attributes: EVENTS[0]?.attributes,
    };
    const messages: unknown[] = [];

    await new ChildEmulator({ events: [monitor] }).ask({ handleMonitorMessage: (data) => void messages.push(data) });

    expect(messages).toEqual(['A sample monitor message.']);
  });
});

describe('Conformance: loading a test fixture from Octue diagnostics (fixtures/diagnostics)', () => {
  const directory = path.join(FIXTURES, 'diagnostics');

  it('loads the values, both manifests and one child emulator per recorded question', async () => {
    const fixture = await loadFixtureFromDiagnostics(directory);

    expect(fixture.configurationValues).toEqual({ getting: 'ready' });
    expect(Object.keys(fixture.configurationManifest?.datasets ?? {})).toEqual(['configuration_dataset']);
    expect(fixture.inputValues).toEqual({ hello: 'world' });
    expect(Object.keys(fixture.inputManifest?.datasets ?? {})).toEqual(['input_dataset']);
    expect(fixture.childEmulators).toHaveLength(1);
    expect(fixture.childEmulators[0]?.events.slice(2)).toEqual([
      { kind: 'monitor_message', data: { sample: 'data' } },
      { kind: 'result', output_values: [1, 2, 3, 4, 5] },
    ]);
  });

  it("reads the manifests' datasets from the local copies, with their .octue metadata", async () => {
    const fixture = await loadFixtureFromDiagnostics(directory);

    const dataset = fixture.inputManifest?.getDataset('input_dataset');
    expect(fixture.inputManifest?.id).toBe('6b47f41a-9d6f-41de-bc92-54ce8ecf5bed');
    expect(dataset?.path).toBe(path.join(directory, 'input_manifest_datasets', 'input_dataset'));
    expect(dataset?.id).toBe('b03e1838-0506-4ed7-a366-f0293e5af1bb');
    expect(dataset?.tags.toPrimitive()).toEqual({ more: 'metadata' });
    expect(fixture.configurationManifest?.getDataset('configuration_dataset').id).toBe(
      '5eb88462-7295-4a8e-90de-82bdf3241903',
    );
  });

  it("replays the recorded question: the child's logs, its monitor message and its result", async () => {
    const memory = memoryLogSink();
    const logger = createLogger({ name: 'parent', sinks: [{ sink: memory.sink }] });
    const fixture = await loadFixtureFromDiagnostics(directory, { logger });
    const emulator = fixture.childEmulators[0] as ChildEmulator;
    const messages: unknown[] = [];

    const { answer, questionUuid } = await emulator.ask({ handleMonitorMessage: (data) => void messages.push(data) });

    expect(emulator.id).toBe('octue/my-child:2.3.0');
    expect(answer).toEqual({ outputValues: [1, 2, 3, 4, 5], outputManifest: null });
    expect(messages).toEqual([{ sample: 'data' }]);
    expect(memory.entries.map((entry) => entry.message)).toEqual(
      expect.arrayContaining([
        `[octue/my-child:2.3.0 | ${questionUuid}] Starting analysis.`,
        `[octue/my-child:2.3.0 | ${questionUuid}] Finishing analysis.`,
      ]),
    );
  });
});
