import { decodeEvent, exceptionEventToError, fromPythonLogRecord, isEventKind } from '../../core/events';
import type {
  EventAttributes,
  ExceptionEvent,
  LogRecordEvent,
  MonitorMessageEvent,
  RecordedEvent,
  ResultEvent,
  ServiceEvent,
} from '../../core/events';
import { copyOwnProperties } from '../../core/json/own-property';
import { Manifest, checkManifestLocations } from '../../core/resources';
import type { LocationPolicy } from '../../core/resources';
import { InvalidEvent } from '../../errors';
import { locationPolicyFor } from '../location-allowances';
import { createLogger } from '../logging';
import type { Logger } from '../logging';
import { reemitLogEntry, relabelLogMessage } from './log-relay';
import type { EventHandlerOptions, HandleOutcome, QuestionAnswer } from './types';

/**
 * Handles the events of one question, one at a time, in the order they are given — the shared core of waiting for
 * an answer (a Child feeds it events as they arrive) and of replaying recorded events (an emulator feeds it a list).
 * It knows nothing about transports: it takes `{event, attributes}` pairs, with attributes either as Pub/Sub strings
 * or typed (as recorded), and:
 *
 * - checks each against the service-communication schema, skipping invalid ones with a warning;
 * - skips everything after the result or exception;
 * - records each handled event as `{event, attributes}` (Octue's recording format) when `recordEvents` is on;
 * - dispatches by kind: `delivery_acknowledgement` and `heartbeat` are logged (the caller resets its heartbeat
 *   watchdog on the `heartbeat` outcome), `monitor_message` goes to `handleMonitorMessage`, `log_record` is re-emitted
 *   with `[<sender> | <question uuid>]` labels, `exception` is thrown as the re-created remote error, and `result`
 *   finishes handling with `{outputValues, outputManifest}`; `question` events (in replays) are logged.
 */
export class EventHandler {
  /** The events handled so far, as `{event, attributes}`, when `recordEvents` is on (else empty). */
  readonly handledEvents: RecordedEvent[] = [];
  private readonly logger: Logger;
  private readonly locationPolicy: LocationPolicy;
  private done = false;
  private last: EventAttributes | undefined;

  /** @param options - What to do with monitor messages and logs, and whether to validate and record events. */
  constructor(private readonly options: EventHandlerOptions = {}) {
    this.logger = options.logger ?? createLogger();
    this.locationPolicy = options.locationPolicy ?? locationPolicyFor({}, options.objectStore);
  }

  /** Whether a result or exception has been handled (later events are skipped). */
  get finished(): boolean {
    return this.done;
  }

  /** The attributes of the last event handled, e.g. to name the sender in a timeout message. */
  get lastAttributes(): EventAttributes | undefined {
    return this.last;
  }

  /**
   * Handles one event.
   * @param raw - `{event, attributes}`: the parsed event and its attributes (strings or typed).
   * @returns What handling did: `handled`, `result` (with the answer) or `skipped`.
   * @throws The remote error (re-created with `exceptionEventToError`) when the event is an `exception`; whatever
   *   `handleMonitorMessage` throws; LocalPathNotAllowed, UrlHostNotAllowed or BucketNotAllowed when the result's
   *   output manifest names a location the location policy refuses (nothing of it is read); loading errors of the
   *   result's output manifest.
   */
  async handle(raw: unknown): Promise<HandleOutcome> {
    if (this.done) return { status: 'skipped', reason: 'finished' };
    const recorded = this.accept(raw);
    if (recorded === undefined) return { status: 'skipped', reason: 'invalid' };
    const { event, attributes } = recorded;
    this.last = attributes;
    if (this.options.recordEvents ?? true) this.handledEvents.push(recorded);
    if (event.kind === 'result' || event.kind === 'exception') this.done = true;
    if (this.options.onlyHandleResult && event.kind !== 'result') {
      return { status: 'handled', kind: event.kind, attributes };
    }
    return this.dispatch(event, attributes);
  }

  /**
   * Handles events in order until the result (later events are not looked at), as a replay does.
   * @param events - Recorded `{event, attributes}` pairs.
   * @returns The answer, or `undefined` when the events hold no result (a warning is logged).
   * @throws As {@link EventHandler.handle}, e.g. the remote error of an `exception` event.
   */
  async handleEvents(events: Iterable<unknown>): Promise<QuestionAnswer | undefined> {
    for (const raw of events) {
      const outcome = await this.handle(raw);
      if (outcome.status === 'result') return outcome.answer;
      if (this.done) return undefined;
    }
    this.logger.warning('No result was found for this question.');
    return undefined;
  }

  /** Decodes and checks an event; `undefined` (after a warning) when it cannot be handled. */
  private accept(raw: unknown): RecordedEvent | undefined {
    const candidate = raw as { event?: unknown; attributes?: unknown } | null;
    const hasShape = typeof candidate === 'object' && candidate !== null && 'event' in candidate;
    // Replays (validation off, as Octue's replayer) take a well-formed event as it is: decoding every recorded event
    // again would cost more than the replay itself.
    const replayed = this.options.validateEvents === false && hasShape ? this.unchecked(candidate) : undefined;
    if (replayed !== undefined) return replayed;
    try {
      if (!hasShape) {
        throw new InvalidEvent('An event must be given as {event, attributes}.', {
          failures: [{ pointer: '', message: "must have required property 'event'", keyword: 'required' }],
        });
      }
      // Decoded attributes are already minimal (no undefined values), i.e. in the recording format.
      return decodeEvent({ event: candidate.event, attributes: candidate.attributes });
    } catch (error) {
      this.logger.warning(
        'Skipped an event that does not conform to the service-communication schema: %s',
        error instanceof Error ? error.message : String(error),
      );
      return undefined;
    }
  }

