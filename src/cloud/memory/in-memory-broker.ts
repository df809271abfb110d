import type { OutgoingMessage, SubscriptionSpec } from '../../core/ports/transport';
import { TopicNotFound, TransportError } from '../../errors';
import { MemorySubscription } from './memory-subscription';
import type { DeliveryTiming } from './memory-subscription';

/** Decides how many extra times a published message is delivered after being acked (0 = exactly once). */
export type DuplicateDeliveries = number | ((message: OutgoingMessage) => number);

/** Options for {@link InMemoryBroker}. */
export interface InMemoryBrokerOptions {
  /** Project id used in push bodies (`projects/<id>/subscriptions/…`); default `skein-local`. */
  readonly projectId?: string;
  /** Redelivery delay after a first nack in ms, doubling per attempt; default 10. */
  readonly minBackoffMs?: number;
  /** Longest redelivery delay in ms; default 1000. */
  readonly maxBackoffMs?: number;
  /** Unacked messages older than this (ms) are dropped, like Octue's 600 s retention; default 600 000. */
  readonly messageRetentionMs?: number;
  /**
   * Forces duplicate deliveries, which Pub/Sub may make at any time, so exactly-once handling can be tested
   * deterministically: every matching message is delivered again this many times after it is acked (in order, before
   * later messages with its ordering key). A function decides per published message. Default 0.
   */
  readonly duplicateDeliveries?: DuplicateDeliveries;
  /** The clock for publish times, retention and backoff, in ms since the epoch; default `Date.now` (tests may fix it). */
  readonly now?: () => number;
}

/** Octue's ack deadline, used when a subscription does not give one. */
const DEFAULT_ACK_DEADLINE_SECONDS = 600;

/**
 * The in-process stand-in for a Pub/Sub project: named topics and subscriptions shared by every
 * {@link InMemoryTransport} given this broker, so several services in one process talk to each other. Tests should
 * make their own broker and close it; {@link defaultInMemoryBroker} serves embedded use.
 */
export class InMemoryBroker {
  /** Project id used in push bodies. */
  readonly projectId: string;
  private readonly topics = new Set<string>();
  private readonly subscriptions = new Map<string, MemorySubscription>();
  private readonly timing: Omit<DeliveryTiming, 'ackDeadlineMs'>;
  private readonly duplicates: DuplicateDeliveries;
  private nextId = 1;
  private closed = false;

  /** @param options - Redelivery timing, retention and the duplicate-delivery knob. */
  constructor(options: InMemoryBrokerOptions = {}) {
    this.projectId = options.projectId ?? 'skein-local';
    this.timing = {
      minBackoffMs: options.minBackoffMs ?? 10,
      maxBackoffMs: options.maxBackoffMs ?? 1000,
      retentionMs: options.messageRetentionMs ?? 600_000,
      now: options.now ?? Date.now,
    };
    this.duplicates = options.duplicateDeliveries ?? 0;
  }

  /**
   * Creates a topic.
   * @param name - The topic's name.
   * @returns `false` when it already existed.
   */
  createTopic(name: string): boolean {
    this.assertOpen();
    if (this.topics.has(name)) return false;
    this.topics.add(name);
    return true;
  }

  /**
   * @param name - A topic name.
   * @returns Whether the topic exists.
   */
  hasTopic(name: string): boolean {
    return this.topics.has(name);
  }

  /**
   * Deletes a topic; its subscriptions stay but receive nothing more (as Pub/Sub detaches them).
   * @param name - The topic's name.
   */
  deleteTopic(name: string): void {
    this.topics.delete(name);
  }

  /**
   * Creates a subscription on a topic.
   * @param topicName - The topic.
   * @param spec - The subscription.
   * @returns The new subscription, or `undefined` when one of that name already exists (it is left unchanged).
   * @throws TopicNotFound when the topic does not exist.
   */
  createSubscription(topicName: string, spec: SubscriptionSpec): MemorySubscription | undefined {
    this.assertOpen();
    if (!this.topics.has(topicName)) throw new TopicNotFound(topicName);
    if (this.subscriptions.has(spec.name)) return undefined;
    const ackDeadlineMs = (spec.ackDeadlineSeconds ?? DEFAULT_ACK_DEADLINE_SECONDS) * 1000;
    const subscription = new MemorySubscription(spec, topicName, { ...this.timing, ackDeadlineMs });
    this.subscriptions.set(spec.name, subscription);
    return subscription;
  }

  /**
   * @param name - A subscription name.
   * @returns The subscription, if it exists.
   */
  getSubscription(name: string): MemorySubscription | undefined {
    return this.subscriptions.get(name);
  }

  /**
   * Deletes a subscription (a missing one is ignored); its subscribers are told and stop receiving.
   * @param name - The subscription's name.
   */
  deleteSubscription(name: string): void {
    const subscription = this.subscriptions.get(name);
    this.subscriptions.delete(name);
    subscription?.dispose();
  }

  /** @returns The names of the existing topics. */
  topicNames(): string[] {
    return [...this.topics];
  }

  /** @returns The names of the existing subscriptions. */
  subscriptionNames(): string[] {
    return [...this.subscriptions.keys()];
  }

  /**
   * Stores a message in every subscription of the topic whose filter it matches. The caller has already checked it
   * (see `assertPublishable`); data and attributes are copied, so later changes by the caller do not leak in.
   * @param topicName - The topic.
   * @param message - The message.
   * @returns The message id.
   * @throws TopicNotFound when the topic does not exist.
   */
  publish(topicName: string, message: OutgoingMessage): string {
    this.assertOpen();
    if (!this.topics.has(topicName)) throw new TopicNotFound(topicName);
    const id = String(this.nextId++);
    const stored = {
      id,
      data: Buffer.from(message.data),
      attributes: { ...message.attributes },
      ...(message.orderingKey ? { orderingKey: message.orderingKey } : {}),
      publishTime: new Date(this.timing.now()),
    };
    const duplicates = typeof this.duplicates === 'function' ? this.duplicates(message) : this.duplicates;
    for (const subscription of this.subscriptions.values()) {
      if (subscription.topicName === topicName) subscription.offer(stored, duplicates);
    }
    return id;
  }

  /** Expires every outstanding lease now, so each message being handled is delivered again (attempt + 1). */
  redeliverAll(): void {
    for (const subscription of this.subscriptions.values()) subscription.expireLeases();
  }

  /** Drops every topic and subscription and clears every timer; the broker cannot be used afterwards. */
  close(): void {
    this.closed = true;
    for (const subscription of this.subscriptions.values()) subscription.dispose();
    this.subscriptions.clear();
    this.topics.clear();
  }

  /** Whether {@link InMemoryBroker.close} has been called. */
  get isClosed(): boolean {
    return this.closed;
  }

  private assertOpen(): void {
    if (this.closed) throw new TransportError('The in-memory broker is closed; create a new one.');
  }
}

let defaultBroker: InMemoryBroker | undefined;

/**
 * The process-wide broker used by an {@link InMemoryTransport} made without one (embedded use). Tests should make
 * their own broker instead, so they cannot see each other's messages.
 * @returns The default broker, created on first use (and again if it was closed).
 */
export function defaultInMemoryBroker(): InMemoryBroker {
  if (!defaultBroker || defaultBroker.isClosed) defaultBroker = new InMemoryBroker();
  return defaultBroker;
}
