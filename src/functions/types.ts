import type { AnswerOutcome, QuestionInput } from '../service';

// Structural stand-ins for the shapes @google-cloud/functions-framework and Pub/Sub hand a function. src/functions may
// not import Google's packages (only src/cloud may), and only these few fields are read, so each is declared here
// with every field optional: whatever arrives is checked before use.

/** A Pub/Sub message as it appears in a push body, a CloudEvent's data or a gen1 background event's data. */
export interface PubSubMessageLike {
  /** The message data, base64-encoded (Pub/Sub's JSON form). */
  readonly data?: unknown;
  /** String attributes. */
  readonly attributes?: unknown;
  /** The message id (Pub/Sub sends `messageId` and `message_id`). */
  readonly messageId?: unknown;
  readonly message_id?: unknown;
  /** RFC 3339 publish time (Pub/Sub sends `publishTime` and `publish_time`). */
  readonly publishTime?: unknown;
  readonly publish_time?: unknown;
  /** The ordering key, when the message had one (the emulator never sends it). */
  readonly orderingKey?: unknown;
}

/**
 * A CloudEvent as functions-framework hands it to a `--signature-type=cloudevent` function: Eventarc's
 * `google.cloud.pubsub.topic.v1.messagePublished`, or a push envelope/background event converted by the framework.
 */
export interface CloudEventLike {
  readonly id?: unknown;
  /** `//pubsub.googleapis.com/projects/<project>/topics/<topic>`. */
  readonly source?: unknown;
  readonly type?: unknown;
  /** `{message: PubSubMessageLike, subscription?: string}`. */
  readonly data?: unknown;
}

/** The context of a gen1 background event (`--signature-type=event`), the second argument of the function. */
export interface BackgroundContextLike {
  readonly eventId?: unknown;
  readonly timestamp?: unknown;
  readonly eventType?: unknown;
  /** `projects/<project>/topics/<topic>`, or `{service, name, type}` with that name. */
  readonly resource?: unknown;
}

/** The part of an HTTP request (Express's, as functions-framework passes it) a push handler reads. */
export interface HttpRequestLike {
  /** The parsed JSON body: a push envelope `{message, subscription, deliveryAttempt?}`. */
  readonly body?: unknown;
  /** The URL path; push endpoints include `projects/<project>/topics/<topic>`. */
  readonly path?: unknown;
}

/** The part of an HTTP response (Express's) a push handler writes. */
export interface HttpResponseLike {
  status(code: number): HttpResponseLike;
  send(body?: unknown): unknown;
}

/** A Pub/Sub message read from any of the shapes above. */
export interface FunctionMessage {
  readonly id: string;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly publishTime: Date;
  readonly orderingKey?: string;
  /** 1 on the first delivery (push bodies carry `deliveryAttempt` only with a dead-letter policy). */
  readonly deliveryAttempt: number;
}

/** What a function answers questions with: a Skein `Service`, or anything with its `id` and `answer`. */
export interface AnsweringService {
  /** The service's SRUID; only questions addressed to it are answered. */
  readonly id: string;
  /** Answers one question; never throws (see `Service.answer`). */
  answer(input: QuestionInput): Promise<AnswerOutcome>;
}

/**
 * How to build a service on the first delivery addressed to it (the cold start). Its identity comes first and from
 * configuration alone, so that a delivery can be checked against it before anything is built: a message for another
 * service, or one naming another project or topic, then builds nothing and changes no state.
 */
export interface ServiceBuilder {
  /**
   * The SRUID the built service answers as, from configuration only (never from a delivery). Called until it
   * succeeds; an error (a malformed identity) refuses the delivery so that Pub/Sub delivers it again.
   */
  readonly serviceId: () => string;
  /**
   * Builds the service, which must answer as {@link ServiceBuilder.serviceId}. Called on the first delivery addressed
   * to it; its service is reused for every later delivery, and a build that fails is tried again next time.
   */
  readonly build: () => AnsweringService | Promise<AnsweringService>;
}

/** The service, or how to build it (see {@link ServiceBuilder}). */
export type ServiceSource = AnsweringService | ServiceBuilder;

/**
 * How a delivery ended: the service's outcome, or one of the function's own drops:
 * - `undeliverable`: the event is not a readable Pub/Sub message (no message, data empty or not base64);
 * - `not-addressed`: the message is not a question for this service (another recipient, or sent by a child); such a
 *   message is dropped before the service is built;
 * - `unavailable`: the service could not be built.
 */
export type DeliveryStatus = AnswerOutcome['status'] | 'undeliverable' | 'not-addressed' | 'unavailable';

/** What a handler reports for one delivery (and functions-framework sends back as the response body). */
export interface DeliveryReport {
  /** The Pub/Sub message id, when it could be read. */
  readonly messageId: string | undefined;
  /** How it ended. */
  readonly status: DeliveryStatus;
  /**
   * `true`: acknowledged (2xx), never delivered again. `false`: refused (5xx), so Pub/Sub delivers it again — only for
   * failures that a later delivery can get past.
   */
  readonly acknowledged: boolean;
  /** The question's uuid, when it was read. */
  readonly questionUuid?: string;
  /** Why it was dropped or refused. */
  readonly detail?: string;
}
