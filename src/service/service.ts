import type { AttributeSources, ExceptionEvent, ResultEvent } from '../core/events';
import type { ObjectStore } from '../core/ports/object-store';
import type { Transport } from '../core/ports/transport';
import { SecretRedactor } from '../core/redaction';
import { validateSruid } from '../core/service-id';
import { pickExtensionAttributes } from '../core/events';
import { InvalidEvent, InvalidInputException } from '../errors';
import { InProcessClaims, leaseDurationMs, renewClaim, settleClaim } from './claims';
import type { ClaimDecision, ClaimLease, QuestionClaims } from './claims';
import { systemClock } from './clock';
import type { Clock, TimerHandle } from './clock';
import { reportInvalidQuestion, routableQuestionAttributes } from './invalid-question';
import { findRoute, handleRouted } from './event-routes';
import type { EventRoute } from './event-routes';
import { createLogger, runWithLogContext } from './logging';
import { ObjectStoreClaims } from './object-store-claims';
import type { Logger } from './logging';
import { isReceivedMessage, parseQuestion } from './question';
import type { ParsedQuestion, QuestionInput } from './question';
import { Responder } from './responder';
import { serveQuestions } from './serve';
import type { ServeOptions } from './serve';
import type { RunFunction, RunnerLike } from './types';

/** Octue's heartbeat interval: 120 s. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 120_000;

/** Everything a Service is built from: its identity, its ports and how it runs questions. */
export interface ServiceOptions {
  /** The service's SRUID, e.g. `acme/wind-speed:1.0.0`. */
  readonly serviceId: string;
  /** Where questions arrive and responses are published. */
  readonly transport: Transport;
  /** Runs each question (a Runner); give this or `runFunction`. */
  readonly runner?: RunnerLike;
  /** Runs each question; give this or `runner`. */
  readonly runFunction?: RunFunction;
  /** The object store exactly-once claims are written to (with `claimsLocation`). */
  readonly objectStore?: ObjectStore;
  /**
   * The directory claims are written in, e.g. `gs://my-bucket/.skein/claims`: leases renewed with every heartbeat
   * and lasting {@link LEASE_HEARTBEAT_INTERVALS} heartbeat intervals (see {@link ObjectStoreClaims}). Without it (or
   * without an object store) claims are kept in this process only: redeliveries to this process are dropped, but
   * another instance could answer the same question again.
   */
  readonly claimsLocation?: string;
  /** A claims implementation to use instead (overrides `objectStore`/`claimsLocation`). */
  readonly claims?: QuestionClaims;
  /**
   * Milliseconds between heartbeats while answering; default 120 000 (Octue's 120 s). Each heartbeat also renews the
   * question's claim, whose lease lasts {@link LEASE_HEARTBEAT_INTERVALS} intervals.
   */
  readonly heartbeatIntervalMs?: number;
  /** Where the service logs; default a logger with no sinks. */
  readonly logger?: Logger;
  /** Timers for heartbeats. */
  readonly clock?: Clock;
  /** Clock and UUID sources for event attributes. */
  readonly attributeSources?: AttributeSources;
  /**
   * Routes for messages of Skein extensions (e.g. federation messages) that arrive on the service's subscription:
   * a matching message goes to its route instead of being read as a question.
   */
  readonly eventRoutes?: readonly EventRoute[];
}

