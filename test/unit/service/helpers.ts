import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { InMemoryBroker } from '../../../src/cloud/memory/in-memory-broker';
import type { DuplicateDeliveries } from '../../../src/cloud/memory/in-memory-broker';
import { InMemoryTransport } from '../../../src/cloud/memory/in-memory-transport';
import { LocalObjectStore } from '../../../src/cloud/storage/local-object-store';
import {
  decodeAttributes,
  encodeAttributes,
  makeQuestionAttributes,
  makeQuestionEvent,
  parseEventData,
  serialiseEventData,
} from '../../../src/core/events';
import type { QuestionAttributesParams, QuestionContent, RecordedEvent, ServiceEvent } from '../../../src/core/events';
import { createLogger, Diagnostics } from '../../../src/service';
import type { Clock, TimerHandle } from '../../../src/service';
import { downloadDiagnostics } from '../../../src/service/diagnostics-download';
import { waitFor as waitUntil } from '../../helpers/wait-for';

export const TOPIC = 'main.octue.twined.services';
export const PARENT = 'acme/parent:1.0.0';
export const CHILD = 'acme/child:2.1.0';

/** A clock whose repeating timers fire only when the test calls `tick`. */
export class ManualClock implements Clock {
  private readonly timers = new Map<number, { callback: () => void; intervalMs: number; elapsed: number }>();
  private nextHandle = 1;
  private time = Date.UTC(2025, 5, 1, 10, 0, 0);

  now(): Date {
    return new Date(this.time);
  }

  setInterval(callback: () => void, intervalMs: number): TimerHandle {
    const handle = this.nextHandle++;
    this.timers.set(handle, { callback, intervalMs, elapsed: 0 });
    return handle;
  }

  clearInterval(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** The number of running timers. */
  get activeTimers(): number {
    return this.timers.size;
  }

  /** Advances time, firing each timer once per whole interval passed. */
  tick(ms: number): void {
    this.time += ms;
    for (const timer of [...this.timers.values()]) {
      timer.elapsed += ms;
      while (timer.elapsed >= timer.intervalMs) {
        timer.elapsed -= timer.intervalMs;
        timer.callback();
      }
    }
  }
}

export { deferred } from '../../helpers/deferred';

/** Waits until `predicate` holds, polling; fails after `timeoutMs` with `what` in the message. */
export function waitFor(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  // In memory nothing waits on the network, so poll often: most waits end within a few milliseconds.
  return waitUntil(predicate, what, timeoutMs, 2);
}

/** The raw parts of a question message, as a parent publishes it. */
export function questionMessage(
  content: QuestionContent = {},
  attributes: Partial<QuestionAttributesParams> = {},
): { data: Buffer; attributes: Record<string, string>; orderingKey: string } {
  const typed = makeQuestionAttributes({ sender: PARENT, recipient: CHILD, ...attributes });
  return {
    data: serialiseEventData(makeQuestionEvent(content)),
    attributes: encodeAttributes(typed),
    orderingKey: typed.question_uuid,
  };
}

/** An in-memory Pub/Sub with the services topic, and a parent subscription collecting the child's responses. */
export class MemoryNetwork {
  readonly broker: InMemoryBroker;
  readonly transport: InMemoryTransport;
  /** Responses received by the parent, decoded, in order. */
  readonly responses: RecordedEvent[] = [];

  /** @param options - Broker options, e.g. forced duplicate deliveries. */
  constructor(options: { duplicateDeliveries?: DuplicateDeliveries } = {}) {
    this.broker = new InMemoryBroker({ minBackoffMs: 1, maxBackoffMs: 5, ...options });
    this.transport = new InMemoryTransport({ topicName: TOPIC, broker: this.broker });
  }

  /** Creates the topic and the parent's response subscription. */
  async start(): Promise<this> {
    await this.transport.ensureTopic();
    await this.transport.createSubscription({ name: 'parent-responses', filter: { recipient: PARENT } });
    await this.transport.subscribe('parent-responses', (message) => {
      const event = parseEventData(message.data) as ServiceEvent;
      this.responses.push({ event, attributes: decodeAttributes(message.attributes, event.kind) });
    });
    return this;
  }

  /** The kinds of the responses received so far. */
  kinds(): string[] {
    return this.responses.map((response) => response.event.kind);
  }

  /** Responses of one kind. */
  ofKind<K extends ServiceEvent['kind']>(kind: K): Extract<ServiceEvent, { kind: K }>[] {
    return this.responses
      .map((response) => response.event)
      .filter((event): event is Extract<ServiceEvent, { kind: K }> => event.kind === kind);
  }

  async close(): Promise<void> {
    await this.transport.close();
    this.broker.close();
  }
}

/** A LocalObjectStore in a fresh temporary directory. */
export function temporaryStore(): { store: LocalObjectStore; root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'skein-service-'));
  return {
    store: new LocalObjectStore({ root: join(root, 'storage') }),
    root,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * Diagnostics saving to a {@link temporaryStore}, and a local dataset directory `name` under its root holding one file
 * (`settings.txt`), for tests that save a crash's data with a dataset and read it back.
 */
export function diagnosticsWithDataset(
  temp: ReturnType<typeof temporaryStore>,
  name: string,
): { diagnostics: Diagnostics; dataset: string } {
  const dataset = join(temp.root, name);
  mkdirSync(dataset);
  writeFileSync(join(dataset, 'settings.txt'), 'fast');
  const diagnostics = new Diagnostics({
    cloudPath: 'gs://diagnostics-bucket/crashes',
    objectStore: temp.store,
    logger: createLogger(),
  });
  return { diagnostics, dataset };
}

/** A question's diagnostics saved in Octue's layout, as {@link downloadOctueQuestion} stores them. */
export const OCTUE_QUESTION = 'gs://diagnostics-bucket/octue/q1';
/** The one input dataset under {@link OCTUE_QUESTION}: `speeds.csv`, holding `speed\n3\n`. */
export const OCTUE_WIND_DATASET = `${OCTUE_QUESTION}/input_manifest_datasets/wind`;

/**
 * Stores {@link OCTUE_QUESTION} (its wind dataset and `inputManifest` as its input manifest, text as given so that a
 * test can write keys JSON.stringify would not) and downloads it with its datasets.
 * @returns The local directory of the question (`…/q1`).
 */
export async function downloadOctueQuestion(
  temp: ReturnType<typeof temporaryStore>,
  inputManifest: string,
): Promise<string> {
  await temp.store.upload(`${OCTUE_WIND_DATASET}/speeds.csv`, 'speed\n3\n');
  await temp.store.upload(`${OCTUE_QUESTION}/input_manifest.json`, inputManifest);
  const local = join(temp.root, 'octue');
  await downloadDiagnostics({
    objectStore: temp.store,
    cloudPath: OCTUE_QUESTION,
    localPath: local,
    downloadDatasets: true,
  });
  return join(local, 'q1');
}
