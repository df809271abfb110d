// A served service on the real components: the Pub/Sub emulator (PubSubTransport) and the GCS-compatible server
// (GcsObjectStore) started by global setup. The parent side uses a real answer subscription.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { PubSubTransport } from '../../../src/cloud/pubsub';
import type { GcsObjectStore } from '../../../src/cloud/storage';
import {
  decodeAttributes,
  encodeAttributes,
  makeQuestionAttributes,
  makeQuestionEvent,
  parseEventData,
  serialiseEventData,
} from '../../../src/core/events';
import type { RecordedEvent, ServiceEvent } from '../../../src/core/events';
import { Dataset, Manifest } from '../../../src/core/resources';
import { answerSubscription } from '../../../src/core/topology';
import { Runner, Service } from '../../../src/service';
import type { Analysis } from '../../../src/service';
import { emulatorStore, emulatorTopic } from '../../helpers/emulated-components';
import { waitFor } from '../../helpers/wait-for';

const PARENT = 'acme/parent:1.0.0';
const CHILD = 'acme/served-child:1.0.0';

describe('Class: Service (Pub/Sub emulator and GCS server)', () => {
  let transport: PubSubTransport;
  let store: GcsObjectStore;
  let bucket: string;
  let workDir: string;

  beforeAll(async () => {
    transport = await emulatorTopic('it-services');
    store = emulatorStore();
    bucket = `service-it-${randomUUID().slice(0, 8)}`;
    await store.storage.createBucket(bucket);
    workDir = mkdtempSync(join(tmpdir(), 'skein-service-it-'));
  });

  afterAll(async () => {
    await transport.deleteTopic();
    await transport.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  describe('Method: serve', () => {
    it('answers a question published five times once, with its logs, and an output dataset uploaded to GCS', async () => {
      // Prepare: an app that logs and writes an output dataset.
      let runs = 0;
      const app = async (analysis: Analysis): Promise<void> => {
        runs += 1;
        analysis.logger.info('Computing the square of %d.', (analysis.inputValues as { n: number }).n);
        const directory = join(workDir, `out-${runs}`);
        mkdirSync(directory, { recursive: true });
        writeFileSync(join(directory, 'result.txt'), 'forty-nine');
        const dataset = await Dataset.fromLocalDirectory(directory);
        analysis.outputValues = { square: (analysis.inputValues as { n: number }).n ** 2 };
        analysis.outputManifest = new Manifest({ datasets: { squares: dataset } });
      };
      const runner = new Runner({
        app,
        twine: {
          input_values_schema: { type: 'object', required: ['n'] },
          output_values_schema: { type: 'object', required: ['square'] },
          output_manifest: { datasets: { squares: {} } },
        },
        outputLocation: `gs://${bucket}/outputs`,
        objectStore: store,
      });
      const service = new Service({
        serviceId: CHILD,
        transport,
        runner,
        objectStore: store,
        claimsLocation: `gs://${bucket}/.skein/claims`,
      });
      const controller = new AbortController();
      let ready!: () => void;
      const isReady = new Promise<void>((resolve) => {
        ready = resolve;
      });
      const serving = service.serve({
        signal: controller.signal,
        deleteSubscriptionOnExit: true,
        onReady: () => ready(),
      });
      await isReady;

      const attributes = makeQuestionAttributes({ sender: PARENT, recipient: CHILD });
      const answers = answerSubscription({ parentSruid: PARENT, questionUuid: attributes.question_uuid });
      await transport.createSubscription(answers);
      const received: RecordedEvent[] = [];
      const listening = await transport.subscribe(answers.name, (message) => {
        const event = parseEventData(message.data) as ServiceEvent;
        received.push({ event, attributes: decodeAttributes(message.attributes, event.kind) });
      });
      const kinds = (): string[] => received.map((item) => item.event.kind);

      // Act
      const data = serialiseEventData(makeQuestionEvent({ inputValues: { n: 7 } }));
      for (let i = 0; i < 5; i++) {
        await transport.publish({
          data,
          attributes: encodeAttributes(attributes),
          orderingKey: attributes.question_uuid,
        });
      }
      await waitFor(() => kinds().includes('result'), 'the result');
      controller.abort();
      await serving;
      await listening.close();
      await transport.deleteSubscription(answers.name);

      // Assess
      expect(runs).toBe(1);
      expect(kinds()[0]).toBe('delivery_acknowledgement');
      expect(kinds().filter((kind) => kind === 'result')).toHaveLength(1);
      expect(kinds().filter((kind) => kind === 'delivery_acknowledgement')).toHaveLength(1);
      const logs = received.flatMap((item) => (item.event.kind === 'log_record' ? [item.event.log_record.msg] : []));
      expect(logs).toContain('Computing the square of 7.');
      const result = received.find((item) => item.event.kind === 'result')?.event as Extract<
        ServiceEvent,
        { kind: 'result' }
      >;
      expect(result.output_values).toEqual({ square: 49 });
      const outputPath = result.output_manifest?.datasets.squares as string;
      expect(outputPath).toMatch(new RegExp(`^gs://${bucket}/outputs/[a-z]+-[a-z]+/squares$`));
      expect((await store.read(`${outputPath}/result.txt`)).toString()).toBe('forty-nine');
      expect(await store.exists(`gs://${bucket}/.skein/claims/${attributes.question_uuid}/0`)).toBe(true);
    });
  });

  describe('Method: answer', () => {
    it('sends an exception for a failing app and saves crash diagnostics in GCS', async () => {
      // Prepare
      const runner = new Runner({
        app: () => {
          throw new TypeError('The app failed on purpose.');
        },
        twine: { input_values_schema: {} },
        diagnosticsCloudPath: `gs://${bucket}/diagnostics`,
        objectStore: store,
      });
      const service = new Service({ serviceId: CHILD, transport, runner });
      const attributes = makeQuestionAttributes({ sender: PARENT, recipient: CHILD, forwardLogs: false });
      const answers = answerSubscription({ parentSruid: PARENT, questionUuid: attributes.question_uuid });
      await transport.createSubscription(answers);
      const kinds: string[] = [];
      const exceptions: Extract<ServiceEvent, { kind: 'exception' }>[] = [];
      const listening = await transport.subscribe(answers.name, (message) => {
        const event = parseEventData(message.data) as ServiceEvent;
        kinds.push(event.kind);
        if (event.kind === 'exception') exceptions.push(event);
      });

      // Act
      const outcome = await service.answer({
        data: serialiseEventData(makeQuestionEvent({ inputValues: { a: 1 } })),
        attributes: encodeAttributes(attributes),
      });
      await waitFor(() => kinds.includes('exception'), 'the exception');
      await listening.close();
      await transport.deleteSubscription(answers.name);

      // Assess
      expect(outcome.status).toBe('failed');
      expect(kinds).toEqual(['delivery_acknowledgement', 'exception']);
      expect(exceptions[0]).toMatchObject({
        exception_type: 'TypeError',
        exception_message: `Error in <Service('${CHILD}')>: The app failed on purpose.`,
      });
      const saved = `gs://${bucket}/diagnostics/${attributes.question_uuid}`;
      expect(JSON.parse((await store.read(`${saved}/input_values.json`)).toString())).toEqual({ a: 1 });
      expect(JSON.parse((await store.read(`${saved}/questions.json`)).toString())).toEqual([]);
    });
  });
});
