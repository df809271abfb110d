import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LocalObjectStore } from '../../../../src/cloud/storage/local-object-store';
import type { LogEntry, RecordedEvent } from '../../../../src/core/events';
import { Manifest } from '../../../../src/core/resources';
import { InvalidValuesContents, RemoteException, SkeinError } from '../../../../src/errors';
import { createLogger, memoryLogSink } from '../../../../src/service';
import { EventHandler } from '../../../../src/service/event-handler';

const FIXTURE = join(__dirname, '..', '..', '..', 'fixtures', 'octue', 'fixtures', 'events.json');
const SENDER = 'octue/test-service:1.0.0';
const QUESTION = 'd45c7e99-d610-413b-8130-dd6eef46dda6';

/** Octue's golden recording, with the result's output manifest left out (it points at a real bucket). */
function goldenEvents(): RecordedEvent[] {
  const events = JSON.parse(readFileSync(FIXTURE, 'utf8')) as RecordedEvent[];
  return events.map((recorded) => {
    if (recorded.event.kind !== 'result') return recorded;
    const { output_manifest: _manifest, ...event } = recorded.event;
    return { ...recorded, event };
  });
}

/** A response event with the fixture's attributes and a fresh event uuid. */
function response(event: Record<string, unknown>, uuid = crypto.randomUUID()): { event: unknown; attributes: unknown } {
  const attributes = { ...goldenEvents()[0]?.attributes, uuid };
  return { event, attributes };
}

function recordingLogger(): {
  logger: ReturnType<typeof createLogger>;
  entries: ReturnType<typeof memoryLogSink>['entries'];
} {
  const { sink, entries } = memoryLogSink();
  return { logger: createLogger({ name: 'test', sinks: [{ sink }] }), entries };
}

