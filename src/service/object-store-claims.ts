import { randomUUID } from 'node:crypto';

import { joinCloudPath } from '../core/gs-path';
import type { ObjectStore } from '../core/ports/object-store';
import { ClaimUnreadable, ObjectNotFound, PreconditionFailed } from '../errors';
import type { ClaimDecision, ClaimLease, ClaimOptions, QuestionAttempt, QuestionClaims } from './claims';
import { systemClock } from './clock';
import type { Clock } from './clock';

const FORMAT = 'skein-claim/2';
const STATES = ['running', 'finished', 'released'] as const;
type ClaimState = (typeof STATES)[number];

/** A claim object's content (JSON): who holds the attempt, until when, and whether it finished. */
interface ClaimRecord {
  readonly format: typeof FORMAT;
  readonly state: ClaimState;
  /** The claiming service (its SRUID), for people reading the object. */
  readonly claimant: string;
  /** Identifies the delivery holding the lease. */
  readonly holder: string;
  readonly questionUuid: string;
  readonly retryCount: number;
  /** When the attempt was first claimed (ISO). */
  readonly claimedAt: string;
  /** When the lease ends unless renewed (ISO, by the holder's clock). */
  readonly leaseExpiresAt: string;
  /** How many times an expired lease was taken over. */
  readonly takeovers: number;
}

/** A claim object as read: its generation and its record (`legacy` for a create-only claim of an older Skein). */
interface SeenClaim {
  readonly generation: number;
  readonly record: ClaimRecord | 'legacy';
}

const JSON_TYPE = { contentType: 'application/json' } as const;
/** How many times a claim object may vanish between being found and being read before the delivery is refused. */
const VANISHED_RETRIES = 3;

/**
 * Writes a claim record if the object's generation is `generation` (`0`: only if absent).
 * @returns The new generation, or `undefined` when the precondition failed.
 */
async function writeClaim(
  store: ObjectStore,
  location: string,
  record: ClaimRecord,
  generation: number,
): Promise<number | undefined> {
  try {
    const stored = await store.upload(location, JSON.stringify(record), {
      ...JSON_TYPE,
      ifGenerationMatch: generation,
    });
    return Number(stored.generation);
  } catch (error) {
    if (error instanceof PreconditionFailed) return undefined;
    throw error;
  }
}

function isRecord(value: unknown): value is ClaimRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    v.format === FORMAT &&
    STATES.includes(v.state as ClaimState) &&
    typeof v.holder === 'string' &&
    typeof v.claimedAt === 'string' &&
    typeof v.leaseExpiresAt === 'string' &&
    !Number.isNaN(Date.parse(v.leaseExpiresAt)) &&
    Number.isSafeInteger(v.takeovers) &&
    (v.takeovers as number) >= 0
  );
}

function parseClaim(bytes: Buffer, location: string): ClaimRecord | 'legacy' {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ClaimUnreadable(`The claim ${location} is not JSON; remove it so that its question can run.`, {
      location,
      cause: error,
    });
  }
  if (isRecord(value)) return value;
  // Skein before leases wrote `{claimant, claimed_at, questionUuid, retryCount}` once and never again: such an
  // attempt counted as answered, and still does.
  const legacy = value as Record<string, unknown> | null;
  if (typeof legacy === 'object' && legacy !== null && typeof legacy.claimed_at === 'string' && !('format' in legacy)) {
    return 'legacy';
  }
  throw new ClaimUnreadable(
    `The claim ${location} is not a ${FORMAT} claim Skein wrote; remove it so that its question can run.`,
    { location },
  );
}

/**
 * Claims kept as objects in an object store, at `<location>/<question uuid>/<retry count>`, each a lease written with
 * generation preconditions (GCS `ifGenerationMatch`), so that exactly one of any number of concurrent deliveries, in
 * any process or instance, wins each decision:
 * - the first delivery creates the object (`ifGenerationMatch: 0`) with a lease ending `leaseMs` from now, renews it
 *   (conditional on the generation it wrote last) at every heartbeat, and finally records `finished` (or `released`
 *   when no response reached the parent, so the next delivery runs it at once);
 * - a later delivery reads the object's generation, then its content (so the content is at least as new as the
 *   generation): `finished` → dropped; a live lease → refused for redelivery; an expired or released lease → taken
 *   over by a write conditional on that generation, which only one contender wins.
 *
 * Lease times are the holders' clocks (the injected `clock`): instances' clocks must agree to well within a lease.
 * Expire old claims with a bucket lifecycle rule on the location.
 */
export class ObjectStoreClaims implements QuestionClaims {
  /** @inheritDoc */
  readonly durable = true;

