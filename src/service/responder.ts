import {
  encodeAttributes,
  errorToExceptionEvent,
  makeDeliveryAcknowledgementEvent,
  makeHeartbeatEvent,
  makeLogRecordEvent,
  makeMonitorMessageEvent,
  makeResponseAttributes,
  makeResultEvent,
  parseEventData,
  refreshAttributes,
  serialiseEventData,
  validateEvent,
} from '../core/events';
import type {
  AttributeSources,
  ExceptionEvent,
  LogEntry,
  ManifestPrimitive,
  QuestionAttributes,
  ResponseAttributes,
  ResultEvent,
  ServiceEvent,
} from '../core/events';
import { decodeOctueJson, encodeOctueJson } from '../core/json/octue-json';
import type { Transport } from '../core/ports/transport';
import type { SecretRedactor } from '../core/redaction';
import { runOutsideLogContext } from './logging';
import type { Logger } from './logging';
import type { AnalysisOutputs } from './types';

/** What a {@link Responder} needs. */
export interface ResponderParams {
  /** The transport to publish on. */
  readonly transport: Transport;
  /** The question being answered. */
  readonly question: QuestionAttributes;
  /** The answering service's SRUID. */
  readonly serviceId: string;
  /** Where failures of fire-and-forget events are logged. */
  readonly logger: Logger;
  /** Clock and UUID sources for event attributes. */
  readonly sources?: AttributeSources;
  /** The analysis's secrets, removed from every event before it is sent. */
  readonly redactor?: SecretRedactor;
}

/** An event with the data it is sent as, and whether that data was redacted. */
interface Encoded<E extends ServiceEvent> {
  readonly event: E;
  readonly data: Buffer;
  readonly redacted: boolean;
}

function manifestPrimitive(manifest: unknown): ManifestPrimitive | undefined {
  if (manifest === undefined || manifest === null) return undefined;
  const toPrimitive = (manifest as { toPrimitive?: unknown }).toPrimitive;
  return (typeof toPrimitive === 'function' ? toPrimitive.call(manifest) : manifest) as ManifestPrimitive;
}

/**
 * Publishes the response events of one question in order, with Octue's response attributes (sender and recipient
 * swapped, a fresh uuid and datetime per event) and the question uuid as ordering key. Each event is serialised and
 * validated against the service-communication schema before it is sent. Events are handed to the transport at once,
 * in the order they were made (the transport keeps that order per ordering key); `result` and `exception` are awaited,
 * the others are fire-and-forget (their failures are logged). With a redactor, no event carries a secret: log records,
 * exception messages and tracebacks, monitor messages and results are all redacted (see {@link SecretRedactor}).
 */
export class Responder {
  private readonly attributes: ResponseAttributes;
  private tail: Promise<void> = Promise.resolve();

  /** @param params - Transport, question, service id, logger and attribute sources. */
  constructor(private readonly params: ResponderParams) {
    this.attributes = makeResponseAttributes(params.question, params.serviceId, params.sources);
  }

  /** The question's uuid. */
  get questionUuid(): string {
    return this.attributes.question_uuid;
  }

  /** Sends `delivery_acknowledgement` (fire-and-forget). */
  acknowledge(): void {
    void this.send(this.encode(makeDeliveryAcknowledgementEvent()), false);
  }

  /** Sends `heartbeat` (fire-and-forget). */
  heartbeat(): void {
    void this.send(this.encode(makeHeartbeatEvent()), false);
  }

  /**
   * Sends `monitor_message` (fire-and-forget once checked).
   * @param data - The monitor message.
   * @throws InvalidEvent when the data cannot travel as a monitor message (e.g. `undefined` or not JSON).
   */
  monitorMessage(data: unknown): void {
    void this.send(this.encode(makeMonitorMessageEvent(data)), false);
  }

  /**
   * Sends `log_record` (fire-and-forget); a record that cannot be sent is dropped with a warning that is not itself
   * forwarded.
   * @param entry - The log entry.
   */
  logRecord(entry: LogEntry): void {
    try {
      void this.send(this.encode(makeLogRecordEvent(entry)), false);
    } catch (error) {
      runOutsideLogContext(() => this.params.logger.exception('A log record could not be forwarded.', error));
    }
  }

  /**
   * Sends `result` and waits until it is published.
   * @param outputs - The analysis's outputs (a Manifest is sent as its primitive).
   * @returns The result event sent (redacted, as sent).
   * @throws InvalidEvent when the outputs do not make a valid event; the transport's errors.
   */
  async result(outputs: AnalysisOutputs): Promise<ResultEvent> {
    const encoded = this.encode(
      makeResultEvent({
        outputValues: outputs.outputValues,
        outputManifest: manifestPrimitive(outputs.outputManifest),
      }),
    );
    await this.send(encoded, true);
    return this.sent(encoded);
  }

  /**
   * Sends `exception` for an error and waits until it is published.
   * @param error - What went wrong.
   * @returns The exception event sent (redacted, as sent).
   * @throws The transport's errors.
   */
  async exception(error: unknown): Promise<ExceptionEvent> {
    const encoded = this.encode(errorToExceptionEvent(error, this.params.serviceId));
    await this.send(encoded, true);
    return this.sent(encoded);
  }

  /** Waits until every event sent so far has been published (or has failed). */
  async flush(): Promise<void> {
    await this.tail;
  }

  // The event as it travels: its data, redacted when it holds a secret. The event itself is left as made (only its
  // kind is read when sending); `sent` gives the redacted one back, decoding it only when it was redacted.
  private encode<E extends ServiceEvent>(event: E): Encoded<E> {
    const redactor = this.params.redactor;
    if (redactor === undefined || redactor.empty) return { event, data: serialiseEventData(event), redacted: false };
    const text = encodeOctueJson(event);
    const redacted = redactor.redactJson(text);
    return { event, data: Buffer.from(redacted, 'utf8'), redacted: redacted !== text };
  }

  private sent<E extends ServiceEvent>(encoded: Encoded<E>): E {
    return encoded.redacted ? (decodeOctueJson(encoded.data.toString('utf8')) as E) : encoded.event;
  }

  private send({ event, data }: Encoded<ServiceEvent>, wait: boolean): Promise<void> {
    const attributes = refreshAttributes(this.attributes, this.params.sources);
    // Validate what travels: the event as a peer will parse it from the message data.
    validateEvent({ event: parseEventData(data), attributes });
    // Not chained behind the previous publish: the transport keeps the order of calls per ordering key, and events
    // queued while one is in flight can then leave together (a quick answer's acknowledgement, log records and result
    // would otherwise be five publishes in a row).
    const publish = this.params.transport.publish({
      data,
      attributes: encodeAttributes(attributes),
      orderingKey: attributes.question_uuid,
    });
    const settled = publish.then(
      () => undefined,
      () => undefined,
    );
    const previous = this.tail;
    this.tail = previous.then(() => settled);
    if (wait) return publish.then(() => undefined);
    publish.catch((error: unknown) =>
      runOutsideLogContext(() =>
        this.params.logger.exception(`The ${event.kind} event for question ${this.questionUuid} was not sent.`, error),
      ),
    );
    return Promise.resolve();
  }
}