/** How answering one question ended. `answer` never throws: every outcome is reported here. */
export type AnswerOutcome =
  /** The app ran and the result was sent. */
  | { readonly status: 'answered'; readonly questionUuid: string; readonly result: ResultEvent }
  /** The app (or sending the result) failed; an exception event was sent if possible. */
  | {
      readonly status: 'failed';
      readonly questionUuid: string;
      readonly error: unknown;
      readonly exception: ExceptionEvent | undefined;
    }
  /**
   * The question was invalid: logged and acknowledged. When its attributes route a response, the parent was sent an
   * `exception` (`ValidationError`) naming each failure, once per attempt (`exception` is that event, `undefined` when
   * the attempt was already reported or sending failed); otherwise it was dropped (`questionUuid` is then absent).
   */
  | {
      readonly status: 'invalid';
      readonly error: InvalidEvent;
      readonly questionUuid?: string;
      readonly exception?: ExceptionEvent;
    }
  /** The attempt was already answered (a redelivery or republication): acknowledged and dropped. */
  | { readonly status: 'duplicate'; readonly questionUuid: string; readonly retryCount: number }
  /**
   * Another delivery holds a live lease on the attempt (it is answering it): this one was nacked so that Pub/Sub
   * delivers it again later, which answers it if the holder dies first, or drops it once the holder finished.
   */
  | { readonly status: 'deferred'; readonly questionUuid: string; readonly retryCount: number }
  /** The claim could not be decided (e.g. the store failed): the message was nacked for redelivery. */
  | { readonly status: 'unclaimed'; readonly questionUuid: string; readonly error: unknown }
  /** The message belonged to an extension's route (`route`); `error` when the route failed (it was then nacked). */
  | { readonly status: 'routed'; readonly route: string; readonly error?: unknown };

function settle(input: QuestionInput, action: 'ack' | 'nack'): void {
  if (isReceivedMessage(input)) input[action]();
}

/**
 * A service that answers questions (Octue's `Service` in its child role): it decodes and validates each question,
 * claims it so that each attempt runs once, acknowledges it to the parent, sends heartbeats, forwards logs and
 * monitor messages, runs the app and sends the result, or an exception when anything fails. It is built from ports
 * only; entry points and tests wire the transport and object store.
 *
 * A question's message is acknowledged when its answer ends (the result or exception was sent), not when it arrives:
 * if the instance dies mid-analysis, Pub/Sub delivers the question again, and once the dead instance's claim lease has
 * expired that delivery runs it. A delivery arriving while another holds a live lease is nacked (Pub/Sub delivers it
 * again later, with backoff) rather than dropped, so the question is not lost if the holder dies; a delivery of an
 * answered attempt is acknowledged and dropped.
 */
export class Service {
  /** The service's SRUID. */
  readonly id: string;
  private readonly transport: Transport;
  private readonly run: RunFunction;
  private readonly claims: QuestionClaims;
  private readonly heartbeatIntervalMs: number;
  private readonly leaseMs: number;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly sources: AttributeSources | undefined;
  private readonly routes: readonly EventRoute[];

  /**
   * @param options - Identity, ports and run function.
   * @throws InvalidServiceID for a malformed SRUID; InvalidInputException when neither or both of `runner` and
   *   `runFunction` are given, for a bad heartbeat interval, or a claims location without an object store.
   */
  constructor(options: ServiceOptions) {
    validateSruid(options.serviceId);
    if ((options.runner === undefined) === (options.runFunction === undefined)) {
      throw new InvalidInputException('A Service answers questions with a runner or a runFunction: give exactly one.');
    }
    const interval = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    if (!Number.isFinite(interval) || interval <= 0) {
      throw new InvalidInputException(`heartbeatIntervalMs must be a positive number; received ${interval}.`);
    }
    if (options.claimsLocation !== undefined && options.objectStore === undefined && options.claims === undefined) {
      throw new InvalidInputException(
        `Claims cannot be written to '${options.claimsLocation}' without an object store: pass objectStore too.`,
      );
    }
    this.id = options.serviceId;
    this.transport = options.transport;
    const { runner } = options;
    this.run = runner === undefined ? (options.runFunction as RunFunction) : (params) => runner.run(params);
    this.heartbeatIntervalMs = interval;
    this.leaseMs = leaseDurationMs(interval);
    this.logger = (options.logger ?? createLogger()).child('service');
    this.clock = options.clock ?? systemClock;
    this.sources = options.attributeSources;
    this.routes = options.eventRoutes ?? [];
    this.claims =
      options.claims ??
      (options.objectStore !== undefined && options.claimsLocation !== undefined
        ? new ObjectStoreClaims(options.objectStore, options.claimsLocation, this.id, this.clock)
        : new InProcessClaims());
    if (!this.claims.durable) {
      this.logger.debug('Question claims are kept in this process only (no object store claims location).');
    }
  }

