import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { PubSub } from '@google-cloud/pubsub';

import { PubSubTransport } from '../../../src/cloud/pubsub';
import { InvalidValuesContents } from '../../../src/errors';
import { createLogger, memoryLogSink } from '../../../src/service';
import { Child } from '../../../src/service/child';
import { emulatorHost } from '../../helpers/pubsub-emulator-host';
import { PROJECT_ID, ServiceProcess } from './robustness-helpers';

const PARENT = 'acme/parent:1.0.0';
const ECHO = 'acme/echo:1.0.0';
const MIDDLE = 'acme/middle:1.0.0';
const SCRIPT = join(__dirname, 'processes', 'child-service.js');

describe('Class: Child (over the Pub/Sub emulator, child services in separate processes)', () => {
  let topic: string;
  let transport: PubSubTransport;
  let processes: ServiceProcess[];

  beforeEach(async () => {
    topic = `skein-child-it-${randomUUID()}`;
    transport = new PubSubTransport({ projectId: PROJECT_ID, topicName: topic, apiEndpoint: emulatorHost() });
    await transport.ensureTopic();
    processes = [];
  });

  afterEach(async () => {
    await Promise.all(processes.map((running) => running.stop()));
    await transport.close();
    const admin = new PubSub({ projectId: PROJECT_ID, apiEndpoint: emulatorHost() });
    await admin
      .topic(topic)
      .delete()
      .catch(() => undefined);
    await admin.close();
  });

  async function start(serviceId: string, behaviour: 'echo' | 'middle', env: Record<string, string> = {}) {
    const running = new ServiceProcess(topic, serviceId, { SKEIN_TEST_BEHAVIOUR: behaviour, ...env }, SCRIPT);
    processes.push(running);
    await running.ready;
  }

  describe('Method: ask', () => {
    it('gets the answer, monitor messages and labelled logs from a child in another process', async () => {
      await start(ECHO, 'echo');
      const { sink, entries } = memoryLogSink();
      const child = new Child({
        id: ECHO,
        transport,
        parentSruid: PARENT,
        logger: createLogger({ name: 'parent', sinks: [{ sink }] }),
      });
      const monitored: unknown[] = [];

      const { answer, questionUuid } = await child.ask({
        inputValues: { n: 3 },
        handleMonitorMessage: (data) => void monitored.push(data),
        timeout: 60,
      });

      expect(answer.outputValues).toEqual({ echo: { n: 3 } });
      expect(monitored).toEqual([{ progress: 1 }]);
      expect(entries.filter((entry) => entry.name === 'app').map((entry) => entry.message)).toEqual([
        `[${ECHO} | ${questionUuid}] Received {"n":3}.`,
      ]);
      expect(child.receivedEvents?.map((recorded) => recorded.event.kind)).toEqual([
        'delivery_acknowledgement',
        'log_record',
        'monitor_message',
        'result',
      ]);
    });

    it('re-throws the child error as the same class with the remote traceback', async () => {
      await start(ECHO, 'echo');
      const child = new Child({ id: ECHO, transport, parentSruid: PARENT });

      const error = await child.ask({ inputValues: { fail: 'x' }, timeout: 60 }).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(InvalidValuesContents);
      expect((error as Error).message).toContain(`Error in <Service('${ECHO}')>: The input x is not allowed.`);
      expect((error as Error).message).toContain(
        `The following traceback was captured from the remote service '${ECHO}'`,
      );
    });

    it('asks through a middle service that asks a grandchild, relaying logs with both labels', async () => {
      await start(ECHO, 'echo');
      await start(MIDDLE, 'middle', { SKEIN_TEST_GRANDCHILD_ID: ECHO });
      const { sink, entries } = memoryLogSink();
      const child = new Child({
        id: MIDDLE,
        transport,
        parentSruid: PARENT,
        logger: createLogger({ name: 'parent', sinks: [{ sink }] }),
      });

      const { answer, questionUuid } = await child.ask({ inputValues: { n: 9 }, timeout: 90 });

      expect(answer.outputValues).toEqual({ fromGrandchild: { echo: { n: 9 } } });
      const messages = entries.filter((entry) => entry.name === 'app').map((entry) => entry.message);
      expect(messages[0]).toBe(`[${MIDDLE} | ${questionUuid}] Asking the grandchild.`);
      expect(messages[1]).toMatch(
        new RegExp(`^\\[${MIDDLE} \\| ${questionUuid}\\] \\[${ECHO} \\| [0-9a-f-]{36}\\] Received \\{"n":9\\}\\.$`),
      );
    });
  });

  describe('Method: askMultiple', () => {
    it('returns the answers of concurrent questions in input order', async () => {
      await start(ECHO, 'echo');
      const child = new Child({ id: ECHO, transport, parentSruid: PARENT });

      const results = await child.askMultiple(
        [1, 2, 3, 4].map((n) => ({ inputValues: { n }, timeout: 60 })),
        { maxConcurrency: 2 },
      );

      expect(results.map((result) => (result.answer as { outputValues: unknown }).outputValues)).toEqual([
        { echo: { n: 1 } },
        { echo: { n: 2 } },
        { echo: { n: 3 } },
        { echo: { n: 4 } },
      ]);
    });
  });
});
