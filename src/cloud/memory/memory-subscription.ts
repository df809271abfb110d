import { AsyncResource } from 'node:async_hooks';

import { matchesAttributeFilter } from '../../core/ports/transport';
import type { SubscriptionSpec } from '../../core/ports/transport';
import type { Delivery } from './handler-invocation';

/** A message as the broker stores it. */
export interface StoredMessage {
  readonly id: string;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey?: string;
  readonly publishTime: Date;
}

/** Something a subscription hands leased messages to: a pull subscriber's handler or a push endpoint. */
export interface SubscriptionListener {
  /** Takes one leased message; must eventually call its `ack` or `nack` (or let the lease expire). */
  deliver(delivery: Delivery): void;
  /** Told that the subscription was deleted under it. */
  lost(subscriptionName: string): void;
}

/** Redelivery timing for a subscription, in milliseconds. */
export interface DeliveryTiming {
  /** How long a delivered message stays leased before it is redelivered. */
  readonly ackDeadlineMs: number;
  /** Delay before redelivering a nacked message on its first nack; doubles per attempt. */
  readonly minBackoffMs: number;
  /** The longest redelivery delay. */
  readonly maxBackoffMs: number;
  /** Unacked messages older than this are dropped, as Pub/Sub's message retention does. */
  readonly retentionMs: number;
  /** The broker's clock, in ms since the epoch. */
  readonly now: () => number;
}

interface Entry {
  readonly message: StoredMessage;
  /** Deliveries so far; the next delivery's `deliveryAttempt` is this plus one. */
  attempts: number;
  /** Not delivered before this time (backoff after a nack). */
  availableAt: number;
  /** Forced extra deliveries still owed after acks (the broker's duplicate knob). */
  duplicatesLeft: number;
  /** Identifies the current lease; acks and nacks of older leases are ignored. */
  leaseToken?: number;
  leaseTimer?: NodeJS.Timeout;
}

/**
 * One subscription's backlog and delivery engine, with Pub/Sub's semantics: messages matching the filter are kept
 * until acked; per ordering key only the oldest unacked message is ever out, so a nacked or expired message is
 * redelivered before any later message with its key; nacks back off exponentially; an unacked lease expires after the
 * ack deadline. Deliveries go round-robin to the attached listeners. Timers exist only while listeners are attached.
 */
export class MemorySubscription {
  private readonly backlog: Entry[] = [];
  private listeners: SubscriptionListener[] = [];
  private nextListener = 0;
  private tokens = 0;
  private wakeTimer: NodeJS.Timeout | undefined;
  private pumpImmediate: NodeJS.Immediate | undefined;
  private disposed = false;

  /**
   * @param spec - The subscription as created.
   * @param topicName - The topic it is attached to.
   * @param timing - Redelivery timing.
   */
  constructor(
    readonly spec: SubscriptionSpec,
    readonly topicName: string,
    private readonly timing: DeliveryTiming,
  ) {}

  /**
   * Stores a published message if it matches the filter.
   * @param message - The message.
   * @param duplicates - Extra deliveries to force after it is acked.
   */
  offer(message: StoredMessage, duplicates: number): void {
    if (this.disposed || !matchesAttributeFilter(message.attributes, this.spec.filter)) return;
    this.backlog.push({ message, attempts: 0, availableAt: 0, duplicatesLeft: Math.max(0, Math.floor(duplicates)) });
    this.schedule();
  }

  /**
   * Starts handing messages to a listener.
   * @param listener - The pull handler or push endpoint.
   * @returns A function that detaches it again. Leases it holds stay valid, so handlers still running can settle
   * them (the caller drains them after detaching).
   */
  attach(listener: SubscriptionListener): () => void {
    // Deliveries are scheduled from whoever publishes; run them in the async context the subscriber attached in, as
    // a real subscriber's callbacks are, so a publisher's context (e.g. the asking analysis's log context) never
    // leaks into the handler.
    const attached: SubscriptionListener = {
      deliver: AsyncResource.bind((delivery: Delivery) => listener.deliver(delivery)),
      lost: (subscriptionName) => listener.lost(subscriptionName),
    };
    this.listeners.push(attached);
    this.schedule();
    return () => {
      this.listeners = this.listeners.filter((l) => l !== attached);
      if (this.listeners.length === 0) this.stopTimers();
    };
  }

