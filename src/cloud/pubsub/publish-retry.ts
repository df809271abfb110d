import { PublishFailed } from '../../errors';
import { grpcCode } from './client-errors';

/** gRPC codes of a publish worth sending again: it timed out (DEADLINE_EXCEEDED) or Pub/Sub was unavailable. */
export const RETRYABLE_PUBLISH_CODES: ReadonlySet<number> = new Set([4, 14]);

/** How {@link PublishRetrier} retries. */
export interface PublishRetrySettings {
  /** Sends per message, the first included (an integer >= 1; 1 = no retry). */
  readonly attempts: number;
  /** The backoff before the first retry, in ms; doubled per retry up to `maxDelayMs`, then jittered. */
  readonly initialDelayMs: number;
  /** The longest backoff, in ms. */
  readonly maxDelayMs: number;
  /** A draw in [0, 1) for the jitter; default `Math.random`. */
  readonly random?: () => number;
  /** Runs `callback` after `ms`; default `setTimeout` (kept referenced: a retry due must keep the process alive). */
  readonly schedule?: (callback: () => void, ms: number) => void;
}

/** The publish retry used unless told otherwise: 3 sends, backoff from 500 ms up to 5 s. */
export const DEFAULT_PUBLISH_RETRY: PublishRetrySettings = { attempts: 3, initialDelayMs: 500, maxDelayMs: 5_000 };

interface Waiting {
  readonly sequence: number;
  readonly resume: () => void;
}

/**
 * Retries publishes that timed out or found Pub/Sub unavailable, a bounded number of times with jittered exponential
 * backoff, without breaking the order of an ordering key. A failed ordered publish pauses its key in the client and
 * fails the key's queued publishes too (in no useful order), so the failures of one key wait at one gate and are sent
 * again together, in the order they were first published, after the key is resumed.
 */
export class PublishRetrier {
  private sequence = 0;
  private readonly gates = new Map<string, Waiting[]>();
  private readonly random: () => number;
  private readonly schedule: (callback: () => void, ms: number) => void;

  /**
   * @param topicName - The topic, for the final error.
   * @param settings - Attempts and backoff.
   * @param resumeKey - Resumes a paused ordering key in the client before its messages are sent again.
   */
  constructor(
    private readonly topicName: string,
    private readonly settings: PublishRetrySettings,
    private readonly resumeKey: (orderingKey: string) => void,
  ) {
    this.random = settings.random ?? Math.random;
    this.schedule = settings.schedule ?? ((callback, ms) => setTimeout(callback, ms));
  }

  /**
   * Sends one message, retrying retryable failures.
   * @param orderingKey - The message's ordering key, if any.
   * @param send - Sends it once; rejects with the client's error.
   * @returns What `send` resolved with.
   * @throws PublishFailed when every attempt failed retryably (`cause`: the last error); the client's error as it is
   *   when it is not retryable.
   */
  async run<T>(orderingKey: string | undefined, send: () => Promise<T>): Promise<T> {
    const sequence = this.sequence++;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await send();
      } catch (error) {
        const code = grpcCode(error);
        if (code === undefined || !RETRYABLE_PUBLISH_CODES.has(code)) throw error;
        if (attempt >= this.settings.attempts) throw new PublishFailed(this.topicName, attempt, { cause: error });
        await this.wait(orderingKey ?? `\0${sequence}`, orderingKey !== undefined, sequence, attempt);
      }
    }
  }

  // Joins (or opens) the key's gate; when its backoff has passed the key is resumed and every waiting message is let
  // go in its first publish order, synchronously, so their sends reach the client's queue in that order.
  private wait(gateKey: string, ordered: boolean, sequence: number, attempt: number): Promise<void> {
    return new Promise((resume) => {
      const open = this.gates.get(gateKey);
      if (open !== undefined) {
        open.push({ sequence, resume });
        return;
      }
      const waiting: Waiting[] = [{ sequence, resume }];
      this.gates.set(gateKey, waiting);
      const ceiling = Math.min(this.settings.maxDelayMs, this.settings.initialDelayMs * 2 ** Math.min(attempt - 1, 30));
      this.schedule(
        () => {
          this.gates.delete(gateKey);
          if (ordered) this.resumeKey(gateKey);
          for (const entry of waiting.sort((a, b) => a.sequence - b.sequence)) entry.resume();
        },
        Math.floor(ceiling * this.random()),
      );
    });
  }
}
