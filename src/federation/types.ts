/**
 * Types of `skein/federation`: participants, messages and the results of sending and waiting.
 * @module
 */

/** A participant's node type in the federation context (FLAME's `nodeType`). */
export type NodeType = 'aggregator' | 'default';

/** A participant's role as `getRole()` reports it: `proxy` is a node without data sources. */
export type Role = NodeType | 'proxy';

/** One participant of an analysis (FLAME's `{nodeId, nodeType}`); the id is the service's SRUID. */
export interface Participant {
  readonly nodeId: string;
  readonly nodeType: NodeType;
}

/** A message's status in its mailbox. */
export type MessageStatus = 'unread' | 'read';

/** The broker's metadata on a message (FLAME's `meta`, in camelCase). */
export interface MessageMeta {
  /** `incoming` in the receiver's mailbox, `outgoing` in the sender's. */
  readonly type: 'incoming' | 'outgoing';
  readonly category: string;
  /** FLAME's id: sender prefix, message number, uuid suffix. */
  readonly id: string;
  /** The receiver that acknowledged it (incoming: this participant), `null` on an outgoing record. */
  readonly aknId: string | null;
  readonly status: MessageStatus;
  readonly sender: string;
  /** The receivers (outgoing records only). */
  readonly recipients?: readonly string[];
  /** When the sender made it (ISO 8601, UTC: unlike FLAME's naive local time, comparable across nodes). */
  readonly createdAt: string;
  /** When it was stored in the receiver's mailbox (ISO 8601, UTC); `null` on outgoing records. */
  readonly arrivedAt: string | null;
  /** The sender's message number. */
  readonly number: number;
  /** The id of the message this one answers, when the sender gave one. */
  readonly inReplyTo: string | null;
}

/** A message with its body (any JSON object without `meta`) and metadata. */
export interface FederationMessage {
  readonly body: Readonly<Record<string, unknown>>;
  readonly meta: MessageMeta;
}

/** Options of `sendMessage`, FLAME's with Skein's additions. */
export interface SendMessageOptions {
  /** Attempts (each re-sends the same message id to the receivers that have not acknowledged); default 1. */
  readonly maxAttempts?: number;
  /** Seconds for all attempts together (each gets `timeout / maxAttempts`); default none. */
  readonly timeout?: number;
  /** Seconds per attempt without `timeout`; default 10. The last attempt waits until the run deadline instead. */
  readonly attemptTimeout?: number;
  /** The id of the message this one answers; receivers can wait for replies with `inReplyTo`. */
  readonly inReplyTo?: string;
  /**
   * Send a body over the size limit through global intermediate data instead of refusing it: receivers get the body
   * transparently. Needs a data root shared with the receivers.
   */
  readonly spill?: boolean;
}

/** What `sendMessage` resolves to. */
export interface SendResult {
  /** The message id (the same on every attempt). */
  readonly messageId: string;
  /** Receivers that acknowledged, in the order given. */
  readonly acknowledged: readonly string[];
  /** Receivers that did not acknowledge within the budget. */
  readonly notAcknowledged: readonly string[];
}

/** Options of `awaitMessages`. */
export interface AwaitMessagesOptions {
  /** Only the message with this id. */
  readonly messageId?: string;
  /** Seconds to wait; default until the run deadline (minus the margin). */
  readonly timeout?: number;
  /** Only replies to this message id (fixes FLAME's stale-reply hazard). */
  readonly inReplyTo?: string;
}

/** What `awaitMessages` resolves to: every unread match per sender, or `null` for a sender with none in time. */
export type AwaitedMessages = Record<string, FederationMessage[] | null>;

/** Which messages `getMessages` and `clearMessages` select. */
export type StatusFilter = MessageStatus | 'all';