  /** Expires every current lease now, so those messages are delivered again (a test knob for redelivery). */
  expireLeases(): void {
    for (const entry of this.backlog) {
      if (entry.leaseToken !== undefined) this.release(entry, entry.leaseToken, 'expired');
    }
  }

  /** The number of unacked messages (pending or leased). */
  get backlogSize(): number {
    return this.backlog.length;
  }

  /** Drops the backlog, tells listeners the subscription is gone and clears every timer. */
  dispose(): void {
    this.disposed = true;
    const listeners = this.listeners;
    this.listeners = [];
    this.stopTimers();
    for (const entry of this.backlog) {
      clearTimeout(entry.leaseTimer);
      entry.leaseToken = undefined;
    }
    this.backlog.length = 0;
    for (const listener of listeners) listener.lost(this.spec.name);
  }

  private stopTimers(): void {
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    if (this.pumpImmediate) clearImmediate(this.pumpImmediate);
    this.pumpImmediate = undefined;
  }

  private schedule(): void {
    // Deliver on a later turn of the event loop, so publish() resolves first and a burst is pumped once.
    if (this.disposed || this.listeners.length === 0 || this.pumpImmediate) return;
    this.pumpImmediate = setImmediate(() => {
      this.pumpImmediate = undefined;
      this.pump();
    });
  }

  private pump(): void {
    const now = this.timing.now();
    this.dropExpired(now);
    const keysInUse = new Set<string>();
    let nextWake = Infinity;
    for (const entry of [...this.backlog]) {
      const key = entry.message.orderingKey;
      if (key) {
        // Only the oldest unacked message of a key may be out; everything after it waits its turn.
        if (keysInUse.has(key)) continue;
        keysInUse.add(key);
      }
      if (entry.leaseToken !== undefined) continue;
      if (entry.availableAt > now) {
        nextWake = Math.min(nextWake, entry.availableAt);
        continue;
      }
      const listener = this.listeners[this.nextListener++ % this.listeners.length];
      if (!listener) return;
      this.lease(entry, listener);
    }
    clearTimeout(this.wakeTimer);
    this.wakeTimer = nextWake === Infinity ? undefined : setTimeout(() => this.schedule(), Math.max(0, nextWake - now));
  }

  private dropExpired(now: number): void {
    for (let i = this.backlog.length - 1; i >= 0; i -= 1) {
      const entry = this.backlog[i];
      if (
        entry &&
        entry.leaseToken === undefined &&
        now - entry.message.publishTime.getTime() > this.timing.retentionMs
      ) {
        this.backlog.splice(i, 1);
      }
    }
  }

  private lease(entry: Entry, listener: SubscriptionListener): void {
    entry.attempts += 1;
    const token = ++this.tokens;
    entry.leaseToken = token;
    // unref: an expiring lease alone should not keep a process alive; the handler that holds it decides that.
    entry.leaseTimer = setTimeout(() => this.release(entry, token, 'expired'), this.timing.ackDeadlineMs).unref();
    const { message } = entry;
    listener.deliver({
      message: {
        id: message.id,
        data: Buffer.from(message.data),
        attributes: { ...message.attributes },
        ...(message.orderingKey ? { orderingKey: message.orderingKey } : {}),
        publishTime: new Date(message.publishTime),
        deliveryAttempt: entry.attempts,
      },
      ack: () => this.release(entry, token, 'ack'),
      nack: () => this.release(entry, token, 'nack'),
    });
  }

  private release(entry: Entry, token: number, outcome: 'ack' | 'nack' | 'expired'): void {
    // A stale lease (expired and redelivered since) no longer decides anything, as with Pub/Sub's ack ids.
    if (entry.leaseToken !== token) return;
    clearTimeout(entry.leaseTimer);
    entry.leaseToken = undefined;
    entry.leaseTimer = undefined;
    const now = this.timing.now();
    if (outcome === 'ack' && entry.duplicatesLeft > 0) {
      entry.duplicatesLeft -= 1;
      entry.availableAt = now;
    } else if (outcome === 'ack') {
      const index = this.backlog.indexOf(entry);
      if (index !== -1) this.backlog.splice(index, 1);
    } else if (outcome === 'nack') {
      const backoff = this.timing.minBackoffMs * 2 ** Math.max(0, entry.attempts - 1);
      entry.availableAt = now + Math.min(this.timing.maxBackoffMs, backoff);
    } else {
      entry.availableAt = now;
    }
    this.schedule();
  }
}
