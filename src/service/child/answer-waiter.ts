import { AsyncResource } from 'node:async_hooks';

import { parseEventData } from '../../core/events';
import type { ActiveSubscription, ReceivedMessage, Transport } from '../../core/ports/transport';
import { NotAPullSubscription, QuestionTimeout } from '../../errors';
import type { Clock, TimerHandle } from '../clock';
import type { EventHandler, QuestionAnswer } from '../event-handler';
import type { Logger } from '../logging';

// Node fires longer timers at once (with a warning), so long limits are checked in steps of at most this.
const MAX_TIMER_MS = 2_147_483_647;

/** What an {@link AnswerCollector} needs. */
export interface CollectorParams {
  /** Handles the events; its recording is the Child's `receivedEvents`. */
  readonly handler: EventHandler;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The child's SRUID, for the heartbeat message when no event came. */
  readonly childId: string;
  /** The question's uuid, for messages. */
  readonly questionUuid: string | undefined;
}

/** The limits of one wait. */
export interface WaitLimits {
  /** The services topic, for the timeout message. */
  readonly topicName: string;
  /** Seconds to wait for the result, or `null` for no limit. */
  readonly timeout: number | null;
  /** Seconds allowed without a heartbeat. */
  readonly maximumHeartbeatInterval: number;
}

/** What {@link waitForAnswer} needs. */
export interface WaitParams extends CollectorParams, Omit<WaitLimits, 'topicName'> {
  readonly transport: Transport;
  /** The (pull) answer subscription. */
  readonly subscriptionName: string;
  /** Delete the subscription once waiting ends. */
  readonly deleteSubscription: boolean;
}

/** Calls `onExpiry` once `ms` have passed on `clock` (in steps, so limits beyond Node's timer range work). */
function startDeadline(clock: Clock, ms: number, onExpiry: () => void): TimerHandle {
  const start = clock.now().getTime();
  return clock.setInterval(
    () => {
      if (clock.now().getTime() - start >= ms) onExpiry();
    },
    Math.min(ms, MAX_TIMER_MS),
  );
}

/**
 * Collects one question's answer events, as Octue's `wait_for_answer`: each message given to {@link deliver} is
 * acknowledged at once and its event handed to the handler in arrival order (the transport keeps the child's order by
 * ordering key), once per event uuid; {@link wait} ends with the result, the child's error, or a `QuestionTimeout` when
 * the overall limit passes or no heartbeat arrives within the maximum interval after the last one (or after the first
 * delivery acknowledgement, or the start of the wait, when none came yet; later acknowledgements do not feed it).
 *
 * It exists apart from any subscription so that it can be registered before the question is published (events that
 * arrive before {@link wait} is called are handled, not lost), whether its messages come from a subscription of its
 * own or from a Child's shared one. Events are handled in the async context the collector was made in, so a relayed
 * log record reaches the asking analysis's log context rather than whatever context delivered the message.
 */
export class AnswerCollector {
  /** Takes one message of this question (bound to the async context the collector was made in). */
  readonly deliver: (message: ReceivedMessage) => void;
  private readonly finished: Promise<QuestionAnswer>;
  private settle!: { resolve: (answer: QuestionAnswer) => void; reject: (error: unknown) => void };
  private over = false;
  private lastHeartbeat: number | undefined;
  private firstAcknowledgement: number | undefined;
  private waitStart = 0;
  private heartbeatWindowMs = 0;
  private watchdog: TimerHandle | undefined;
  private queue = Promise.resolve();
  private readonly seen = new Set<string>();
  private readonly timers: TimerHandle[] = [];

  /** @param params - The handler, clock and names for messages. */
  constructor(private readonly params: CollectorParams) {
    this.finished = new Promise<QuestionAnswer>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Nobody may be awaiting yet (an error can come before `wait`), so the rejection must not count as unhandled.
    this.finished.catch(() => undefined);
    // Acknowledge at once (as Octue does) and queue the handling, so a slow monitor-message handler or manifest load
    // never holds the transport, and closing the subscription never waits for it.
    this.deliver = AsyncResource.bind((message: ReceivedMessage): void => {
      message.ack();
      this.queue = this.queue.then(() => this.handle(message)).catch((error: unknown) => this.end({ error }));
    });
  }

  /**
   * Ends the wait with `error` (e.g. the subscription went away); nothing once the wait is over.
   * @param error - What {@link wait} rejects with.
   */
  abort(error: unknown): void {
    this.end({ error });
  }

  /**
   * Starts the overall timeout and the heartbeat watchdog, and waits for the answer. (Not `async`: the promise given
   * is the collector's own, which is never reported as unhandled when a caller drops it.)
   * @param limits - The limits.
   * @returns The answer.
   * @throws QuestionTimeout; the child's re-created error; errors of `handleMonitorMessage` or of loading the output
   *   manifest; the error given to {@link abort}.
   */
  wait(limits: WaitLimits): Promise<QuestionAnswer> {
    if (!this.over) this.startTimers(limits);
    return this.finished;
  }

