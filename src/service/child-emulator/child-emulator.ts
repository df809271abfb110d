import { randomUUID } from 'node:crypto';

import { makeQuestionAttributes, makeResponseAttributes, refreshAttributes } from '../../core/events';
import type { ErrorClass, RecordedEvent, ResponseAttributes, ServiceEvent } from '../../core/events';
import type { ObjectStore } from '../../core/ports/object-store';
import type { LocationPolicy } from '../../core/resources';
import { LOCAL_SRUID, createSruid, parseServiceId, validateSruid } from '../../core/service-id';
import { askMultiple } from '../child/ask-multiple';
import { resolveLimits } from '../child/ask-options';
import { retryFailedQuestion } from '../child/retries';
import type { AskMultipleOptions, AskResult, ChildAskOptions } from '../child/types';
import { EventHandler } from '../event-handler';
import type { QuestionAnswer } from '../event-handler';
import { locationPolicyFor } from '../location-allowances';
import type { LocationAllowances } from '../location-allowances';
import { createLogger } from '../logging';
import type { Logger } from '../logging';
import type { ChildLike, ChildQuestion } from '../types';
import { isRecordedEvent, normaliseEvents } from './recorded-events';
import type { NormalisedEvents, ReplayableEvent } from './recorded-events';
import { readRecordingFile } from './recording-file';

/**
 * What a {@link ChildEmulator} replays, and the ports and settings a `Child` would have, including what a recorded
 * result's output manifest may name (`allowedLocalRoots`, `allowedUrlHosts`, `allowedBuckets`, as for a Child: a
 * recording is replayed as the answer it stands for, so by default no local path and no unsigned URL is read).
 */
export interface ChildEmulatorOptions extends LocationAllowances {
  /**
   * The events to replay, in Octue's recording format (`[{event, attributes}]`, as `child.receivedEvents` holds
   * them), or bare events (`[{kind, …}]`, Octue's format before 0.41, also `{type, …}`); at least one.
   */
  readonly events: readonly unknown[];
  /**
   * The child's SRUID. Default: the sender of the first recorded event; for bare events only, a new
   * `default/<uuid>:<slug>` SRUID (as Octue gave an emulator without an id).
   */
  readonly id?: string;
  /** The SRUID the questions come from, named in the attributes given to bare events. Default `local/local:local`. */
  readonly parentSruid?: string;
  /** Where the emulator logs and re-emits the child's log records, as a Child's logger. Default: no sinks. */
  readonly logger?: Logger;
  /** Further error classes recorded exceptions may be re-created as (e.g. an app's own errors). */
  readonly errorClasses?: readonly ErrorClass[];
  /** For loading the `gs://` datasets of a recorded result's output manifest. */
  readonly objectStore?: ObjectStore;
}

/** The answer of a synchronous replay: `null` when the events hold no result (Octue returns `None` then). */
export type ReplayedAnswer = QuestionAnswer | null;

/**
 * A stand-in for a {@link Child} that answers every question by replaying recorded events (Octue's
 * `ChildEmulator`), with no transport. The events go through the same {@link EventHandler} a waiting Child uses, so a
 * replay does what the live answer did: monitor messages reach `handleMonitorMessage`, the child's log records are
 * re-emitted with their `[<sender> | <question uuid>]` labels, a recorded `exception` is thrown as the same class (or
 * a class of the same name) with the remote traceback, and handling stops at the `result`. The question's inputs do
 * not change the answer, and events are not checked against the service-communication schema (as Octue's replayer).
 *
 * Recorded events keep their recorded question uuid, which `ask` returns; bare events are given the attributes a real
 * child would send for the question asked (its uuid, or a new one, and its lineage).
 *
 * @example
 * ```ts
 * const child = await ChildEmulator.fromFile('test/fixtures/elevation-child.json');
 * const { answer } = await child.ask({ inputValues: { n: 5 }, handleMonitorMessage: console.log });
 * ```
 */
