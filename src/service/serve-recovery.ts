import type { ActiveSubscription, Transport } from '../core/ports/transport';
import { InvalidInputException, SubscriptionLost, TopicNotFound } from '../errors';
import type { Clock } from './clock';
import type { Logger } from './logging';

/**
 * What serving does when its subscription is lost (deleted under it, e.g. by an emulator restart, or its stream ended
 * for good): re-create it and subscribe again, up to `attempts` times with exponential backoff and full jitter, then
 * give up with `SubscriptionLost`. With `attempts` 0 serving ends with `SubscriptionLost` at once.
 */
export interface SubscriptionRecovery {
  /** How many times re-creating and re-subscribing is tried after each loss (an integer >= 0). */
  readonly attempts: number;
  /** The backoff before the first attempt, in ms (doubled per attempt, then jittered); default 1 000. */
  readonly initialDelayMs?: number;
  /** The longest backoff, in ms; default 30 000 (or `initialDelayMs` if that is longer). */
  readonly maxDelayMs?: number;
}

/** The backoff bounds used when a {@link SubscriptionRecovery} leaves them out. */
export const DEFAULT_RECOVERY_DELAYS = { initialDelayMs: 1_000, maxDelayMs: 30_000 } as const;

/** A checked {@link SubscriptionRecovery} with every field filled in. */
export type RecoveryPolicy = Required<SubscriptionRecovery>;

/**
 * Checks a recovery setting and fills in its defaults.
 * @param recovery - The setting; `undefined` means no recovery (attempts 0).
 * @returns The policy.
 * @throws InvalidInputException for a negative or fractional count, or delays that are not numbers >= 0 in order.
 */
export function recoveryPolicy(recovery: SubscriptionRecovery | undefined): RecoveryPolicy {
  const initial = recovery?.initialDelayMs ?? DEFAULT_RECOVERY_DELAYS.initialDelayMs;
  // An explicit long first delay raises the default ceiling instead of being refused.
  const policy = {
    attempts: 0,
    ...recovery,
    initialDelayMs: initial,
    maxDelayMs: recovery?.maxDelayMs ?? Math.max(DEFAULT_RECOVERY_DELAYS.maxDelayMs, initial),
  };
  if (!Number.isSafeInteger(policy.attempts) || policy.attempts < 0) {
    throw new InvalidInputException(`recovery.attempts must be an integer >= 0; received ${String(policy.attempts)}.`);
  }
  const { initialDelayMs, maxDelayMs } = policy;
  if (!(Number.isFinite(initialDelayMs) && initialDelayMs >= 0 && Number.isFinite(maxDelayMs))) {
    throw new InvalidInputException(
      `recovery delays must be numbers of milliseconds >= 0; received ${String(initialDelayMs)} and ${String(maxDelayMs)}.`,
    );
  }
  if (maxDelayMs < initialDelayMs) {
    throw new InvalidInputException(
      `recovery.maxDelayMs (${maxDelayMs}) must be at least recovery.initialDelayMs (${initialDelayMs}).`,
    );
  }
  return policy;
}

/**
 * The backoff before a recovery attempt: `initialDelayMs * 2^(attempt-1)` capped at `maxDelayMs`, then "full jitter"
 * (a uniform draw below it) so instances that lost their subscriptions together do not retry together.
 * @param policy - The recovery policy.
 * @param attempt - 1 for the first attempt.
 * @param random - A draw in [0, 1).
 * @returns Milliseconds to wait.
 */
export function recoveryDelayMs(policy: RecoveryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(ceiling * random());
}

/** What {@link recoverSubscription} needs. */
export interface RecoveryParams {
  readonly subscriptionName: string;
  readonly policy: RecoveryPolicy;
  /** The loss being recovered from (the `cause` when giving up at once). */
  readonly lost: SubscriptionLost;
  /** Re-creates the subscription (an existing one is kept) and subscribes to it. */
  readonly resubscribe: () => Promise<ActiveSubscription>;
  /** Resolves when serving is asked to stop. */
  readonly stopping: Promise<void>;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
}

