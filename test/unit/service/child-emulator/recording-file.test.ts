import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { InvalidRecording, RecordingNotFound, RecordingNotSaved } from '../../../../src/errors';
import { ChildEmulator, saveRecordedEvents } from '../../../../src/service/child-emulator';
import { CHILD, QUESTION_UUID, RECORDING, recorded, temporaryDirectory } from './helpers';

let directory: ReturnType<typeof temporaryDirectory>;

beforeEach(() => {
  directory = temporaryDirectory();
});

afterEach(() => {
  directory.cleanup();
});

function writeJson(name: string, value: unknown): string {
  const file = join(directory.path, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

const BARE = [
  { kind: 'log_record', log_record: { msg: 'Starting analysis.' } },
  { kind: 'monitor_message', data: { sample: 'data' } },
  { kind: 'result', output_values: [1, 2, 3, 4, 5] },
];

describe('Class: ChildEmulator', () => {
  describe('Method: fromFile', () => {
    it('replays a file holding a list of recorded events', async () => {
      const emulator = await ChildEmulator.fromFile(writeJson('events.json', RECORDING));

      const { answer, questionUuid } = await emulator.ask();

      expect(emulator.id).toBe(CHILD);
      expect(answer).toEqual({ outputValues: [1, 2, 3, 4, 5], outputManifest: null });
      expect(questionUuid).toBe(QUESTION_UUID);
    });

    it.each([
      ['events', { events: BARE }],
      ['messages (Octue before 0.41)', { messages: BARE }],
    ])("reads Octue's object form with %s, its id and internal SRUID", async (_case, body) => {
      const file = writeJson('child.json', {
        id: 'octue/my-child:2.3.0',
        backend: { name: 'GCPPubSubBackend', project_name: 'blah' },
        internal_sruid: 'octue/my-service:2.3.0',
        ...body,
      });

      const emulator = await ChildEmulator.fromFile(file);
      const { answer } = await emulator.ask();

      expect(emulator.id).toBe('octue/my-child:2.3.0');
      expect(emulator.parentSruid).toBe('octue/my-service:2.3.0');
      expect(answer).toEqual({ outputValues: [1, 2, 3, 4, 5], outputManifest: null });
    });

    it('lets the options override the ids the file names', async () => {
      const file = writeJson('child.json', { id: 'octue/my-child:2.3.0', events: BARE });

      const emulator = await ChildEmulator.fromFile(file, { id: 'acme/other:1.0.0' });

      expect(emulator.id).toBe('acme/other:1.0.0');
    });

    it('accepts a file whose replay ends with an exception', async () => {
      const file = writeJson('failing.json', [
        { kind: 'exception', exception_type: 'FileNotFoundError', exception_message: 'Blah blah blah.' },
      ]);

      const emulator = await ChildEmulator.fromFile(file);

      await expect(emulator.ask()).rejects.toThrow('Blah blah blah.');
    });

    it('turns Octue JSON sets and datetimes back into Sets and Dates', async () => {
      const data = {
        seen: { _type: 'set', items: [1, 2] },
        at: { _type: 'datetime', value: '2024-04-11T10:46:48+00:00' },
      };
      const file = writeJson('events.json', [
        recorded({ kind: 'monitor_message', data }),
        recorded({ kind: 'result' }),
      ]);
      const messages: unknown[] = [];

      await (await ChildEmulator.fromFile(file)).ask({ handleMonitorMessage: (m) => void messages.push(m) });

      expect(messages).toEqual([{ seen: new Set([1, 2]), at: new Date('2024-04-11T10:46:48Z') }]);
    });

    it('throws RecordingNotFound for a file that does not exist', async () => {
      const file = join(directory.path, 'missing.json');

      const error = await failure(ChildEmulator.fromFile(file));

      expect(error).toBeInstanceOf(RecordingNotFound);
      expect((error as RecordingNotFound).path).toBe(file);
      expect((error as Error).message).toBe(`The recording file '${file}' does not exist. Check the path.`);
    });

    it('throws RecordingNotFound for a directory', async () => {
      await expect(ChildEmulator.fromFile(directory.path)).rejects.toBeInstanceOf(RecordingNotFound);
    });

    it.each([
      ['not JSON', '{"events": [', '', 'is not JSON'],
      ['an object without events', { id: 'octue/my-child:2.3.0' }, '/events', 'holds no events'],
      ['an empty object', {}, '/events', 'holds no events'],
      ['a JSON string', '"events"', '/events', 'holds no events'],
      ['an empty list', [], '', 'needs at least one event'],
      ['events without a result or exception', RECORDING.slice(0, 3), '', 'has no result or exception event'],
      ['a malformed event', [recorded({ kind: 'result' }), { kind: 'nonsense' }], '/1/kind', 'cannot be replayed'],
      ['a malformed event in the object form', { events: [{ kind: 'result' }, 7] }, '/events/1', 'cannot be replayed'],
    ])('throws InvalidRecording for a file that is %s', async (_case, content, pointer, message) => {
      const file = writeJson('bad.json', content);

      const error = await failure(ChildEmulator.fromFile(file));

      expect(error).toBeInstanceOf(InvalidRecording);
      expect((error as InvalidRecording).path).toBe(file);
      expect((error as Error).message).toContain(message);
      expect((error as InvalidRecording).failures[0]?.pointer).toBe(pointer);
    });
  });
});

describe('Function: saveRecordedEvents', () => {
  it('writes the events as a JSON list that fromFile replays to the same answer', async () => {
    const source = new ChildEmulator({ events: RECORDING });
    await source.ask();
    const file = join(directory.path, 'nested', 'recording.json');

    await saveRecordedEvents(file, source.receivedEvents);

    const saved = JSON.parse(readFileSync(file, 'utf8')) as { event: unknown; attributes: unknown }[];
    expect(saved.map((entry) => entry.event)).toEqual(RECORDING.slice(0, 6).map((entry) => entry.event));
    expect(saved.map((entry) => entry.attributes)).toEqual(source.receivedEvents?.map((entry) => entry.attributes));
    const replayed = await (await ChildEmulator.fromFile(file)).ask();
    expect(replayed).toEqual(await source.ask());
  });

  it('writes Sets and Dates in Octue JSON', async () => {
    const file = join(directory.path, 'recording.json');
    const data = { seen: new Set(['b', 'a']), at: new Date('2024-04-11T10:46:48.123Z') };

    await saveRecordedEvents(file, [recorded({ kind: 'monitor_message', data }), recorded({ kind: 'result' })]);

    expect(JSON.parse(readFileSync(file, 'utf8'))[0].event.data).toEqual({
      seen: { _type: 'set', items: ['a', 'b'] },
      at: { _type: 'datetime', value: '2024-04-11T10:46:48.123000+00:00' },
    });
  });

  it.each([
    ['no events (before any ask)', undefined, 'needs at least one event'],
    ['an empty list (recordEvents off)', [], 'needs at least one event'],
    ['a malformed event', [{ event: { kind: 'result' } }], 'cannot be replayed'],
  ])('throws InvalidRecording for %s and writes nothing', async (_case, events, message) => {
    const file = join(directory.path, 'recording.json');

    const error = await failure(saveRecordedEvents(file, events));

    expect(error).toBeInstanceOf(InvalidRecording);
    expect((error as Error).message).toContain(message);
    expect(() => readFileSync(file)).toThrow();
  });

  it('throws RecordingNotSaved when the file cannot be written', async () => {
    // A directory where the file should go fails the same way for every user, root included.
    const file = join(directory.path, 'occupied.json');
    mkdirSync(file);

    const error = await failure(saveRecordedEvents(file, RECORDING));

    expect(error).toBeInstanceOf(RecordingNotSaved);
    expect((error as RecordingNotSaved).path).toBe(file);
    expect((error as Error).message).toContain('could not be written');
  });
});
