import { makeQuestionAttributes, parseEventData } from '../../../src/core/events';
import type { OutgoingMessage, Transport } from '../../../src/core/ports/transport';
import { InvalidEvent } from '../../../src/errors';
import { createLogger, memoryLogSink, Responder } from '../../../src/service';
import { CHILD, PARENT } from './helpers';

/**
 * A transport twin that records publishes in call order (as the port promises per ordering key), finishing each after
 * its own delay and failing where told.
 */
class SlowTransport implements Transport {
  readonly kind = 'slow';
  readonly topicName = 'main.octue.twined.services';
  readonly published: OutgoingMessage[] = [];
  readonly handedOver: OutgoingMessage[] = [];
  private calls = 0;

  constructor(
    private readonly delaysMs: number[],
    private readonly failOnCall?: number,
  ) {}

  async publish(message: OutgoingMessage): Promise<string> {
    const call = this.calls++;
    this.handedOver.push(message);
    await new Promise((resolve) => setTimeout(resolve, this.delaysMs[call % this.delaysMs.length]));
    if (call === this.failOnCall) throw new Error('publish failed');
    this.published.push(message);
    return String(call);
  }

  ensureTopic = async (): Promise<void> => undefined;
  topicExists = async (): Promise<boolean> => true;
  createSubscription = async (): Promise<void> => undefined;
  deleteSubscription = async (): Promise<void> => undefined;
  subscribe = async (): Promise<never> => {
    throw new Error('not used');
  };
  close = async (): Promise<void> => undefined;
}

const question = makeQuestionAttributes({ sender: PARENT, recipient: CHILD, questionUuid: 'q-1' });

function kinds(messages: readonly OutgoingMessage[]): string[] {
  return messages.map((message) => (parseEventData(message.data) as { kind: string }).kind);
}

describe('Class: Responder', () => {
  it('hands events to the transport in the order they were made, without waiting for slow earlier publishes', async () => {
    // Prepare
    const transport = new SlowTransport([30, 1, 20, 1, 1]);
    const responder = new Responder({ transport, question, serviceId: CHILD, logger: createLogger() });

    // Act
    responder.acknowledge();
    responder.heartbeat();
    responder.monitorMessage({ progress: 1 });
    responder.logRecord({ name: 'app', level: 'info', message: 'hi', time: new Date() });
    const result = responder.result({ outputValues: [1] });
    const handedOverAtOnce = kinds(transport.handedOver);
    await result;
    await responder.flush();

    // Assess
    expect(transport.published).toHaveLength(5);
    expect(handedOverAtOnce).toEqual([
      'delivery_acknowledgement',
      'heartbeat',
      'monitor_message',
      'log_record',
      'result',
    ]);
    for (const message of transport.handedOver) {
      expect(message.orderingKey).toBe('q-1');
      expect(message.attributes).toMatchObject({
        sender: CHILD,
        recipient: PARENT,
        sender_type: 'CHILD',
        retry_count: '0',
      });
    }
  });

  it('logs a failed fire-and-forget event and still sends the later ones', async () => {
    const transport = new SlowTransport([1], 0);
    const { sink, entries } = memoryLogSink();
    const responder = new Responder({
      transport,
      question,
      serviceId: CHILD,
      logger: createLogger({ sinks: [{ sink }] }),
    });

    responder.acknowledge();
    await responder.result({ outputValues: 'ok' });

    expect(kinds(transport.published)).toEqual(['result']);
    expect(entries[0]?.message).toContain('delivery_acknowledgement event for question q-1 was not sent');
  });

  it('rejects when an awaited event cannot be published', async () => {
    const transport = new SlowTransport([1], 0);
    const responder = new Responder({ transport, question, serviceId: CHILD, logger: createLogger() });

    await expect(responder.exception(new Error('x'))).rejects.toThrow('publish failed');
  });

  it('throws InvalidEvent for a monitor message that cannot travel, and sends nothing', async () => {
    const transport = new SlowTransport([1]);
    const responder = new Responder({ transport, question, serviceId: CHILD, logger: createLogger() });

    expect(() => responder.monitorMessage(undefined)).toThrow(InvalidEvent);
    await responder.flush();
    expect(transport.published).toEqual([]);
  });

  it('sends a Manifest output as its primitive', async () => {
    const transport = new SlowTransport([1]);
    const responder = new Responder({ transport, question, serviceId: CHILD, logger: createLogger() });
    const manifest = { toPrimitive: () => ({ id: 'm-1', name: null, datasets: { out: 'gs://b/out' } }) };

    const result = await responder.result({ outputManifest: manifest });

    expect(result).toEqual({
      kind: 'result',
      output_manifest: { id: 'm-1', name: null, datasets: { out: 'gs://b/out' } },
    });
  });
});