  /**
   * @param store - The object store.
   * @param location - The claims directory, e.g. `gs://my-bucket/.skein/claims`.
   * @param claimant - Written into each claim (e.g. the service's SRUID) to help debugging.
   * @param clock - The clock lease times are read from.
   */
  constructor(
    private readonly store: ObjectStore,
    readonly location: string,
    private readonly claimant = 'unknown',
    private readonly clock: Clock = systemClock,
  ) {}

  /** @inheritDoc */
  async claim(attempt: QuestionAttempt, options: ClaimOptions): Promise<ClaimDecision> {
    const location = joinCloudPath(this.location, attempt.questionUuid, String(attempt.retryCount));
    for (let tries = 0; tries < VANISHED_RETRIES; tries += 1) {
      const now = this.clock.now().getTime();
      const fresh: ClaimRecord = {
        format: FORMAT,
        state: 'running',
        claimant: this.claimant,
        holder: randomUUID(),
        ...attempt,
        claimedAt: new Date(now).toISOString(),
        leaseExpiresAt: new Date(now + options.leaseMs).toISOString(),
        takeovers: 0,
      };
      const created = await writeClaim(this.store, location, fresh, 0);
      if (created !== undefined) return this.claimed(location, fresh, created, options, false);
      const seen = await this.read(location);
      // Deleted since (e.g. by a lifecycle rule): try to create it again.
      if (seen === undefined) continue;
      if (seen.record === 'legacy' || seen.record.state === 'finished') return { status: 'finished' };
      const expiresAt = Date.parse(seen.record.leaseExpiresAt);
      if (seen.record.state === 'running' && expiresAt > now) return { status: 'held', expiresAt: new Date(expiresAt) };
      const takeover = { ...fresh, claimedAt: seen.record.claimedAt, takeovers: seen.record.takeovers + 1 };
      const taken = await writeClaim(this.store, location, takeover, seen.generation);
      // Another delivery wrote first (took it over, or its holder renewed or settled it): let Pub/Sub come again.
      if (taken === undefined) return { status: 'held', expiresAt: undefined };
      return this.claimed(location, takeover, taken, options, true);
    }
    return { status: 'held', expiresAt: undefined };
  }

  private claimed(
    location: string,
    record: ClaimRecord,
    generation: number,
    options: ClaimOptions,
    takenOver: boolean,
  ): ClaimDecision {
    const lease = new ObjectStoreLease({
      store: this.store,
      location,
      record,
      generation,
      clock: this.clock,
      ...options,
    });
    return { status: 'claimed', lease, takenOver };
  }

  private async read(location: string): Promise<SeenClaim | undefined> {
    try {
      // The generation first: the content read next is that generation's or a newer one, never an older one, so a
      // takeover conditional on this generation never acts on a state older than the one it saw.
      const { generation } = await this.store.getMetadata(location);
      const record = parseClaim(await this.store.read(location), location);
      return { generation: Number(generation), record };
    } catch (error) {
      if (error instanceof ObjectNotFound) return undefined;
      throw error;
    }
  }
}

/** What an {@link ObjectStoreLease} is made from. */
interface LeaseParams {
  readonly store: ObjectStore;
  readonly location: string;
  readonly record: ClaimRecord;
  readonly generation: number;
  readonly clock: Clock;
  readonly leaseMs: number;
}

/** The lease of a won claim: each write is conditional on the generation the previous one produced. */
class ObjectStoreLease implements ClaimLease {
  private record: ClaimRecord;
  private generation: number;
  private settled = false;
  // Writes run one at a time: a renewal racing the final write would otherwise fail its precondition.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly params: LeaseParams) {
    this.record = params.record;
    this.generation = params.generation;
  }

  renew(): Promise<boolean> {
    return this.enqueue('running');
  }

  finish(): Promise<boolean> {
    return this.enqueue('finished');
  }

  release(): Promise<boolean> {
    return this.enqueue('released');
  }

  private enqueue(state: ClaimState): Promise<boolean> {
    const run = (): Promise<boolean> => this.update(state);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async update(state: ClaimState): Promise<boolean> {
    if (this.settled) return false;
    const now = this.params.clock.now().getTime();
    const ends = state === 'running' ? now + this.params.leaseMs : now;
    const next: ClaimRecord = { ...this.record, state, leaseExpiresAt: new Date(ends).toISOString() };
    const generation = await writeClaim(this.params.store, this.params.location, next, this.generation);
    if (generation === undefined) {
      // Someone else wrote the claim: our lease expired and another delivery took the attempt over.
      this.settled = true;
      return false;
    }
    this.record = next;
    this.generation = generation;
    if (state !== 'running') this.settled = true;
    return true;
  }
}
