import type { Delivery } from '../memory/handler-invocation';

/** Starts handling one delivery; the delivery's ack/nack (called once, by the handler wrapper) report its outcome. */
export type StartDelivery = (delivery: Delivery) => void;

interface KeyQueue {
  /** A message of this key is out with the handler and not yet acked or nacked. */
  busy: boolean;
  /** The id of a nacked message whose redelivery must come before anything else of this key. */
  awaiting?: string;
  awaitTimer?: NodeJS.Timeout;
  /** Received, not yet started, in arrival (= publish) order. */
  readonly held: Delivery[];
}

/**
 * Gives the streaming-pull client the in-memory transport's ordering semantics. The client emits ordered messages in
 * order but does not wait for handlers, so per ordering key the next message is only started once the previous one is
 * acked. After a nack, the key's later messages are nacked as well and any that arrive before the nacked message
 * returns are nacked again, so the service redelivers them in order behind it (the emulator otherwise holds the
 * nacked message back until the later ones are settled). If the nacked message never returns (it outlived the
 * subscription's retention), the key resumes after `redeliveryWaitMs`. Messages without a key start at once.
 */
export class OrderedDispatcher {
  private readonly queues = new Map<string, KeyQueue>();
  private closed = false;

  /**
   * @param start - Hands a delivery to the handler.
   * @param redeliveryWaitMs - How long after a nack the key's later messages are given back while waiting for the
   * nacked message to return.
   */
  constructor(
    private readonly start: StartDelivery,
    private readonly redeliveryWaitMs: number,
  ) {}

  /**
   * Accepts one received message.
   * @param delivery - The message with its client-level ack/nack.
   */
  dispatch(delivery: Delivery): void {
    const key = delivery.message.orderingKey;
    if (this.closed) {
      delivery.nack();
      return;
    }
    if (!key) {
      this.start(delivery);
      return;
    }
    const queue = this.queueFor(key);
    if (queue.awaiting === undefined) {
      queue.held.push(delivery);
    } else if (queue.awaiting === delivery.message.id) {
      // The nacked message is back; everything after it will follow it again.
      clearTimeout(queue.awaitTimer);
      queue.awaiting = undefined;
      queue.awaitTimer = undefined;
      queue.held.push(delivery);
    } else {
      // A later message overtook the nacked one: give it back, so the service redelivers it after the nacked one.
      delivery.nack();
      return;
    }
    this.advance(key, queue);
  }

  /** Stops dispatching: held messages are nacked (Pub/Sub redelivers them) and wait timers are cleared. */
  close(): void {
    this.closed = true;
    for (const queue of this.queues.values()) {
      clearTimeout(queue.awaitTimer);
      for (const held of queue.held.splice(0)) held.nack();
    }
    this.queues.clear();
  }

  private queueFor(key: string): KeyQueue {
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { busy: false, held: [] };
      this.queues.set(key, queue);
    }
    return queue;
  }

  private advance(key: string, queue: KeyQueue): void {
    if (this.closed || queue.busy || queue.awaiting !== undefined) return;
    const next = queue.held.shift();
    if (!next) {
      this.queues.delete(key);
      return;
    }
    queue.busy = true;
    this.start({
      message: next.message,
      ack: () => {
        next.ack();
        queue.busy = false;
        this.advance(key, queue);
      },
      nack: () => {
        next.nack();
        // Give back the later messages too: the emulator redelivers a key's messages only once none is
        // outstanding, and then in order, which is also what Pub/Sub ordering does after a nack.
        for (const held of queue.held.splice(0)) held.nack();
        queue.busy = false;
        queue.awaiting = next.message.id;
        queue.awaitTimer = setTimeout(() => {
          queue.awaiting = undefined;
          queue.awaitTimer = undefined;
          this.advance(key, queue);
        }, this.redeliveryWaitMs);
        // The wait only matters while messages are flowing; it must not keep a process alive by itself.
        queue.awaitTimer.unref();
      },
    });
  }
}