// Waits `ms` on the clock (one tick of an interval, so injected clocks drive it), or less if stopping begins.
function pause(clock: Clock, ms: number, stopping: Promise<void>): Promise<'waited' | 'stopping'> {
  if (ms <= 0) return Promise.resolve('waited');
  let handle: unknown;
  const waited = new Promise<'waited'>((resolve) => {
    handle = clock.setInterval(() => resolve('waited'), ms);
  });
  return Promise.race([waited, stopping.then(() => 'stopping' as const)]).finally(() => clock.clearInterval(handle));
}

/**
 * Recovers a lost subscription: up to `policy.attempts` times, waits its backoff, then re-creates the subscription
 * and subscribes again.
 * @param params - The subscription, policy, resubscribe step, stop promise, clock, random source and logger.
 * @returns The new live subscription, or `undefined` when stopping began meanwhile.
 * @throws SubscriptionLost when recovery is off or every attempt failed (`cause`: the last attempt's error).
 */
export async function recoverSubscription(params: RecoveryParams): Promise<ActiveSubscription | undefined> {
  const { subscriptionName, policy, logger } = params;
  if (policy.attempts === 0) throw params.lost;
  let lastError: unknown = params.lost;
  for (let attempt = 1; attempt <= policy.attempts; attempt += 1) {
    const delay = recoveryDelayMs(policy, attempt, params.random);
    if ((await pause(params.clock, delay, params.stopping)) === 'stopping') return undefined;
    try {
      const active = await params.resubscribe();
      logger.info("Re-created and re-subscribed to '%s' (attempt %d).", subscriptionName, attempt);
      return active;
    } catch (error) {
      lastError = error;
      const reason = error instanceof Error ? error.message : String(error);
      logger.warning(
        "Recovering '%s' failed (attempt %d of %d): %s",
        subscriptionName,
        attempt,
        policy.attempts,
        reason,
      );
    }
  }
  throw new SubscriptionLost(
    subscriptionName,
    `it could not be re-created and re-subscribed to in ${policy.attempts} attempts.`,
    { cause: lastError },
  );
}

/** What {@link watchTopic} needs. */
export interface TopicWatchParams {
  readonly transport: Pick<Transport, 'topicExists' | 'topicName'>;
  readonly subscriptionName: string;
  /** How often to check, in ms. */
  readonly intervalMs: number;
  /** Told when the topic is gone or Pub/Sub could not be reached twice in a row. */
  readonly onLost: (error: SubscriptionLost) => void;
  /** While this returns true (recovering), checks are skipped. */
  readonly paused: () => boolean;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Consecutive failed checks that count as a lost connection (one may be a blip). */
export const TOPIC_CHECK_FAILURES_ALLOWED = 2;

/**
 * Watches the services topic while serving. The client retries a broken stream for as long as Pub/Sub is unreachable
 * and says nothing when the topic is deleted, so without this a service could wait for ever on a dead connection or a
 * detached subscription: both are reported as a loss, which serving then recovers from or ends with.
 * @param params - The transport, subscription, interval, callbacks, clock and logger.
 * @returns Stops watching.
 */
export function watchTopic(params: TopicWatchParams): () => void {
  const { transport, subscriptionName, logger } = params;
  let failures = 0;
  let checking = false;
  const check = async (): Promise<void> => {
    try {
      const exists = await transport.topicExists();
      failures = 0;
      if (exists) return;
      params.onLost(
        new SubscriptionLost(subscriptionName, `its topic '${transport.topicName}' no longer exists.`, {
          cause: new TopicNotFound(transport.topicName),
        }),
      );
    } catch (error) {
      failures += 1;
      logger.warning('Checking the topic failed (%d in a row): %s', failures, String(error));
      if (failures < TOPIC_CHECK_FAILURES_ALLOWED) return;
      failures = 0;
      params.onLost(
        new SubscriptionLost(subscriptionName, `Pub/Sub could not be reached ${TOPIC_CHECK_FAILURES_ALLOWED} times.`, {
          cause: error,
        }),
      );
    }
  };
  const handle = params.clock.setInterval(() => {
    if (checking || params.paused()) return;
    checking = true;
    void check().finally(() => (checking = false));
  }, params.intervalMs);
  return () => params.clock.clearInterval(handle);
}
