import { randomUUID } from 'node:crypto';

import { InMemoryBroker } from '../../../../src/cloud/memory/in-memory-broker';
import type { InMemoryBrokerOptions } from '../../../../src/cloud/memory/in-memory-broker';
import { InMemoryTransport } from '../../../../src/cloud/memory/in-memory-transport';
import {
  decodeAttributes,
  encodeAttributes,
  makeResponseAttributes,
  parseEventData,
  refreshAttributes,
} from '../../../../src/core/events';
import type { QuestionAttributes, QuestionEvent, ResponseAttributes } from '../../../../src/core/events';
import type { ReceivedMessage } from '../../../../src/core/ports/transport';
import { childSubscription } from '../../../../src/core/topology';
import { Child } from '../../../../src/service/child';
import type { ChildOptions } from '../../../../src/service/child';
import { Service, createLogger, memoryLogSink } from '../../../../src/service';
import type { Clock, RunFunction, SkeinLogEntry } from '../../../../src/service';

import { CHILD, PARENT, TOPIC, deferred } from '../helpers';

// The clock, polling and deferred helpers and the network's names are the service tests' own.
export { CHILD, ManualClock, PARENT, TOPIC, deferred, waitFor } from '../helpers';

/** A logger that keeps its entries, and the entries' formatted messages. */
export function recordingLogger(): { logger: ReturnType<typeof createLogger>; entries: SkeinLogEntry[] } {
  const { sink, entries } = memoryLogSink();
  return { logger: createLogger({ name: 'test', sinks: [{ sink }] }), entries };
}

/** A question as a scripted child receives it. */
export interface ReceivedQuestion {
  readonly event: QuestionEvent;
  readonly attributes: QuestionAttributes;
}

/** Sends one question's responses, raw, so tests can send anything (invalid events included). */
export class ScriptedResponder {
  readonly attributes: ResponseAttributes;

  constructor(
    private readonly transport: InMemoryTransport,
    question: QuestionAttributes,
    sender = question.recipient,
  ) {
    this.attributes = makeResponseAttributes(question, sender);
  }

  /** Publishes an event (any JSON) with fresh response attributes, optionally changed. */
  async send(event: unknown, attributes: Record<string, string> = {}): Promise<void> {
    const encoded = { ...encodeAttributes(refreshAttributes(this.attributes)), ...attributes };
    await this.transport.publish({
      data: Buffer.from(JSON.stringify(event), 'utf8'),
      attributes: encoded,
      orderingKey: this.attributes.question_uuid,
    });
  }
}

/** An in-memory service network: a broker, a transport with the services topic, served children and Child helpers. */
export class MemoryNetwork {
  readonly broker: InMemoryBroker;
  readonly transport: InMemoryTransport;
  private readonly stops: AbortController[] = [];
  private readonly serving: Promise<void>[] = [];

  private constructor(options: InMemoryBrokerOptions) {
    this.broker = new InMemoryBroker({ minBackoffMs: 1, maxBackoffMs: 5, ...options });
    this.transport = new InMemoryTransport({ topicName: TOPIC, broker: this.broker });
  }

  /** Makes the network and its services topic. */
  static async start(options: InMemoryBrokerOptions = {}): Promise<MemoryNetwork> {
    const network = new MemoryNetwork(options);
    await network.transport.ensureTopic();
    return network;
  }

  /** Serves a real Service answering with `runFunction`; resolves once it is listening. */
  async serve(
    runFunction: RunFunction,
    options: { serviceId?: string; clock?: Clock; heartbeatIntervalMs?: number } = {},
  ): Promise<Service> {
    const service = new Service({
      serviceId: options.serviceId ?? CHILD,
      transport: this.transport,
      runFunction,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
    });
    const controller = new AbortController();
    const ready = deferred();
    this.stops.push(controller);
    this.serving.push(service.serve({ signal: controller.signal, onReady: () => ready.resolve() }));
    await ready.promise;
    return service;
  }

  /**
   * Serves a scripted child: every question addressed to `serviceId` is passed to `onQuestion` with a responder.
   * @returns The questions received so far.
   */
  async script(
    onQuestion: (question: ReceivedQuestion, responder: ScriptedResponder) => Promise<void> | void,
    serviceId = CHILD,
  ): Promise<ReceivedQuestion[]> {
    const received: ReceivedQuestion[] = [];
    const spec = childSubscription(serviceId);
    await this.transport.createSubscription(spec, { allowExisting: true });
    await this.transport.subscribe(spec.name, async (message: ReceivedMessage) => {
      message.ack();
      const event = parseEventData(message.data) as QuestionEvent;
      const attributes = decodeAttributes(message.attributes, 'question') as QuestionAttributes;
      const question = { event, attributes };
      received.push(question);
      await onQuestion(question, new ScriptedResponder(this.transport, attributes, serviceId));
    });
    return received;
  }

  /** A Child of `CHILD` on this network. */
  child(options: Partial<ChildOptions> = {}): Child {
    return new Child({ id: CHILD, transport: this.transport, parentSruid: PARENT, ...options });
  }

  /** Names of the answer subscriptions that exist now. */
  answerSubscriptions(): string[] {
    return this.broker.subscriptionNames().filter((name) => name.includes('.answers.'));
  }

  async close(): Promise<void> {
    for (const controller of this.stops) controller.abort();
    await Promise.all(this.serving.map((serving) => serving.catch(() => undefined)));
    await this.transport.close();
    this.broker.close();
  }
}

/** A fresh question uuid. */
export function newUuid(): string {
  return randomUUID();
}
