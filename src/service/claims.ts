import { joinCloudPath } from '../core/gs-path';
import type { ObjectStore } from '../core/ports/object-store';

/** Identifies one attempt at a question: Octue's `(question_uuid, retry_count)`. */
export interface QuestionAttempt {
  readonly questionUuid: string;
  readonly retryCount: number;
}

/**
 * Decides which delivery of a question runs its app. Pub/Sub delivers at least once (and a parent may publish the
 * same question twice), so a service claims each attempt before running it: the first claim wins, later deliveries
 * of the same attempt find it taken and are dropped. A retry (`retry_count + 1`) is a new attempt and runs.
 *
 * The guarantee is at most once per attempt, not exactly once: if the process dies after claiming, the attempt is not
 * run again; the parent sees no heartbeats and retries with a new `retry_count`.
 */
export interface QuestionClaims {
  /** Whether claims are shared between processes (a store) or only held in this process. */
  readonly durable: boolean;
  /**
   * Claims an attempt.
   * @param attempt - The question uuid and retry count.
   * @returns `true` when this call claimed it, `false` when it was already claimed.
   * @throws The store's errors when the claim cannot be decided.
   */
  claim(attempt: QuestionAttempt): Promise<boolean>;
}

/**
 * Claims kept as objects in an object store, created only if absent (`ifGenerationMatch: 0` on GCS), at
 * `<location>/<question uuid>/<retry count>`: exactly one of any number of concurrent deliveries, in any process or
 * instance, wins. Expire old claims with a bucket lifecycle rule on the location.
 */
export class ObjectStoreClaims implements QuestionClaims {
  /** @inheritDoc */
  readonly durable = true;

  /**
   * @param store - The object store.
   * @param location - The claims directory, e.g. `gs://my-bucket/.skein/claims`.
   * @param claimant - Written into each claim (e.g. the service's SRUID) to help debugging.
   */
  constructor(
    private readonly store: ObjectStore,
    readonly location: string,
    private readonly claimant = 'unknown',
  ) {}

  /** @inheritDoc */
  claim(attempt: QuestionAttempt): Promise<boolean> {
    const location = joinCloudPath(this.location, attempt.questionUuid, String(attempt.retryCount));
    const body = JSON.stringify({ claimant: this.claimant, claimed_at: new Date().toISOString(), ...attempt });
    return this.store.createIfAbsent(location, body, { contentType: 'application/json' });
  }
}

/**
 * Claims held in this process only (the fallback when no object store or claims location is configured). They stop
 * redeliveries to this process, but not a second instance answering the same question, and are lost on restart.
 * The oldest claims are forgotten beyond `capacity`.
 */
export class InProcessClaims implements QuestionClaims {
  /** @inheritDoc */
  readonly durable = false;
  private readonly claimed = new Set<string>();

  /** @param capacity - How many claims to remember (default 100 000). */
  constructor(private readonly capacity = 100_000) {}

  /** @inheritDoc */
  async claim(attempt: QuestionAttempt): Promise<boolean> {
    const key = `${attempt.questionUuid}/${attempt.retryCount}`;
    if (this.claimed.has(key)) return false;
    this.claimed.add(key);
    if (this.claimed.size > this.capacity) {
      // Sets iterate in insertion order, so the first entry is the oldest claim.
      const [oldest] = this.claimed;
      if (oldest !== undefined) this.claimed.delete(oldest);
    }
    return true;
  }
}