  private startTimers(limits: WaitLimits): void {
    const { clock, handler } = this.params;
    this.heartbeatWindowMs = limits.maximumHeartbeatInterval * 1000;
    this.waitStart = clock.now().getTime();
    this.armWatchdog(() => {
      const sender = handler.lastAttributes?.sender ?? this.params.childId;
      const uuid = handler.lastAttributes?.question_uuid ?? this.params.questionUuid ?? 'UNKNOWN';
      this.end({
        error: new QuestionTimeout(
          `No heartbeat has been received from '${sender}' for question ${uuid} within the maximum allowed ` +
            `interval of ${limits.maximumHeartbeatInterval}s.`,
          { questionUuid: this.params.questionUuid, timeoutSeconds: limits.maximumHeartbeatInterval },
        ),
      });
    });
    const { timeout } = limits;
    if (timeout === null) return;
    this.timers.push(
      startDeadline(clock, timeout * 1000, () =>
        this.end({
          error: new QuestionTimeout(`No final result received from '${limits.topicName}' after ${timeout} seconds.`, {
            questionUuid: this.params.questionUuid,
            timeoutSeconds: timeout,
          }),
        }),
      ),
    );
  }

  /**
   * Arms the heartbeat watchdog: a one-shot timer due one window after the latest sign of life (the last heartbeat,
   * else the first delivery acknowledgement, else the start of the wait). Heartbeats only move that reference: when
   * the timer fires and one has arrived since, it re-arms for the rest. So a dead child is noticed at the window itself
   * rather than at the next of Octue's once-per-window checks, up to two windows after its last heartbeat.
   */
  private armWatchdog(onDead: () => void): void {
    const { clock } = this.params;
    // At least 1 ms: a zero interval would be a busy loop; beyond Node's range, the timer re-arms for the rest.
    const delay = Math.min(Math.max(this.heartbeatDeadline() - clock.now().getTime(), 1), MAX_TIMER_MS);
    let fired = false;
    const timer = clock.setInterval(() => {
      // One-shot on a repeating-timer clock: a clock catching up on a long pause may call it again.
      if (fired) return;
      fired = true;
      clock.clearInterval(timer);
      if (this.over) return;
      if (clock.now().getTime() >= this.heartbeatDeadline()) onDead();
      else this.armWatchdog(onDead);
    }, delay);
    this.watchdog = timer;
  }

  private heartbeatDeadline(): number {
    return (this.lastHeartbeat ?? this.firstAcknowledgement ?? this.waitStart) + this.heartbeatWindowMs;
  }

  private async handle(message: ReceivedMessage): Promise<void> {
    if (this.over) return;
    // Pub/Sub delivers at least once; every event has a fresh uuid, so a repeated one is a redelivery.
    const eventUuid = message.attributes.uuid;
    if (eventUuid !== undefined) {
      if (this.seen.has(eventUuid)) return;
      this.seen.add(eventUuid);
    }
    let raw: { event: unknown; attributes: Readonly<Record<string, string>> };
    try {
      raw = { event: parseEventData(message.data), attributes: message.attributes };
    } catch (error) {
      const reason = error instanceof Error ? error.message : error;
      this.params.logger.warning('Skipped a message that is not an event: %s', reason);
      return;
    }
    const outcome = await this.params.handler.handle(raw);
    if (outcome.status === 'result') this.end({ answer: outcome.answer });
    else if (outcome.status === 'handled' && outcome.kind === 'heartbeat') {
      this.lastHeartbeat = this.params.clock.now().getTime();
    } else if (outcome.status === 'handled' && outcome.kind === 'delivery_acknowledgement') {
      // Only the first: a repeated acknowledgement (a redelivered question) is no sign the analysis is alive.
      this.firstAcknowledgement ??= this.params.clock.now().getTime();
    }
  }

  // Settles once; the timers stop at the same moment, so no watchdog outlives the wait.
  private end(outcome: { answer: QuestionAnswer } | { error: unknown }): void {
    if (this.over) return;
    this.over = true;
    for (const timer of this.timers.splice(0)) this.params.clock.clearInterval(timer);
    if (this.watchdog !== undefined) this.params.clock.clearInterval(this.watchdog);
    if ('answer' in outcome) this.settle.resolve(outcome.answer);
    else this.settle.reject(outcome.error);
  }
}

/**
 * Waits for the answer to one question on a pull subscription of its own (see {@link AnswerCollector}), then closes
 * the subscription and, unless told otherwise, deletes it.
 * @param params - The subscription, handler, clock and limits.
 * @returns The answer.
 * @throws NotAPullSubscription when the subscription pushes its messages (it is left in place); QuestionTimeout; the
 *   child's re-created error; errors of `handleMonitorMessage` or of loading the output manifest.
 */
export async function waitForAnswer(params: WaitParams): Promise<QuestionAnswer> {
  const { transport, logger } = params;
  const collector = new AnswerCollector(params);
  const answer = collector.wait(Object.assign({}, params, { topicName: transport.topicName }));
  let active: ActiveSubscription | undefined;
  let keepSubscription = !params.deleteSubscription;
  try {
    active = await transport.subscribe(params.subscriptionName, collector.deliver, {
      onError: (error) => logger.warning('The answer subscription reported an error: %s', String(error)),
    });
    return await answer;
  } catch (error) {
    collector.abort(error);
    // A push subscription stays: its endpoint receives the answer (Octue leaves it too).
    if (error instanceof NotAPullSubscription) keepSubscription = true;
    throw error;
  } finally {
    await active
      ?.close()
      .catch((error: unknown) => logger.warning('Closing the answer subscription failed: %s', String(error)));
    if (!keepSubscription) {
      await transport
        .deleteSubscription(params.subscriptionName)
        .catch((error: unknown) => logger.warning('Deleting the answer subscription failed: %s', String(error)));
    }
  }
}
