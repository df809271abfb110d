import { EmptyMessage, InvalidInputException, MessageTooLarge, TransportError } from '../../errors';
import type { SubscriptionLost } from '../../errors';

/**
 * The transport port: how services exchange events. `PubSubTransport` (Google Cloud Pub/Sub through the official
 * client, also against the emulator) and `InMemoryTransport` (one process, the embedded default and the unit-test
 * twin) implement it with the same semantics: one topic, ordering by `orderingKey`, at-least-once delivery (a message
 * that is not acked is redelivered), and subscriptions whose attribute filters are ALSO applied on receipt (the
 * emulator stores filters but ignores them).
 */
export interface Transport {
  /** A short name for messages and diagnostics, e.g. `pubsub` or `memory`. */
  readonly kind: string;
  /** The full topic name every event travels on (e.g. `octue.twined.services`). */
  readonly topicName: string;

  /**
   * Publishes one message. Data must be non-empty; messages over {@link MAX_MESSAGE_BYTES} are refused with
   * `MessageTooLarge` before anything is sent. Messages with the same ordering key are delivered in the order
   * `publish` was called, whether or not the caller waited for the previous call.
   * @returns The message id the transport assigned.
   */
  publish(message: OutgoingMessage): Promise<string>;

  /** Creates the topic if it does not exist (local serving and tests; deployed topics are made by `deploy`). */
  ensureTopic(): Promise<void>;

  /** Whether the topic exists. */
  topicExists(): Promise<boolean>;

  /**
   * Creates a subscription on the topic.
   * @throws SubscriptionAlreadyExists unless `allowExisting`.
   */
  createSubscription(spec: SubscriptionSpec, options?: { allowExisting?: boolean }): Promise<void>;

  /** Deletes a subscription; a missing one is ignored. */
  deleteSubscription(name: string): Promise<void>;

  /**
   * Starts delivering the subscription's messages (those matching its filter) to `handler`, in order per ordering
   * key. A message the handler neither acks nor nacks before its promise settles is acked if the promise resolves
   * and nacked (redelivered) if it rejects.
   */
  subscribe(name: string, handler: MessageHandler, options?: SubscribeOptions): Promise<ActiveSubscription>;

  /** Releases clients and timers. */
  close(): Promise<void>;
}

/** Pub/Sub's per-message limit (10 MB); larger messages are refused before publishing. */
export const MAX_MESSAGE_BYTES = 10_000_000;

/** A message to publish. */
export interface OutgoingMessage {
  /** The event as UTF-8 JSON; never empty. */
  readonly data: Buffer;
  /** String attributes (Pub/Sub carries only strings). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Messages with the same key are delivered in publish order; Skein uses the question uuid. */
  readonly orderingKey?: string;
}

/** A message as delivered to a handler. */
export interface ReceivedMessage {
  readonly id: string;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey?: string;
  readonly publishTime: Date;
  /** 1 on first delivery, then 2, 3, … on redeliveries (when the transport knows). */
  readonly deliveryAttempt: number;
  /** Acknowledges: the message will not be delivered again. */
  ack(): void;
  /** Refuses: the message will be redelivered. */
  nack(): void;
}

/** Handles one delivered message. */
export type MessageHandler = (message: ReceivedMessage) => void | Promise<void>;

/** Options for {@link Transport.subscribe}. */
export interface SubscribeOptions {
  /**
   * Told about failures that cannot be thrown to a caller: a handler that threw or rejected (its message is nacked
   * and redelivered; `message` is given) and errors of the underlying stream (no `message`). Library code has no
   * logger of its own, so without this such failures are silent.
   */
  readonly onError?: (error: unknown, message?: ReceivedMessage) => void;
  /**
   * Told once when the subscription stops delivering for good: it was deleted under the subscriber, or its stream
   * ended with an error the client does not retry. Nothing more arrives on this subscriber; close it, then re-create
   * and subscribe again, or give up. Without this the loss goes to `onError`.
   */
  readonly onLost?: (error: SubscriptionLost) => void;
  /**
   * Bounds the messages leased to this subscriber at once (being handled, or received and waiting): beyond them the
   * transport pulls nothing more until handlers finish, so a flood costs bounded memory. Default
   * {@link DEFAULT_FLOW_CONTROL}. `PubSubTransport` applies it (with the client's flow control); `InMemoryTransport`
   * checks it but does not bound deliveries (its messages are already in this process's memory).
   */
  readonly flowControl?: FlowControl;
}

/** Flow control for a subscriber: how much leased work it may hold at once. */
export interface FlowControl {
  /** The most messages leased at once (an integer >= 1). */
  readonly maxMessages: number;
  /** The most bytes of message data and attributes leased at once (an integer >= 1). */
  readonly maxBytes: number;
}

/**
 * The flow control subscribers use unless told otherwise: 1 000 messages and 64 MiB, enforced (the Pub/Sub client's
 * own default lets any batch through past its bounds). Fewer messages cost throughput without saving memory: a
 * served service answers questions concurrently, so 100 cut askMultiple(500) from about 300 to 200 questions/s
 * (bench/cases/questions-throughput.mjs), while the flood's peak RSS was the same (bench/cases/flood-rss.mjs).
 */
export const DEFAULT_FLOW_CONTROL: FlowControl = { maxMessages: 1000, maxBytes: 64 * 1024 * 1024 };

