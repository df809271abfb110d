import { InvalidRecording, InvalidServiceID, InvalidValuesContents, RemoteException } from '../../../../src/errors';
import { ChildEmulator } from '../../../../src/service/child-emulator';
import { ATTRIBUTES, CHILD, QUESTION_UUID, RECORDING, recorded, recordingLogger } from './helpers';

const EXCEPTION = recorded({
  kind: 'exception',
  exception_type: 'TypeError',
  exception_message: 'This simulates an error in the child.',
  exception_traceback: ['  File "/workspace/app.py", line 3, in run\n    raise TypeError(...)\n'],
});

const failing = (exception = EXCEPTION): ChildEmulator =>
  new ChildEmulator({ events: [...RECORDING.slice(0, 3), exception] });

describe('Class: ChildEmulator', () => {
  describe('Method: constructor', () => {
    it('takes its id from the sender of the first recorded event', () => {
      const emulator = new ChildEmulator({ events: RECORDING });

      expect(emulator.id).toBe(CHILD);
      expect(emulator.toString()).toBe(`<ChildEmulator('${CHILD}')>`);
      expect(emulator.events).toHaveLength(RECORDING.length);
    });

    it('uses the id it is given over the recorded sender', () => {
      expect(new ChildEmulator({ events: RECORDING, id: 'acme/other:1.0.0' }).id).toBe('acme/other:1.0.0');
    });

    it('makes a default SRUID when only bare events are given and no id', () => {
      expect(new ChildEmulator({ events: [{ kind: 'result' }] }).id).toMatch(/^default\/[0-9a-f-]{36}:[a-z]+-[a-z]+$/);
    });

    it.each([
      ['no events', [], '', 'must have at least 1 item'],
      ['an event that is not an object', [42], '/0', 'must be an object (an event)'],
      ['an unknown kind', [recorded({ kind: 'telepathy' })], '/0/event/kind', 'must be one of'],
      ['a bare event with an unknown kind', [{ kind: 'telepathy' }], '/0/kind', 'must be one of'],
      ['an event without attributes', [{ event: { kind: 'result' } }], '/0/attributes', 'must be an object'],
      [
        'attributes without a sender',
        [{ event: { kind: 'result' }, attributes: { question_uuid: QUESTION_UUID } }],
        '/0/attributes/sender',
        'must be string',
      ],
      ['a monitor message without data', [recorded({ kind: 'monitor_message' })], '/0/event', "'data'"],
      ['a log record that is not an object', [{ kind: 'log_record', log_record: 'hi' }], '/0/log_record', 'object'],
      ['a log message that is not a string', [{ kind: 'log_record', log_record: { msg: 3 } }], '/0/log_record/msg', ''],
      ['an exception without a type', [{ kind: 'exception', exception_message: 'x' }], '/0/exception_type', ''],
      ['a result manifest that is a string', [{ kind: 'result', output_manifest: 'm' }], '/0/output_manifest', ''],
    ])('throws InvalidRecording for %s', (_case, events, pointer, message) => {
      let error: unknown;
      try {
        new ChildEmulator({ events });
      } catch (thrown) {
        error = thrown;
      }

      expect(error).toBeInstanceOf(InvalidRecording);
      const failure = (error as InvalidRecording).failures[0];
      expect(failure?.pointer).toBe(pointer);
      expect(failure?.message).toContain(message);
    });

    it("can be made from another emulator's events, which cannot be changed", async () => {
      const original = new ChildEmulator({ events: [{ type: 'result', output_values: 1 }] });

      const copy = new ChildEmulator({ events: original.events });

      expect(Object.isFrozen(original.events)).toBe(true);
      expect(copy.events).toBe(original.events);
      expect((await copy.ask()).answer).toEqual({ outputValues: 1, outputManifest: null });
    });

    it('throws InvalidServiceID for a malformed id', () => {
      expect(() => new ChildEmulator({ events: RECORDING, id: 'Not An Id' })).toThrow(InvalidServiceID);
    });
  });

  describe('Method: ask', () => {
    it('replays the recording to its result, with the recorded question uuid', async () => {
      const emulator = new ChildEmulator({ events: RECORDING });

      const { answer, questionUuid } = await emulator.ask({ inputValues: { hello: 'world' } });

      expect(answer).toEqual({ outputValues: [1, 2, 3, 4, 5], outputManifest: null });
      expect(questionUuid).toBe(QUESTION_UUID);
    });

    it('passes the monitor messages to handleMonitorMessage in order', async () => {
      const messages: unknown[] = [];

      await new ChildEmulator({ events: RECORDING }).ask({ handleMonitorMessage: (data) => void messages.push(data) });

      expect(messages).toEqual([{ progress: 0.5 }, { progress: 1 }]);
    });

    it('re-emits the log records with the [sender | question] label, at their level and logger name', async () => {
      const { logger, entries } = recordingLogger();

      await new ChildEmulator({ events: RECORDING, logger }).ask();

      const relayed = entries.filter((entry) => entry.name === 'app');
      expect(relayed.map((entry) => [entry.level, entry.message])).toEqual([
        ['info', `[${CHILD} | ${QUESTION_UUID}] Started example analysis.`],
        ['warning', `[${CHILD} | ${QUESTION_UUID}] Nearly done.`],
      ]);
    });

    it('leaves the log records out when subscribeToLogs is false, as a child would not send them', async () => {
      const { logger, entries } = recordingLogger();
      const emulator = new ChildEmulator({ events: RECORDING, logger });

      await emulator.ask({ subscribeToLogs: false });

      expect(entries.filter((entry) => entry.name === 'app')).toEqual([]);
      expect(emulator.receivedEvents?.map((e) => e.event.kind)).not.toContain('log_record');
    });

    it('records the events up to the result in receivedEvents, not the heartbeat after it', async () => {
      const emulator = new ChildEmulator({ events: RECORDING });
      expect(emulator.receivedEvents).toBeUndefined();

      await emulator.ask();

      expect(emulator.receivedEvents?.map((e) => e.event.kind)).toEqual([
        'delivery_acknowledgement',
        'log_record',
        'monitor_message',
        'log_record',
        'monitor_message',
        'result',
      ]);
      expect(emulator.receivedEvents?.[0]?.attributes).toMatchObject({ sender: CHILD, question_uuid: QUESTION_UUID });
    });

    it('records nothing when recordEvents is false', async () => {
      const emulator = new ChildEmulator({ events: RECORDING });

      await emulator.ask({ recordEvents: false });

      expect(emulator.receivedEvents).toEqual([]);
    });

    it('throws a recorded exception as the same class, with the remote traceback', async () => {
      const error = await failing()
        .ask()
        .catch((thrown: unknown) => thrown);

      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain('This simulates an error in the child.');
      expect((error as Error).message).toContain(
        `The following traceback was captured from the remote service '${CHILD}':`,
      );
    });

    it('throws a recorded Skein error as its own class', async () => {
      const exception = recorded({
        kind: 'exception',
        exception_type: 'InvalidValuesContents',
        exception_message: 'n must be > 0',
        exception_traceback: [],
      });

      await expect(failing(exception).ask()).rejects.toBeInstanceOf(InvalidValuesContents);
    });

    it('throws an exception of an unknown type as a RemoteException subclass named after it', async () => {
      const exception = recorded({ kind: 'exception', exception_type: 'MyError', exception_message: 'Oh no.' });

      const error = await failing(exception)
        .ask()
        .catch((thrown: unknown) => thrown);

      expect(error).toBeInstanceOf(RemoteException);
      expect((error as Error).name).toBe('MyError');
    });

    it('re-creates an exception as one of the errorClasses given', async () => {
      class MyError extends Error {}
      const exception = recorded({ kind: 'exception', exception_type: 'MyError', exception_message: 'Oh no.' });
      const emulator = new ChildEmulator({ events: [exception], errorClasses: [MyError] });

      await expect(emulator.ask()).rejects.toBeInstanceOf(MyError);
    });

    it('returns the exception as the answer when raiseErrors is false', async () => {
      const { answer, questionUuid } = await failing().ask({ raiseErrors: false, logErrors: false });

      expect(answer).toBeInstanceOf(TypeError);
      expect(questionUuid).toBe(QUESTION_UUID);
    });

    it('replays again for each retry when raiseErrors is false and maxRetries is set', async () => {
      const messages: unknown[] = [];

      const { answer } = await failing().ask({
        raiseErrors: false,
        maxRetries: 2,
        logErrors: false,
        handleMonitorMessage: (data) => void messages.push(data),
      });

      expect(answer).toBeInstanceOf(TypeError);
      expect(messages).toHaveLength(3);
    });

    it('rejects with what handleMonitorMessage throws', async () => {
      const problem = new Error('The plot is full.');

      await expect(
        new ChildEmulator({ events: RECORDING }).ask({
          handleMonitorMessage: () => {
            throw problem;
          },
        }),
      ).rejects.toBe(problem);
    });

    it('answers null (with a warning) when the events hold no result', async () => {
      const { logger, entries } = recordingLogger();
      const emulator = new ChildEmulator({ events: RECORDING.slice(0, 3), logger });

      const { answer, questionUuid } = await emulator.ask();

      expect(answer).toBeNull();
      expect(questionUuid).toBe(QUESTION_UUID);
      expect(entries.some((e) => e.level === 'warning' && e.message.includes('No result'))).toBe(true);
    });

    it.each([
      ['asynchronous', { asynchronous: true }],
      ['with a push endpoint', { pushEndpoint: 'https://example.com/answers' }],
    ] as const)('resolves at once with a null answer when asked %s', async (_case, options) => {
      const messages: unknown[] = [];
      const emulator = new ChildEmulator({ events: RECORDING });

      const result = await emulator.ask({ ...options, handleMonitorMessage: (data) => void messages.push(data) });

      expect(result).toEqual({ answer: null, questionUuid: QUESTION_UUID });
      expect(messages).toEqual([]);
    });

    it('gives the same answer to questions asked one after another', async () => {
      const emulator = new ChildEmulator({ events: RECORDING });

      const first = await emulator.ask({ inputValues: { hello: 'world' } });
      const second = await emulator.ask({ inputValues: { hello: 'planet' } });

      expect(second).toEqual(first);
    });

    it('refuses bad limits as a Child does', async () => {
      await expect(new ChildEmulator({ events: RECORDING }).ask({ timeout: -1 })).rejects.toThrow(
        'timeout must be a positive number of seconds',
      );
    });
  });

  describe('Method: ask (bare events)', () => {
    const BARE = [
      { kind: 'log_record', log_record: { msg: 'Starting analysis.' } },
      { kind: 'monitor_message', data: { sample: 'data' } },
      { kind: 'result', output_values: [1, 2, 3, 4, 5] },
    ];

    it('gives bare events the attributes a child would send for the question asked', async () => {
      const { logger, entries } = recordingLogger();
      const emulator = new ChildEmulator({ events: BARE, id: 'octue/my-child:2.3.0', logger });

      const { answer, questionUuid } = await emulator.ask({
        questionUuid: '5f0c6d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f',
        parentQuestionUuid: 'b0e3f2a4-57f5-4b0f-a7b6-1f3f7e0f1d2c',
        originator: 'acme/root:1.0.0',
      });

      expect(answer).toEqual({ outputValues: [1, 2, 3, 4, 5], outputManifest: null });
      expect(questionUuid).toBe('5f0c6d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f');
      expect(emulator.receivedEvents?.[0]?.attributes).toMatchObject({
        sender: 'octue/my-child:2.3.0',
        sender_type: 'CHILD',
        recipient: 'local/local:local',
        question_uuid: questionUuid,
        parent_question_uuid: 'b0e3f2a4-57f5-4b0f-a7b6-1f3f7e0f1d2c',
        originator: 'acme/root:1.0.0',
        retry_count: 0,
      });
      expect(entries.map((entry) => entry.message)).toContain(
        `[octue/my-child:2.3.0 | ${questionUuid}] Starting analysis.`,
      );
    });

    it('gives each question a new uuid when the caller does not choose one', async () => {
      const emulator = new ChildEmulator({ events: BARE });

      const first = await emulator.ask();
      const second = await emulator.ask();

      expect(first.questionUuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(second.questionUuid).not.toBe(first.questionUuid);
    });

    it("reads Octue's pre-0.41 messages (type instead of kind, JSON-encoded monitor data)", async () => {
      const messages: unknown[] = [];
      const emulator = new ChildEmulator({
        events: [
          { type: 'monitor_message', data: '{"sample": "data"}' },
          { type: 'result', output_values: [1, 2], output_manifest: null },
        ],
      });

      const { answer } = await emulator.ask({ handleMonitorMessage: (data) => void messages.push(data) });

      expect(messages).toEqual([{ sample: 'data' }]);
      expect(answer).toEqual({ outputValues: [1, 2], outputManifest: null });
      expect(emulator.events[0]).toEqual({ kind: 'monitor_message', data: { sample: 'data' } });
    });

    it('names the parentSruid given as the recipient', async () => {
      const emulator = new ChildEmulator({ events: BARE, parentSruid: 'acme/parent:1.0.0' });

      await emulator.ask();

      expect(emulator.receivedEvents?.[0]?.attributes.recipient).toBe('acme/parent:1.0.0');
    });
  });

  describe('Method: askMultiple', () => {
    it('answers every question, in order', async () => {
      const emulator = new ChildEmulator({ events: RECORDING });

      const results = await emulator.askMultiple([{ inputValues: 1 }, { inputValues: 2 }, { inputValues: 3 }]);

      expect(results.map((result) => result.answer)).toEqual(
        Array.from({ length: 3 }, () => ({ outputValues: [1, 2, 3, 4, 5], outputManifest: null })),
      );
    });

    it('returns the errors as answers when raiseErrors is false', async () => {
      const results = await failing().askMultiple([{}, {}], { raiseErrors: false, logErrors: false });

      expect(results.map((result) => result.answer instanceof TypeError)).toEqual([true, true]);
    });

    it('throws the first error once every question has finished', async () => {
      await expect(failing().askMultiple([{}, {}])).rejects.toBeInstanceOf(TypeError);
    });
  });

  it('replays recorded attributes as given (sender and question from the recording)', async () => {
    const emulator = new ChildEmulator({ events: RECORDING });

    await emulator.ask({ questionUuid: '5f0c6d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f' });

    expect(emulator.receivedEvents?.[5]?.attributes).toMatchObject({
      sender: ATTRIBUTES.sender,
      question_uuid: QUESTION_UUID,
    });
  });
});