  // Without validation (replays of stored events, as Octue's replayer), an event is taken as it is as long as its
  // kind is known and it has attributes to read.
  private unchecked(candidate: { event?: unknown; attributes?: unknown }): RecordedEvent | undefined {
    const { event, attributes } = candidate;
    const kind = (event as { kind?: unknown } | null)?.kind;
    if (!isEventKind(kind) || typeof attributes !== 'object' || attributes === null) return undefined;
    return { event: event as ServiceEvent, attributes: attributes as EventAttributes };
  }

  private async dispatch(event: ServiceEvent, attributes: EventAttributes): Promise<HandleOutcome> {
    const handled: HandleOutcome = { status: 'handled', kind: event.kind, attributes };
    switch (event.kind) {
      case 'question':
        this.logger.info(
          '%s asked a question %s to service %s.',
          attributes.sender,
          attributes.question_uuid,
          attributes.recipient,
        );
        return handled;
      case 'delivery_acknowledgement':
        this.logger.info(
          'Question %s was delivered to %s at %s.',
          attributes.question_uuid,
          attributes.sender,
          attributes.datetime,
        );
        return handled;
      case 'heartbeat':
        this.logger.info(
          'Received a heartbeat from service %s for question %s.',
          attributes.sender,
          attributes.question_uuid,
        );
        return handled;
      case 'monitor_message':
        await this.handleMonitorMessage(event, attributes);
        return handled;
      case 'log_record':
        this.handleLogRecord(event, attributes);
        return handled;
      case 'exception':
        throw this.toError(event, attributes);
      case 'result':
        return { status: 'result', answer: await this.toAnswer(event, attributes), attributes };
    }
  }

  private async handleMonitorMessage(event: MonitorMessageEvent, attributes: EventAttributes): Promise<void> {
    this.logger.debug(
      'Received a monitor message from service %s for question %s.',
      attributes.sender,
      attributes.question_uuid,
    );
    await this.options.handleMonitorMessage?.(event.data);
  }

  private handleLogRecord(event: LogRecordEvent, attributes: EventAttributes): void {
    const { excludeLogsContaining } = this.options;
    let entry;
    try {
      entry = fromPythonLogRecord(event.log_record);
    } catch (error) {
      this.logger.warning('Skipped an unreadable log record from %s: %s', attributes.sender, String(error));
      return;
    }
    if (excludeLogsContaining && entry.message.includes(excludeLogsContaining)) return;
    const message = relabelLogMessage(entry.message, {
      sender: attributes.sender,
      questionUuid: attributes.question_uuid,
      includeServiceMetadata: this.options.includeServiceMetadataInLogs ?? true,
      colour: this.options.colourLogLabels ?? false,
    });
    const relabelled = Object.assign({}, entry, { message });
    if (this.options.handleLogEntry) this.options.handleLogEntry(relabelled);
    else reemitLogEntry(this.logger, relabelled);
  }

  private toError(event: ExceptionEvent, attributes: EventAttributes): Error {
    // Unvalidated (replayed) events may lack the traceback; the codec needs a list.
    const traceback = Array.isArray(event.exception_traceback) ? event.exception_traceback : [];
    // Copied key by key: Object.assign would turn an own `__proto__` key of a replayed event into the copy's prototype.
    const copy: ExceptionEvent = Object.assign(copyOwnProperties(event) as unknown as ExceptionEvent, {
      exception_traceback: traceback,
    });
    return exceptionEventToError(copy, attributes.sender, {
      errorClasses: this.options.errorClasses,
    });
  }

  private async toAnswer(event: ResultEvent, attributes: EventAttributes): Promise<QuestionAnswer> {
    this.logger.info('Received an answer to question %s.', attributes.question_uuid);
    const primitive = event.output_manifest;
    if (!primitive) return { outputValues: event.output_values ?? null, outputManifest: null };
    const store = this.options.objectStore;
    const locationPolicy = this.locationPolicy;
    try {
      // The child chose every location in its answer: all are checked before any is read, then each file again as
      // it is loaded (stored or signed metadata can list more files).
      await checkManifestLocations(primitive, locationPolicy);
    } catch (error) {
      this.logger.error(
        'Refused the output manifest of the answer from %s to question %s: %s',
        attributes.sender,
        attributes.question_uuid,
        error instanceof Error ? error.message : String(error),
      );
      throw error;
    }
    const outputManifest = await Manifest.fromPrimitive(primitive, {
      // A replayed answer's datasets may be long gone (Octue's emulator does not fetch them either).
      allowMissing: this.options.validateEvents === false,
      locationPolicy,
      ...(store === undefined ? {} : { store }),
    });
    return { outputValues: event.output_values ?? null, outputManifest };
  }
}