export class ChildEmulator implements ChildLike {
  /** The child's SRUID. */
  readonly id: string;
  /** The SRUID questions are asked from (named in the attributes given to bare events). */
  readonly parentSruid: string;
  private readonly replayable: NormalisedEvents;
  private readonly logger: Logger;
  private readonly errorClasses: readonly ErrorClass[] | undefined;
  private readonly objectStore: ObjectStore | undefined;
  private readonly answerLocations: LocationPolicy;
  private handler: EventHandler | undefined;

  /**
   * @param options - The events to replay and the Child settings that apply to a replay.
   * @throws InvalidRecording when there are no events or an event is malformed.
   * @throws InvalidServiceID when `id` or `parentSruid` is malformed.
   */
  constructor(options: ChildEmulatorOptions) {
    this.replayable = normaliseEvents(options.events);
    if (options.id !== undefined) parseServiceId(options.id);
    this.id = options.id ?? this.replayable.sender ?? createSruid();
    this.parentSruid = options.parentSruid ?? LOCAL_SRUID;
    validateSruid(this.parentSruid);
    this.logger = options.logger ?? createLogger({ name: 'skein.child-emulator' });
    this.errorClasses = options.errorClasses;
    this.objectStore = options.objectStore;
    this.answerLocations = locationPolicyFor(options, this.objectStore);
  }

  /**
   * Makes an emulator from a JSON file: a list of events (what {@link saveRecordedEvents} writes, or Octue's
   * `received_events` dumped with `json.dump`), or Octue's object form `{"events": […]}` (older: `"messages"`, with
   * optional `"id"` and `"internal_sruid"`/`"internal_service_name"`, which set `id` and `parentSruid` unless the
   * options do). Unlike the constructor, a file must hold a `result` or `exception` event: a fixture without one is
   * almost always a truncated recording.
   * @param path - The file.
   * @param options - As for the constructor, without the events.
   * @returns The emulator.
   * @throws RecordingNotFound when the file does not exist or cannot be read.
   * @throws InvalidRecording when it is not JSON, not one of the forms above, has malformed events or no result or
   *   exception event.
   */
  static async fromFile(path: string, options: Omit<ChildEmulatorOptions, 'events'> = {}): Promise<ChildEmulator> {
    const file = await readRecordingFile(path);
    return new ChildEmulator({
      ...options,
      events: file.events,
      id: options.id ?? file.id,
      parentSruid: options.parentSruid ?? file.parentSruid,
    });
  }

  /** @returns `<ChildEmulator('<id>')>`, as Octue represents emulators. */
  toString(): string {
    return `<ChildEmulator('${this.id}')>`;
  }

  /** The events the emulator replays, as given (legacy `{type, …}` events converted to `{kind, …}`). */
  get events(): readonly ReplayableEvent[] {
    return this.replayable.events;
  }

  /**
   * The events handled by the latest replay, as `{event, attributes}` (the events up to the result or exception, as
   * a Child records the events received while waiting); `undefined` before the first `ask`; empty after an ask with
   * `recordEvents: false`.
   */
  get receivedEvents(): readonly RecordedEvent[] | undefined {
    return this.handler?.handledEvents;
  }