  /** @returns `<Service('<sruid>')>`, as Octue represents services (and as exception messages name them). */
  toString(): string {
    return `<Service('${this.id}')>`;
  }

  /**
   * Answers one question. Never throws: invalid questions are logged and, when their attributes route a response,
   * reported to the parent as an `exception` event (else dropped), answered attempts dropped, attempts another
   * delivery is answering nacked, and app failures reported to the parent as an `exception` event.
   * @param input - A transport message, raw message parts, or an event with its attributes.
   * @returns How it ended.
   */
  async answer(input: QuestionInput): Promise<AnswerOutcome> {
    const routed = findRoute(this.routes, input);
    if (routed !== undefined) {
      const { route, event } = routed;
      const error = await handleRouted(route, event, (action) => settle(input, action), this.logger);
      return error === undefined
        ? { status: 'routed', route: route.name }
        : { status: 'routed', route: route.name, error };
    }
    this.logger.info('%s received a question.', this.toString());
    let question: ParsedQuestion;
    try {
      question = parseQuestion(input);
    } catch (error) {
      settle(input, 'ack');
      const invalid =
        error instanceof InvalidEvent
          ? error
          : new InvalidEvent(`The question could not be read: ${String(error)}`, { cause: error });
      return this.rejectInvalid(input, invalid);
    }
    const { question_uuid: questionUuid, retry_count: retryCount, recipient } = question.attributes;
    let decision: ClaimDecision;
    try {
      decision = await this.claims.claim({ questionUuid, retryCount }, { leaseMs: this.leaseMs });
    } catch (error) {
      settle(input, 'nack');
      this.logger.exception(`Question ${questionUuid} could not be claimed; it will be redelivered.`, error);
      return { status: 'unclaimed', questionUuid, error };
    }
    if (decision.status === 'finished') {
      settle(input, 'ack');
      this.logger.info(
        'Question %s (retry %d) was already answered; this delivery was dropped.',
        questionUuid,
        retryCount,
      );
      return { status: 'duplicate', questionUuid, retryCount };
    }
    if (decision.status === 'held') {
      settle(input, 'nack');
      this.logger.info(
        'Question %s (retry %d) is being answered by another delivery; this one was refused so that it comes again.',
        questionUuid,
        retryCount,
      );
      return { status: 'deferred', questionUuid, retryCount };
    }
    if (decision.takenOver) {
      this.logger.warning(
        'The delivery answering question %s (retry %d) stopped renewing its claim (its instance may have died); ' +
          'answering it again.',
        questionUuid,
        retryCount,
      );
    }
    if (retryCount > 0) this.logger.warning('This is retry %d for question %s.', retryCount, questionUuid);
    if (recipient !== this.id) {
      this.logger.warning(
        'Question %s is addressed to %s, not %s; answering anyway.',
        questionUuid,
        recipient,
        this.id,
      );
    }
    const outcome = await this.respond(question, decision.lease, pickExtensionAttributes(input.attributes));
    // No response reached the parent: give the attempt up so that the redelivery the nack asks for runs it.
    const reachedParent = !(outcome.status === 'failed' && outcome.exception === undefined);
    await settleClaim(questionUuid, reachedParent ? decision.lease.finish() : decision.lease.release(), this.logger);
    settle(input, reachedParent ? 'ack' : 'nack');
    return outcome;
  }

  /**
   * Serves questions from this service's subscription until `signal` aborts (or `timeoutMs` passes), answering
   * them concurrently; in-flight answers finish before it resolves (see {@link serveQuestions}).
   * @param options - Stop signal, timeout and subscription handling.
   * @throws ServiceNotFound when the services topic does not exist; ServiceAlreadyExists when the subscription
   *   exists and `allowExisting` is not set.
   */
  serve(options: ServeOptions = {}): Promise<void> {
    return serveQuestions({
      serviceId: this.id,
      transport: this.transport,
      answer: (message) => this.answer(message),
      logger: this.logger,
      options,
      clock: this.clock,
    });
  }

