import { InvalidValuesContents, RemoteException } from '../../../../src/errors';
import { Manifest } from '../../../../src/core/resources';
import { makeLogRecordEvent } from '../../../../src/core/events';
import { createLogger, memoryLogSink, runWithLogContext } from '../../../../src/service';
import { CHILD, MemoryNetwork, PARENT, recordingLogger, waitFor } from './helpers';

describe('Class: Child', () => {
  let network: MemoryNetwork;

  beforeEach(async () => {
    network = await MemoryNetwork.start();
  });

  afterEach(async () => {
    await network.close();
  });

  describe('Method: ask', () => {
    it('resolves with the output values and the question uuid when the child answers', async () => {
      await network.serve(async ({ inputValues }) => ({ outputValues: { echoed: inputValues } }));
      const child = network.child();

      const { answer, questionUuid } = await child.ask({ inputValues: { n: 5 } });

      expect(answer).toEqual({ outputValues: { echoed: { n: 5 } }, outputManifest: null });
      expect(questionUuid).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('gives the output manifest as a Manifest when the result has one', async () => {
      const manifest = { id: 'c3a7e33f-9b4d-4a48-9d0a-5f5c1b8e1a11', name: null, datasets: {} };
      await network.serve(async () => ({ outputManifest: manifest }));

      const { answer } = await network.child().ask();

      expect(answer.outputManifest).toBeInstanceOf(Manifest);
      expect(answer.outputManifest?.id).toBe(manifest.id);
      expect(answer.outputValues).toBeNull();
    });

    it('sends the question with Octue attributes, the lineage given and the asking SRUID', async () => {
      const received = await network.script(async (_question, responder) => {
        await responder.send({ kind: 'result' });
      });

      const { questionUuid } = await network.child().ask({
        inputValues: [1, 2],
        parentQuestionUuid: 'b0e3f2a4-57f5-4b0f-a7b6-1f3f7e0f1d2c',
        originatorQuestionUuid: '0e3c8a9d-0c1f-4b5e-8d2a-6f4b3c2a1e0f',
        originator: 'acme/root:1.0.0',
        subscribeToLogs: false,
        saveDiagnostics: 'SAVE_DIAGNOSTICS_ON',
        cpus: 2,
        memory: '1Gi',
      });

      expect(received).toHaveLength(1);
      expect(received[0]?.event).toEqual({ kind: 'question', input_values: [1, 2] });
      expect(received[0]?.attributes).toMatchObject({
        question_uuid: questionUuid,
        parent_question_uuid: 'b0e3f2a4-57f5-4b0f-a7b6-1f3f7e0f1d2c',
        originator_question_uuid: '0e3c8a9d-0c1f-4b5e-8d2a-6f4b3c2a1e0f',
        originator: 'acme/root:1.0.0',
        parent: PARENT,
        sender: PARENT,
        sender_type: 'PARENT',
        recipient: CHILD,
        retry_count: 0,
        forward_logs: false,
        save_diagnostics: 'SAVE_DIAGNOSTICS_ON',
        cpus: 2,
        memory: '1Gi',
      });
    });

    it('defaults the originator question to the question itself and the originator to the asking SRUID', async () => {
      const received = await network.script(async (_question, responder) => {
        await responder.send({ kind: 'result' });
      });

      const { questionUuid } = await network.child().ask({ questionUuid: '5f0c6d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f' });

      expect(questionUuid).toBe('5f0c6d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f');
      expect(received[0]?.attributes).toMatchObject({
        question_uuid: questionUuid,
        originator_question_uuid: questionUuid,
        originator: PARENT,
        forward_logs: true,
        save_diagnostics: 'SAVE_DIAGNOSTICS_ON_CRASH',
      });
      expect(received[0]?.attributes.parent_question_uuid).toBeUndefined();
    });

    it('deletes the shared answer subscription once the answer has arrived when there is no linger', async () => {
      await network.serve(async () => ({ outputValues: 1 }));

      await network.child({ answerSubscriptionLingerMs: 0 }).ask();

      expect(network.answerSubscriptions()).toEqual([]);
    });

    it('passes monitor messages to handleMonitorMessage in the order they were sent', async () => {
      await network.serve(async ({ handleMonitorMessage }) => {
        handleMonitorMessage?.({ progress: 0.5 });
        handleMonitorMessage?.({ progress: 1 });
        return { outputValues: 'done' };
      });
      const messages: unknown[] = [];

      await network.child().ask({ handleMonitorMessage: (data) => void messages.push(data) });

      expect(messages).toEqual([{ progress: 0.5 }, { progress: 1 }]);
    });

    it('re-emits the child log records with a [sender | question] label under their logger name', async () => {
      await network.serve(async () => {
        createLogger({ name: 'app' }).info('Started the %s analysis.', 'example');
        createLogger({ name: 'app' }).warning('Nearly done.');
        return { outputValues: 1 };
      });
      const { logger, entries } = recordingLogger();

      const { questionUuid } = await network.child({ logger }).ask();

      const relayed = entries.filter((entry) => entry.name === 'app');
      expect(relayed.map((entry) => [entry.level, entry.message])).toEqual([
        ['info', `[${CHILD} | ${questionUuid}] Started the example analysis.`],
        ['warning', `[${CHILD} | ${questionUuid}] Nearly done.`],
      ]);
    });

    it('re-emits child log records in the async context of the ask, not the one that delivered them', async () => {
      const delivering = memoryLogSink();
      const child = network.child();
      await network.script(async (_question, responder) => {
        await responder.send({ kind: 'delivery_acknowledgement' });
        // Publish once the Child is idle, so the in-memory transport delivers in the publisher's context.
        await waitFor(() => child.receivedEvents?.length === 1, 'the delivery acknowledgement');
        await new Promise((resolve) => setImmediate(resolve));
        const record = makeLogRecordEvent({ name: 'app', level: 'info', message: 'Hello.', time: new Date() });
        await runWithLogContext({ sinks: [{ sink: delivering.sink }] }, () => responder.send(record));
        await waitFor(() => child.receivedEvents?.length === 2, 'the log record');
        await responder.send({ kind: 'result' });
      });
      const asking = memoryLogSink();

      await runWithLogContext({ analysisId: 'parent-analysis', sinks: [{ sink: asking.sink }] }, () => child.ask());

      expect(asking.entries.filter((entry) => entry.name === 'app')).toMatchObject([{ analysisId: 'parent-analysis' }]);
      expect(delivering.entries.filter((entry) => entry.name === 'app')).toEqual([]);
    });

    it('receives no log records when subscribeToLogs is false', async () => {
      await network.serve(async () => {
        createLogger({ name: 'app' }).info('Started.');
        return { outputValues: 1 };
      });
      const { logger, entries } = recordingLogger();
      const child = network.child({ logger });

      await child.ask({ subscribeToLogs: false });

      expect(entries.filter((entry) => entry.name === 'app')).toEqual([]);
      expect(child.receivedEvents?.map((recorded) => recorded.event.kind)).not.toContain('log_record');
    });

    it('throws the child error as the same Skein class with the remote traceback appended', async () => {
      await network.serve(async () => {
        throw new InvalidValuesContents('The input values are wrong.');
      });

      const error = await network
        .child()
        .ask()
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(InvalidValuesContents);
      expect((error as Error).message).toContain(`Error in <Service('${CHILD}')>: The input values are wrong.`);
      expect((error as Error).message).toContain(
        `The following traceback was captured from the remote service '${CHILD}':`,
      );
    });

    it('throws an unknown remote type as a RemoteException subclass of that name with the traceback', async () => {
      const received = await network.script(async (_question, responder) => {
        await responder.send({
          kind: 'exception',
          exception_type: 'ZeroDivisionError',
          exception_message: `Error in <Service('${CHILD}')>: division by zero`,
          exception_traceback: ['  File "app.py", line 3, in run\n    1 / 0\n'],
        });
      });

      const error = await network
        .child()
        .ask()
        .catch((caught: unknown) => caught);

      expect(received).toHaveLength(1);
      expect(error).toBeInstanceOf(RemoteException);
      expect((error as Error).name).toBe('ZeroDivisionError');
      expect((error as Error).message).toBe(
        `Error in <Service('${CHILD}')>: division by zero\n\n` +
          `The following traceback was captured from the remote service '${CHILD}':\n\n` +
          '  File "app.py", line 3, in run\n    1 / 0\n',
      );
    });

    it('records every event received as {event, attributes} with decoded attributes', async () => {
      await network.serve(async ({ handleMonitorMessage }) => {
        handleMonitorMessage?.({ step: 1 });
        return { outputValues: [1, 2] };
      });
      const child = network.child();
      expect(child.receivedEvents).toBeUndefined();

      const { questionUuid } = await child.ask();

      const recorded = child.receivedEvents ?? [];
      expect(recorded.map((item) => item.event.kind)).toEqual([
        'delivery_acknowledgement',
        'monitor_message',
        'result',
      ]);
      expect(recorded[1]?.event).toEqual({ kind: 'monitor_message', data: { step: 1 } });
      for (const item of recorded) {
        expect(Object.keys(item)).toEqual(['event', 'attributes']);
        expect(item.attributes).toMatchObject({
          question_uuid: questionUuid,
          sender: CHILD,
          sender_type: 'CHILD',
          recipient: PARENT,
          retry_count: 0,
        });
      }
    });

    it('records nothing when recordEvents is false', async () => {
      await network.serve(async () => ({ outputValues: 1 }));
      const child = network.child();

      await child.ask({ recordEvents: false });

      expect(child.receivedEvents).toEqual([]);
    });

    it('ignores events that arrive after the result', async () => {
      await network.script(async (_question, responder) => {
        await responder.send({ kind: 'result', output_values: 'first' });
        await responder.send({ kind: 'monitor_message', data: 'late' });
        await responder.send({ kind: 'result', output_values: 'second' });
      });
      const messages: unknown[] = [];
      const child = network.child();

      const { answer } = await child.ask({ handleMonitorMessage: (data) => void messages.push(data) });

      expect(answer.outputValues).toBe('first');
      expect(messages).toEqual([]);
      expect(child.receivedEvents?.map((item) => item.event.kind)).toEqual(['result']);
    });

    it('skips invalid events with a warning and goes on to the result', async () => {
      await network.script(async (_question, responder) => {
        await responder.send({ kind: 'monitor_message' });
        await responder.send({ kind: 'not_a_kind' });
        await responder.send({ kind: 'heartbeat' }, { retry_count: 'many' });
        await responder.send({ kind: 'result', output_values: 3 });
      });
      const { logger, entries } = recordingLogger();
      const child = network.child({ logger });

      const { answer } = await child.ask();

      expect(answer.outputValues).toBe(3);
      expect(child.receivedEvents?.map((item) => item.event.kind)).toEqual(['result']);
      const warnings = entries.filter((entry) => entry.level === 'warning');
      expect(warnings).toHaveLength(3);
      expect(warnings.every((entry) => entry.message.startsWith('Skipped an event'))).toBe(true);
    });

    it('handles a redelivered event once', async () => {
      await network.close();
      network = await MemoryNetwork.start({ duplicateDeliveries: 1 });
      await network.serve(async ({ handleMonitorMessage }) => {
        handleMonitorMessage?.('once');
        return { outputValues: 1 };
      });
      const messages: unknown[] = [];
      const child = network.child();

      await child.ask({ handleMonitorMessage: (data) => void messages.push(data) });

      expect(messages).toEqual(['once']);
      expect(child.receivedEvents?.filter((item) => item.event.kind === 'monitor_message')).toHaveLength(1);
    });

    it('rejects with the error of handleMonitorMessage when it throws', async () => {
      await network.serve(async ({ handleMonitorMessage }) => {
        handleMonitorMessage?.('boom');
        return { outputValues: 1 };
      });

      await expect(
        network.child().ask({
          handleMonitorMessage: () => {
            throw new TypeError('The monitor handler failed.');
          },
        }),
      ).rejects.toThrow('The monitor handler failed.');
      await waitFor(() => network.answerSubscriptions().length === 0, 'the answer subscription to be deleted');
    });
  });
});
