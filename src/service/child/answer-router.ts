import { randomUUID } from 'node:crypto';

import type { ActiveSubscription, ReceivedMessage, Transport } from '../../core/ports/transport';
import { sharedAnswerSubscription } from '../../core/topology';
import { InvalidInputException, TransportError } from '../../errors';
import type { Logger } from '../logging';

/** How long the shared answer subscription outlives its last waiting question unless told otherwise. */
export const DEFAULT_ANSWER_SUBSCRIPTION_LINGER_MS = 2_000;

/** One waiting question, as the router sees it. */
export interface AnswerTarget {
  /** Takes a message of the question (acknowledging it). */
  deliver(message: ReceivedMessage): void;
  /** Ends the wait with an error (the subscription was closed under it). */
  abort(error: unknown): void;
}

/** What an {@link AnswerRouter} needs. */
export interface AnswerRouterParams {
  readonly transport: Transport;
  /** The SRUID answers are addressed to. */
  readonly parentSruid: string;
  readonly logger: Logger;
  /** Milliseconds to keep the subscription after the last waiter left; `0` closes it at once. */
  readonly lingerMs: number;
}

/** A registration; `release` is idempotent. */
export interface AnswerRegistration {
  /** Stops routing to the question; the subscription closes after the linger if no other question waits. */
  release(): Promise<void>;
}

/** The open shared subscription. */
interface OpenSubscription {
  readonly name: string;
  readonly active: ActiveSubscription;
}

/**
 * The one answer subscription a Child shares between all its synchronous questions. Making and deleting a subscription
 * per question cost two admin calls each (and, with hundreds at once, stalled the Pub/Sub emulator), so the router
 * makes one, named uniquely for this router (never shared between processes, which would split the messages), and
 * hands each message to the question whose `question_uuid` it carries. Messages of questions nobody waits for here
 * (finished ones, or another process's with the same parent SRUID) are acknowledged and dropped.
 *
 * The subscription is made on the first registration (once, however many arrive together), kept while any question
 * waits, and closed and deleted `lingerMs` after the last one leaves, so back-to-back questions reuse it; the linger
 * timer is unref'd so it never keeps the process alive. Its 31-day expiry removes it if the process dies first.
 */
export class AnswerRouter {
  private readonly targets = new Map<string, AnswerTarget>();
  private opening: Promise<OpenSubscription> | undefined;
  private linger: NodeJS.Timeout | undefined;

  /**
   * @param params - The transport, the parent's SRUID, a logger and the linger.
   * @throws InvalidInputException when the linger is negative or not a number.
   */
  constructor(private readonly params: AnswerRouterParams) {
    if (!Number.isFinite(params.lingerMs) || params.lingerMs < 0) {
      throw new InvalidInputException(
        `answerSubscriptionLingerMs must be a number of milliseconds of at least 0; received ${String(params.lingerMs)}.`,
      );
    }
  }

  /**
   * Routes the messages of `questionUuid` to `target`, making the shared subscription first if there is none.
   * Call it before publishing the question, so no answer can come before anyone listens.
   * @param questionUuid - The question's uuid.
   * @param target - Where its messages go.
   * @returns The registration, to release once the wait is over.
   * @throws InvalidInputException when a question with this uuid already waits on this Child; the transport's errors
   *   when the subscription cannot be made.
   */
  async register(questionUuid: string, target: AnswerTarget): Promise<AnswerRegistration> {
    if (this.targets.has(questionUuid)) {
      throw new InvalidInputException(
        `Question ${questionUuid} is already waiting for its answer on this Child; give each question its own uuid.`,
      );
    }
    this.targets.set(questionUuid, target);
    clearTimeout(this.linger);
    this.linger = undefined;
    let released = false;
    const registration: AnswerRegistration = {
      release: async () => {
        if (released) return;
        released = true;
        if (this.targets.get(questionUuid) === target) this.targets.delete(questionUuid);
        await this.idle();
      },
    };
    try {
      await this.open();
    } catch (error) {
      await registration.release();
      throw error;
    }
    return registration;
  }

  /**
   * Closes and deletes the shared subscription now (whether or not it lingers); questions still waiting on it fail
   * with a TransportError. A later question makes a new subscription. Calling it again does nothing more.
   * @returns Once the subscription is closed and deleted (failures are logged, not thrown).
   */
  async close(): Promise<void> {
    const waiting = [...this.targets.entries()];
    this.targets.clear();
    for (const [questionUuid, target] of waiting) {
      target.abort(
        new TransportError(
          `The Child was closed while question ${questionUuid} was waiting for its answer; ask it again on an open ` +
            'Child.',
        ),
      );
    }
    await this.teardown();
  }

  // Makes the subscription once: concurrent first registrations share the same creation.
  private open(): Promise<OpenSubscription> {
    this.opening ??= this.create().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  private async create(): Promise<OpenSubscription> {
    const { transport, logger } = this.params;
    const spec = sharedAnswerSubscription(this.params.parentSruid, randomUUID());
    await transport.createSubscription(spec);
    try {
      const active = await transport.subscribe(spec.name, (message) => this.route(message), {
        onError: (error) => logger.warning('The answer subscription reported an error: %s', String(error)),
      });
      return { name: spec.name, active };
    } catch (error) {
      await transport.deleteSubscription(spec.name).catch(() => undefined);
      throw error;
    }
  }

  private route(message: ReceivedMessage): void {
    const target = this.targets.get(message.attributes.question_uuid ?? '');
    // Nobody here waits for it: acknowledge it so it is not redelivered to this subscription for ever.
    if (target === undefined) message.ack();
    else target.deliver(message);
  }

  // Called when a question leaves: start the linger (or close at once) if it was the last.
  private async idle(): Promise<void> {
    if (this.targets.size > 0 || this.opening === undefined) return;
    if (this.params.lingerMs <= 0) {
      await this.teardown();
      return;
    }
    clearTimeout(this.linger);
    this.linger = setTimeout(() => {
      this.linger = undefined;
      if (this.targets.size === 0) void this.teardown();
    }, this.params.lingerMs);
    this.linger.unref();
  }

  private async teardown(): Promise<void> {
    clearTimeout(this.linger);
    this.linger = undefined;
    const opening = this.opening;
    // Forget it first, so a question arriving meanwhile makes a fresh subscription instead of using a closing one.
    this.opening = undefined;
    const open = await opening?.catch(() => undefined);
    if (open === undefined) return;
    const { transport, logger } = this.params;
    await open.active
      .close()
      .catch((error: unknown) => logger.warning('Closing the answer subscription failed: %s', String(error)));
    await transport
      .deleteSubscription(open.name)
      .catch((error: unknown) => logger.warning('Deleting the answer subscription failed: %s', String(error)));
  }
}
