import type { Logger } from './logging';

/** Identifies one attempt at a question: Octue's `(question_uuid, retry_count)`. */
export interface QuestionAttempt {
  readonly questionUuid: string;
  readonly retryCount: number;
}

/**
 * How many heartbeat intervals a claim's lease lasts. Octue's parents give up on a child after 360 s without a
 * heartbeat, three of its 120 s intervals; a lease as long lets two renewals fail before another instance may take the
 * question over.
 */
export const LEASE_HEARTBEAT_INTERVALS = 3;

/**
 * The lease a claim holds for a service heartbeating at `heartbeatIntervalMs`.
 * @param heartbeatIntervalMs - The service's heartbeat interval (the lease is renewed at each heartbeat).
 * @returns The lease duration in milliseconds.
 */
export function leaseDurationMs(heartbeatIntervalMs: number): number {
  return LEASE_HEARTBEAT_INTERVALS * heartbeatIntervalMs;
}

/** A claim this delivery won: a lease on the attempt, renewed while the app runs and settled when the answer ends. */
export interface ClaimLease {
  /**
   * Extends the lease by its duration from now.
   * @returns `false` when the lease was lost (it expired and another delivery took the attempt over).
   * @throws The store's errors when the renewal could not be written (the lease is kept; renew again later).
   */
  renew(): Promise<boolean>;
  /**
   * Records that the attempt finished (a result or an exception reached the parent): later deliveries are dropped.
   * @returns `false` when the lease had been lost, so nothing was recorded.
   */
  finish(): Promise<boolean>;
  /**
   * Gives the attempt up unfinished (no response reached the parent): the next delivery runs it at once.
   * @returns `false` when the lease had been lost, so nothing was recorded.
   */
  release(): Promise<boolean>;
}

/**
 * What a claim decided about one delivery:
 * - `claimed`: this delivery runs the attempt (`takenOver` when an expired lease of a delivery that stopped renewing it,
 *   e.g. one whose instance died, was taken over);
 * - `finished`: the attempt was answered; the delivery is acknowledged and dropped;
 * - `held`: another delivery holds a live lease (it is running the attempt); this delivery is refused (nacked) so that
 *   Pub/Sub delivers it again later, which runs the attempt if the holder dies before finishing.
 */
export type ClaimDecision =
  | { readonly status: 'claimed'; readonly lease: ClaimLease; readonly takenOver: boolean }
  | { readonly status: 'finished' }
  | { readonly status: 'held'; readonly expiresAt: Date | undefined };

/** How a claim is made. */
export interface ClaimOptions {
  /** How long the lease lasts unless renewed, in ms (see {@link leaseDurationMs}). */
  readonly leaseMs: number;
}

/**
 * Decides which delivery of a question runs its app. Pub/Sub delivers at least once (and a parent may publish the
 * same question twice), so a service claims each attempt before running it. A claim is a lease: the winner renews it
 * with every heartbeat and records when the attempt finished. Deliveries finding the attempt finished are dropped;
 * deliveries finding a live lease are refused so that they come again; a delivery finding an expired lease (its
 * holder died mid-analysis) takes it over and runs the attempt again. A retry (`retry_count + 1`) is a new attempt.
 */
export interface QuestionClaims {
  /** Whether claims are shared between processes (a store) or only held in this process. */
  readonly durable: boolean;
  /**
   * Claims an attempt for one delivery.
   * @param attempt - The question uuid and retry count.
   * @param options - The lease duration.
   * @returns The decision.
   * @throws The store's errors (and ClaimUnreadable) when the claim cannot be decided.
   */
  claim(attempt: QuestionAttempt, options: ClaimOptions): Promise<ClaimDecision>;
}

/**
 * Claims held in this process only (the fallback when no object store or claims location is configured). They stop
 * redeliveries to this process, but not a second instance answering the same question, and are lost on restart.
 * Leases never expire here: while this process runs the attempt it is alive. The oldest claims are forgotten beyond
 * `capacity`.
 */
export class InProcessClaims implements QuestionClaims {
  /** @inheritDoc */
  readonly durable = false;
  private readonly claims = new Map<string, 'running' | 'finished'>();

  /** @param capacity - How many claims to remember (default 100 000). */
  constructor(private readonly capacity = 100_000) {}

  /** @inheritDoc */
  async claim(attempt: QuestionAttempt, _options?: ClaimOptions): Promise<ClaimDecision> {
    // The lease duration does not matter here: a lease held in this process lives exactly as long as the process.
    const key = `${attempt.questionUuid}/${attempt.retryCount}`;
    const state = this.claims.get(key);
    if (state === 'finished') return { status: 'finished' };
    if (state === 'running') return { status: 'held', expiresAt: undefined };
    this.claims.set(key, 'running');
    if (this.claims.size > this.capacity) {
      // Maps iterate in insertion order, so the first key is the oldest claim.
      const [oldest] = this.claims.keys();
      if (oldest !== undefined) this.claims.delete(oldest);
    }
    const settle = async (next: 'finished' | undefined): Promise<boolean> => {
      if (this.claims.get(key) !== 'running') return false;
      if (next === undefined) this.claims.delete(key);
      else this.claims.set(key, next);
      return true;
    };
    const lease: ClaimLease = {
      renew: async () => this.claims.get(key) === 'running',
      finish: () => settle('finished'),
      release: () => settle(undefined),
    };
    return { status: 'claimed', lease, takenOver: false };
  }
}

/**
 * Renews a lease at a heartbeat without waiting: a failed renewal is logged, and the lease stands until it expires
 * (the next heartbeat renews it again); a lost one is logged as an error, since another delivery now answers too.
 * @param questionUuid - The question, for the logs.
 * @param lease - The lease to renew.
 * @param logger - Where failures are logged.
 */
export function renewClaim(questionUuid: string, lease: ClaimLease, logger: Logger): void {
  lease.renew().then(
    (kept) => {
      if (!kept) {
        logger.error(
          'The claim on question %s expired and was taken over by another delivery, which answers it again.',
          questionUuid,
        );
      }
    },
    (error: unknown) => logger.exception(`The claim on question ${questionUuid} could not be renewed.`, error),
  );
}

/**
 * Waits for a lease's final write (finish or release) and logs what went wrong with it; never throws, since the
 * answer has ended either way.
 * @param questionUuid - The question, for the logs.
 * @param settling - The lease's `finish()` or `release()`.
 * @param logger - Where failures are logged.
 */
export async function settleClaim(questionUuid: string, settling: Promise<boolean>, logger: Logger): Promise<void> {
  try {
    if (!(await settling)) {
      logger.error('The claim on question %s was taken over by another delivery before it ended.', questionUuid);
    }
  } catch (error) {
    // Later deliveries then find a lease that expires, and answer the question again.
    logger.exception(`The end of question ${questionUuid} could not be recorded in its claim.`, error);
  }
}