  // An invalid question is answered with an exception when its attributes route a response (see
  // routableQuestionAttributes), so its parent does not wait until its timeout; otherwise it is logged and dropped.
  private async rejectInvalid(input: QuestionInput, invalid: InvalidEvent): Promise<AnswerOutcome> {
    const attributes = routableQuestionAttributes(input, this.id);
    if (attributes === undefined) {
      this.logger.exception(`${this.toString()} received an invalid question; it was dropped.`, invalid);
      return { status: 'invalid', error: invalid };
    }
    const questionUuid = attributes.question_uuid;
    this.logger.exception(`${this.toString()} received invalid question ${questionUuid}; reporting it.`, invalid);
    const exception = await reportInvalidQuestion({
      attributes,
      invalid,
      serviceId: this.id,
      transport: this.transport,
      claims: this.claims,
      leaseMs: this.leaseMs,
      logger: this.logger,
      sources: this.sources,
    });
    return { status: 'invalid', error: invalid, questionUuid, exception };
  }

  // Each answer has its own secrets (the Runner adds the analysis's credentials): everything logged while answering,
  // every event sent, and the error handed back in the outcome (callers log it) are redacted with them.
  private respond(
    question: ParsedQuestion,
    lease: ClaimLease,
    extensionAttributes: Readonly<Record<string, string>>,
  ): Promise<AnswerOutcome> {
    const redactor = new SecretRedactor();
    return runWithLogContext({ redactor }, () => this.respondRedacted(question, lease, redactor, extensionAttributes));
  }

  private async respondRedacted(
    question: ParsedQuestion,
    lease: ClaimLease,
    redactor: SecretRedactor,
    extensionAttributes: Readonly<Record<string, string>>,
  ): Promise<AnswerOutcome> {
    const { attributes, event } = question;
    const questionUuid = attributes.question_uuid;
    const responder = new Responder({
      transport: this.transport,
      question: attributes,
      serviceId: this.id,
      logger: this.logger.child('responder'),
      sources: this.sources,
      redactor,
    });
    let heartbeat: TimerHandle | undefined;
    const stopHeartbeat = (): void => {
      if (heartbeat !== undefined) this.clock.clearInterval(heartbeat);
      heartbeat = undefined;
    };
    try {
      responder.acknowledge();
      this.logger.info('%s acknowledged receipt of question %s.', this.toString(), questionUuid);
      heartbeat = this.clock.setInterval(() => {
        responder.heartbeat();
        renewClaim(questionUuid, lease, this.logger);
      }, this.heartbeatIntervalMs);
      const forward = attributes.forward_logs
        ? [
            {
              sink: (entry: Parameters<Responder['logRecord']>[0]) => responder.logRecord(entry),
              level: 'info' as const,
            },
          ]
        : [];
      const outputs = await runWithLogContext({ analysisId: questionUuid, sinks: forward }, () =>
        this.run({
          analysisId: questionUuid,
          inputValues: event.input_values,
          inputManifest: event.input_manifest,
          children: event.children,
          saveDiagnostics: attributes.save_diagnostics,
          originatorQuestionUuid: attributes.originator_question_uuid,
          originator: attributes.originator,
          handleMonitorMessage: (data) => responder.monitorMessage(data),
          redactor,
          extensionAttributes,
        }),
      );
      const result = await responder.result(outputs);
      stopHeartbeat();
      this.logger.info('%s answered question %s.', this.toString(), questionUuid);
      await responder.flush();
      return { status: 'answered', questionUuid, result };
    } catch (error) {
      stopHeartbeat();
      this.logger.exception(`${this.toString()} failed to answer question ${questionUuid}.`, error);
      let exception: ExceptionEvent | undefined;
      try {
        exception = await responder.exception(error);
      } catch (sendError) {
        this.logger.exception(`The exception for question ${questionUuid} could not be sent.`, sendError);
      }
      await responder.flush();
      return { status: 'failed', questionUuid, error: redactor.redactValue(error), exception };
    }
  }
}