/**
 * Checks flow-control settings.
 * @param flowControl - The settings to check.
 * @returns The same settings.
 * @throws InvalidInputException when a bound is not an integer >= 1.
 */
export function assertFlowControl(flowControl: FlowControl): FlowControl {
  for (const key of ['maxMessages', 'maxBytes'] as const) {
    const value = flowControl[key];
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new InvalidInputException(`flowControl.${key} must be an integer >= 1; received ${String(value)}.`);
    }
  }
  return flowControl;
}

/** Attribute equality conditions, ANDed: `{recipient: 'a/b:c', sender_type: 'PARENT'}`. */
export type AttributeFilter = Readonly<Record<string, string>>;

/** A subscription to create. */
export interface SubscriptionSpec {
  /** Subscription name (short form, without `projects/…/subscriptions/`). */
  readonly name: string;
  /** Only messages whose attributes equal all of these are delivered. */
  readonly filter?: AttributeFilter;
  /** Push to this HTTPS endpoint instead of pulling. */
  readonly pushEndpoint?: string;
  /** Seconds a delivered message stays leased before redelivery; default 600 (Octue's). */
  readonly ackDeadlineSeconds?: number;
  /** Delete the subscription after this many idle seconds; omitted = never expires. */
  readonly expirationTtlSeconds?: number;
}

/** A running subscription. */
export interface ActiveSubscription {
  /** Stops delivery; messages in flight are finished first. */
  close(): Promise<void>;
}

/** Renders an attribute filter in Pub/Sub's filter syntax, e.g. `attributes.recipient = "a/b:c" AND …`. */
export function formatAttributeFilter(filter: AttributeFilter): string {
  return Object.entries(filter)
    .map(([key, value]) => `attributes.${key} = ${JSON.stringify(value)}`)
    .join(' AND ');
}

/** Whether a message's attributes satisfy a filter (applied on receipt because the emulator ignores filters). */
export function matchesAttributeFilter(
  attributes: Readonly<Record<string, string>>,
  filter: AttributeFilter | undefined,
): boolean {
  if (!filter) return true;
  // Runs on every received message: a plain loop allocates nothing.
  for (const key in filter) {
    if (attributes[key] !== filter[key]) return false;
  }
  return true;
}

/**
 * The size Pub/Sub counts against {@link MAX_MESSAGE_BYTES}, computed conservatively: data plus every attribute's key
 * and value plus the ordering key, all in UTF-8 bytes.
 * @param message - The message to measure.
 * @returns Its size in bytes.
 */
export function messageSizeBytes(message: OutgoingMessage): number {
  let size = message.data.length + Buffer.byteLength(message.orderingKey ?? '', 'utf8');
  for (const [key, value] of Object.entries(message.attributes)) {
    size += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
  }
  return size;
}

/**
 * Applies the rules every transport enforces before publishing: data is a non-empty Buffer (Pub/Sub push and
 * functions-framework drop empty messages) and the message is at most {@link MAX_MESSAGE_BYTES} (the emulator hangs on
 * larger ones instead of refusing them).
 * @param message - The message about to be published.
 * @returns Its size in bytes.
 * @throws EmptyMessage when `data` is empty or not a Buffer.
 * @throws MessageTooLarge when the message is over the limit.
 */
export function assertPublishable(message: OutgoingMessage): number {
  if (!Buffer.isBuffer(message.data) || message.data.length === 0) {
    throw new EmptyMessage(
      "A message with empty data cannot be published (Pub/Sub push drops it); publish the event's JSON as data.",
    );
  }
  const size = messageSizeBytes(message);
  if (size > MAX_MESSAGE_BYTES) throw new MessageTooLarge(size, MAX_MESSAGE_BYTES);
  return size;
}

// One condition as formatAttributeFilter writes it: attributes.<key> = "<JSON string>".
const FILTER_CONDITION = /^attributes\.([A-Za-z0-9_\-.]+)\s*=\s*("(?:[^"\\]|\\.)*")/;

/**
 * Reads back a filter written by {@link formatAttributeFilter} (or by Octue, which uses the same form), so a
 * subscriber can apply the filter stored on a subscription to each message it receives.
 * @param text - The subscription's filter, e.g. `attributes.recipient = "a/b:c" AND attributes.sender_type = "PARENT"`.
 * @returns The conditions, or `undefined` when the text is empty (no filter).
 * @throws TransportError when the filter uses any other Pub/Sub filter syntax (`hasPrefix`, `OR`, `NOT`, `:`), which
 * cannot be applied on receipt.
 */
export function parseAttributeFilter(text: string): AttributeFilter | undefined {
  let rest = text.trim();
  if (rest === '') return undefined;
  const filter: Record<string, string> = {};
  for (;;) {
    const match = FILTER_CONDITION.exec(rest);
    const value = match?.[2] === undefined ? undefined : parseQuoted(match[2]);
    if (!match?.[1] || value === undefined) break;
    filter[match[1]] = value;
    rest = rest.slice(match[0].length).trim();
    if (rest === '') return filter;
    if (!rest.startsWith('AND ')) break;
    rest = rest.slice(4).trim();
  }
  throw new TransportError(
    `The subscription filter '${text}' cannot be applied on receipt: only ANDed ` +
      '`attributes.<key> = "<value>"` conditions are supported.',
  );
}

function parseQuoted(quoted: string): string | undefined {
  try {
    const value: unknown = JSON.parse(quoted);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
