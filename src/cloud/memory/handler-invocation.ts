import type { MessageHandler, ReceivedMessage, SubscribeOptions } from '../../core/ports/transport';

/** A message leased to a subscriber, before the handler-facing ack/nack wrapper is added. */
export interface Delivery {
  /** The message as the handler will see it. */
  readonly message: Omit<ReceivedMessage, 'ack' | 'nack'>;
  /** Acknowledges this delivery at the source (broker or Pub/Sub). */
  ack(): void;
  /** Refuses this delivery at the source, so it is redelivered. */
  nack(): void;
}

/**
 * Runs a handler on one delivery with the port's settlement rule, shared by every transport: the first `ack()` or
 * `nack()` wins and later calls are ignored; if the handler calls neither, the message is acked when the handler
 * returns and nacked when it throws or rejects. Handler failures go to `onError` (after the nack), never to the
 * caller, because there is no caller to throw to on a delivery.
 * @param handler - The subscriber's handler.
 * @param delivery - The leased message and its source-level ack/nack.
 * @param onError - Told about handler failures.
 * @returns A promise that settles (never rejects) when the handler has finished.
 */
export async function invokeHandler(
  handler: MessageHandler,
  delivery: Delivery,
  onError: SubscribeOptions['onError'],
): Promise<void> {
  let settled = false;
  const settle = (outcome: 'ack' | 'nack'): void => {
    if (settled) return;
    settled = true;
    if (outcome === 'ack') delivery.ack();
    else delivery.nack();
  };
  // Object.assign rather than `{...a, b}`: V8 writes properties that follow a leading spread on a slow path.
  const received: ReceivedMessage = Object.assign({}, delivery.message, {
    ack: () => settle('ack'),
    nack: () => settle('nack'),
  });
  try {
    await handler(received);
    settle('ack');
  } catch (error) {
    settle('nack');
    reportError(onError, error, received);
  }
}

/**
 * Passes an error to a subscriber's `onError`, shielding the transport from a throwing callback.
 * @param onError - The callback, if any.
 * @param error - What failed.
 * @param message - The message being handled, if the failure concerns one.
 */
export function reportError(onError: SubscribeOptions['onError'], error: unknown, message?: ReceivedMessage): void {
  try {
    onError?.(error, message);
  } catch {
    // An error reporter that fails has nowhere else to report to; delivery must go on regardless.
  }
}

/** Tracks a subscriber's running handlers so closing can wait for them ("messages in flight are finished first"). */
export class InFlight {
  private readonly running = new Set<Promise<void>>();

  /**
   * Records a running piece of work until it settles.
   * @param work - A promise that never rejects.
   */
  track(work: Promise<void>): void {
    const tracked = work.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** Waits until nothing is running, including work started while waiting. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