  /**
   * Asks the emulator a question: replays the events through the shared event handler. An asynchronous question, or
   * one with a push endpoint, resolves at once with `answer: null`, as a Child does. `subscribeToLogs: false` leaves
   * the child's log records out (a real child would not send them); `timeout` and the other transport options are
   * ignored. With `raiseErrors: false`, a replayed exception is returned as the answer (after `maxRetries` replays
   * that fail the same way, unless it matches `preventRetriesWhen`).
   * @param options - The question, as for `Child.ask`.
   * @returns The answer (`null` when the events hold no result) and the question uuid.
   * @throws The recorded exception, re-created (with `raiseErrors`, the default); whatever `handleMonitorMessage`
   *   throws; InvalidInputException for bad limits; LocalPathNotAllowed, UrlHostNotAllowed or BucketNotAllowed when
   *   the recorded output manifest names a location the emulator does not read (nothing of it is read); loading
   *   errors of the result's output manifest.
   */
  ask(options: ChildAskOptions & { readonly asynchronous: true }): Promise<AskResult<null>>;
  ask(options: ChildAskOptions & { readonly pushEndpoint: string }): Promise<AskResult<null>>;
  ask(options: ChildAskOptions & { readonly raiseErrors: false }): Promise<AskResult<ReplayedAnswer | Error>>;
  ask(options?: ChildAskOptions & { readonly raiseErrors?: true }): Promise<AskResult<ReplayedAnswer>>;
  ask(options?: ChildAskOptions): Promise<AskResult>;
  // The Runner's question shape, so an emulator can be an analysis's child.
  ask(question: ChildQuestion): Promise<AskResult>;
  async ask(question: ChildAskOptions | ChildQuestion = {}): Promise<AskResult> {
    const options = question as ChildAskOptions;
    const limits = resolveLimits(options);
    const questionUuid = this.replayable.questionUuid ?? options.questionUuid ?? randomUUID();
    if (options.asynchronous === true || options.pushEndpoint !== undefined) return { answer: null, questionUuid };
    try {
      return { answer: await this.replay(options, questionUuid), questionUuid };
    } catch (error) {
      if (limits.raiseErrors) throw error;
      return retryFailedQuestion({
        error,
        questionUuid,
        options,
        limits,
        ask: (retry) => this.ask(retry),
        logger: this.logger,
      });
    }
  }

  /**
   * Asks several questions, at most `maxConcurrency` at a time, as `Child.askMultiple` does.
   * @param questions - The questions, as for {@link ChildEmulator.ask}.
   * @param options - Error handling for all questions and the concurrency bound.
   * @returns The results in the order of `questions`.
   * @throws The first error thrown by a question, once every question has finished; InvalidInputException for a bad
   *   `maxConcurrency`.
   */
  askMultiple(questions: readonly ChildAskOptions[], options: AskMultipleOptions = {}): Promise<AskResult[]> {
    return askMultiple((question) => this.ask(question), questions, options, this.logger);
  }

  private async replay(options: ChildAskOptions, questionUuid: string): Promise<ReplayedAnswer> {
    const handler = new EventHandler({
      handleMonitorMessage: options.handleMonitorMessage,
      recordEvents: options.recordEvents ?? true,
      logger: this.logger,
      errorClasses: this.errorClasses,
      objectStore: this.objectStore,
      locationPolicy: this.answerLocations,
      validateEvents: false,
    });
    this.handler = handler;
    const answer = await handler.handleEvents(this.eventsFor(options, questionUuid));
    return answer ?? null;
  }

  // Recorded events are replayed as they are (no copy: the common case is a long recording); bare ones get the
  // attributes a real child would put on its responses to this question.
  private eventsFor(options: ChildAskOptions, questionUuid: string): Iterable<unknown> {
    const withLogs = options.subscribeToLogs !== false;
    const { events, hasBareEvents } = this.replayable;
    if (!hasBareEvents && withLogs) return events;
    let attributes: ResponseAttributes | undefined;
    const result: RecordedEvent[] = [];
    for (const event of events) {
      const kind = isRecordedEvent(event) ? event.event.kind : event.kind;
      if (!withLogs && kind === 'log_record') continue;
      if (isRecordedEvent(event)) {
        result.push(event);
        continue;
      }
      attributes ??= this.responseAttributes(options, questionUuid);
      result.push({ event: event as ServiceEvent, attributes: refreshAttributes(attributes) });
    }
    return result;
  }

  private responseAttributes(options: ChildAskOptions, questionUuid: string): ResponseAttributes {
    const question = makeQuestionAttributes({
      sender: this.parentSruid,
      recipient: this.id,
      questionUuid,
      parentQuestionUuid: options.parentQuestionUuid,
      originatorQuestionUuid: options.originatorQuestionUuid,
      originator: options.originator,
      retryCount: options.retryCount,
    });
    return makeResponseAttributes(question, this.id);
  }
}