describe('Class: EventHandler', () => {
  describe('Method: handleEvents', () => {
    it("replays Octue's golden recording: logs relayed with labels, the result returned, later events ignored", async () => {
      const { logger, entries } = recordingLogger();
      const handler = new EventHandler({ logger });

      const answer = await handler.handleEvents(goldenEvents());

      expect(answer).toEqual({ outputValues: [1, 2, 3, 4, 5], outputManifest: null });
      expect(handler.handledEvents.map((recorded) => recorded.event.kind)).toEqual([
        'delivery_acknowledgement',
        'log_record',
        'log_record',
        'log_record',
        'log_record',
        'log_record',
        'result',
      ]);
      const relayed = entries.filter((entry) => !entry.name.startsWith('test'));
      expect(relayed.map((entry) => [entry.name, entry.message])).toEqual([
        ['app', `[${SENDER} | ${QUESTION}] Started example analysis.`],
        ['example_service_cloud_run.submodule', `[${SENDER} | ${QUESTION}] Submodules are included in logging.`],
        [
          'octue.resources.analysis',
          `[${SENDER} | ${QUESTION}] Validated output values and output manifest against the twine.`,
        ],
        [
          'octue.resources.analysis',
          `[${SENDER} | ${QUESTION}] Uploaded output datasets to 'gs://octue-sdk-python-test-bucket/example_output_datasets'.`,
        ],
        ['app', `[${SENDER} | ${QUESTION}] Finished example analysis.`],
      ]);
    });

    it('records events with their decoded minimal attributes', async () => {
      const handler = new EventHandler();

      await handler.handleEvents(goldenEvents());

      expect(handler.handledEvents[0]).toEqual({
        event: { kind: 'delivery_acknowledgement' },
        attributes: {
          ...goldenEvents()[0]?.attributes,
          datetime: '2024-04-11T10:46:48.236064+00:00',
        },
      });
    });

    it('returns undefined with a warning when the events hold no result', async () => {
      const { logger, entries } = recordingLogger();

      const answer = await new EventHandler({ logger }).handleEvents(goldenEvents().slice(0, 3));

      expect(answer).toBeUndefined();
      expect(entries.map((entry) => entry.message)).toContain('No result was found for this question.');
    });

    it('throws the remote error of an exception event and skips what follows', async () => {
      const handler = new EventHandler();
      const events = [
        response({
          kind: 'exception',
          exception_type: 'InvalidValuesContents',
          exception_message: `Error in <Service('${SENDER}')>: bad`,
          exception_traceback: ['  File "a.py", line 1, in run\n'],
        }),
        response({ kind: 'result', output_values: 1 }),
      ];

      await expect(handler.handleEvents(events)).rejects.toThrow(InvalidValuesContents);
      expect(handler.finished).toBe(true);
      await expect(handler.handle(events[1])).resolves.toEqual({ status: 'skipped', reason: 'finished' });
      expect(handler.handledEvents.map((recorded) => recorded.event.kind)).toEqual(['exception']);
    });

    it('loads the output manifest through the object store', async () => {
      const root = mkdtempSync(join(tmpdir(), 'skein-handler-'));
      try {
        const store = new LocalObjectStore({ root });
        await store.upload('gs://skein-test/out/result.csv', 'a\n1\n');
        const manifest = {
          id: '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
          name: null,
          datasets: { out: 'gs://skein-test/out' },
        };
        const handler = new EventHandler({ objectStore: store });

        const answer = await handler.handleEvents([response({ kind: 'result', output_manifest: manifest })]);

        expect(answer?.outputManifest).toBeInstanceOf(Manifest);
        const files = answer?.outputManifest?.getDataset('out').files.toArray() ?? [];
        expect(files.map((file) => file.name)).toEqual(['result.csv']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  });

  describe('Method: handle', () => {
    it.each([
      ['a monitor message without data', { kind: 'monitor_message' }],
      ['an unknown kind', { kind: 'cancellation' }],
      ['an exception without a traceback', { kind: 'exception', exception_type: 'E', exception_message: 'm' }],
    ])('skips %s with a warning when validating', async (_label, event) => {
      const { logger, entries } = recordingLogger();
      const handler = new EventHandler({ logger });

      const outcome = await handler.handle(response(event));

      expect(outcome).toEqual({ status: 'skipped', reason: 'invalid' });
      expect(handler.handledEvents).toEqual([]);
      expect(entries.filter((entry) => entry.level === 'warning')).toHaveLength(1);
      expect(entries[0]?.message).toContain('does not conform to the service-communication schema');
    });

    it('skips an input that is not {event, attributes}', async () => {
      await expect(new EventHandler().handle('heartbeat')).resolves.toEqual({ status: 'skipped', reason: 'invalid' });
    });

    it('handles a schema-breaking event of a known kind when validation is off', async () => {
      const handler = new EventHandler({ validateEvents: false });

      const outcome = await handler
        .handle(response({ kind: 'exception', exception_type: 'KeyError', exception_message: 'missing' }))
        .catch((error: unknown) => error);

      expect(outcome).toBeInstanceOf(RemoteException);
      expect((outcome as Error).name).toBe('KeyError');
    });

    it('still skips an unknown kind when validation is off', async () => {
      const outcome = await new EventHandler({ validateEvents: false }).handle(response({ kind: 'cancellation' }));

      expect(outcome).toEqual({ status: 'skipped', reason: 'invalid' });
    });

    it('reports heartbeats as handled so a waiter can reset its watchdog', async () => {
      const outcome = await new EventHandler().handle(response({ kind: 'heartbeat' }));

      expect(outcome).toMatchObject({ status: 'handled', kind: 'heartbeat', attributes: { sender: SENDER } });
    });

    it('logs a question event (in replays of a whole question)', async () => {
      const { logger, entries } = recordingLogger();
      const question = {
        event: { kind: 'question', input_values: 1 },
        attributes: {
          ...goldenEvents()[0]?.attributes,
          sender: 'octue/another-service:3.2.1',
          recipient: SENDER,
          sender_type: 'PARENT',
        },
      };

      await new EventHandler({ logger }).handle(question);

      expect(entries.map((entry) => entry.args)).toContainEqual(['octue/another-service:3.2.1', QUESTION, SENDER]);
    });

    it('records but does not handle other events when onlyHandleResult is on', async () => {
      const { logger, entries } = recordingLogger();
      const monitored: unknown[] = [];
      const handler = new EventHandler({
        logger,
        onlyHandleResult: true,
        handleMonitorMessage: (data) => void monitored.push(data),
      });

      const answer = await handler.handleEvents([
        response({ kind: 'monitor_message', data: 1 }),
        ...goldenEvents().slice(1),
      ]);

      expect(answer?.outputValues).toEqual([1, 2, 3, 4, 5]);
      expect(monitored).toEqual([]);
      expect(entries.filter((entry) => entry.name === 'app')).toEqual([]);
      expect(handler.handledEvents).toHaveLength(7);
    });

    it('awaits an asynchronous monitor-message handler before handling the next event', async () => {
      const order: string[] = [];
      const handler = new EventHandler({
        handleMonitorMessage: async (data) => {
          await new Promise((resolve) => setImmediate(resolve));
          order.push(`monitor ${String(data)}`);
        },
      });

      await handler.handleEvents([response({ kind: 'monitor_message', data: 1 }), response({ kind: 'result' })]);
      order.push('done');

      expect(order).toEqual(['monitor 1', 'done']);
    });

    it('re-creates an exception as one of the errorClasses given', async () => {
      class QuotaExceeded extends SkeinError {}
      const handler = new EventHandler({ errorClasses: [QuotaExceeded] });

      const error = await handler
        .handle(
          response({
            kind: 'exception',
            exception_type: 'QuotaExceeded',
            exception_message: 'm',
            exception_traceback: [],
          }),
        )
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(QuotaExceeded);
    });
  });

  describe('Log records', () => {
    const logRecord = (msg: string, extra: Record<string, unknown> = {}): { event: unknown; attributes: unknown } =>
      response({
        kind: 'log_record',
        log_record: { name: 'app', msg, levelno: 30, levelname: 'WARNING', created: 1_700_000_000.5, ...extra },
      });

    it('passes relabelled entries, with the remote time and level, to handleLogEntry', async () => {
      const received: LogEntry[] = [];

      await new EventHandler({ handleLogEntry: (entry) => received.push(entry) }).handle(logRecord('Careful.'));

      expect(received).toEqual([
        expect.objectContaining({
          name: 'app',
          level: 'warning',
          message: `[${SENDER} | ${QUESTION}] Careful.`,
          time: new Date(1_700_000_000_500),
        }),
      ]);
    });

    it('keeps the labels of deeper services after the sender label', async () => {
      const received: LogEntry[] = [];

      await new EventHandler({ handleLogEntry: (entry) => received.push(entry) }).handle(
        logRecord('[acme/grandchild:1.0.0 | q2] [acme/great:2.0.0 | q3] Deep.'),
      );

      expect(received[0]?.message).toBe(
        `[${SENDER} | ${QUESTION}] [acme/grandchild:1.0.0 | q2] [acme/great:2.0.0 | q3] Deep.`,
      );
    });

    it('leaves only the message when includeServiceMetadataInLogs is false', async () => {
      const received: LogEntry[] = [];

      await new EventHandler({ includeServiceMetadataInLogs: false, handleLogEntry: (e) => received.push(e) }).handle(
        logRecord('[acme/grandchild:1.0.0 | q2] Deep.'),
      );

      expect(received[0]?.message).toBe('Deep.');
    });

    it('colours the labels with Octue palette when colourLogLabels is on', async () => {
      const received: LogEntry[] = [];

      await new EventHandler({ colourLogLabels: true, handleLogEntry: (e) => received.push(e) }).handle(
        logRecord('[acme/grandchild:1.0.0 | q2] Deep.'),
      );

      expect(received[0]?.message).toBe(
        `\u001b[38;2;222;143;5m[${SENDER} | ${QUESTION}]\u001b[0m ` +
          '\u001b[38;2;213;94;0m[acme/grandchild:1.0.0 | q2]\u001b[0m Deep.',
      );
    });

    it('skips records containing excludeLogsContaining', async () => {
      const received: LogEntry[] = [];
      const handler = new EventHandler({ excludeLogsContaining: 'noisy', handleLogEntry: (e) => received.push(e) });

      await handler.handle(logRecord('A noisy line.'));
      await handler.handle(logRecord('A quiet line.'));

      expect(received.map((entry) => entry.message)).toEqual([`[${SENDER} | ${QUESTION}] A quiet line.`]);
      expect(handler.handledEvents).toHaveLength(2);
    });

    it('re-emits critical records at error level with their exception text', async () => {
      const { logger, entries } = recordingLogger();

      await new EventHandler({ logger }).handle(
        logRecord('It broke.', { levelno: 50, levelname: 'CRITICAL', exc_text: 'Traceback (most recent call last):' }),
      );

      expect(entries.filter((entry) => entry.name === 'app')).toEqual([
        expect.objectContaining({
          level: 'error',
          message: `[${SENDER} | ${QUESTION}] It broke.\nTraceback (most recent call last):`,
        }),
      ]);
    });
  });
});
