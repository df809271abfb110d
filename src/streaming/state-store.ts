import { joinCloudPath } from '../core/gs-path';
import type { ObjectStore } from '../core/ports/object-store';
import { toPubSubForm } from '../core/service-id/pub-sub-form';
import { ObjectNotFound, PreconditionFailed } from '../errors';
import { parseJsonObject } from './json-body';
import type { ReturnCode, StreamContext } from './types';

/** A reply kept with a stream's state, so a duplicate chunk gets exactly the reply the original got. */
export interface StoredReply {
  readonly seq: number;
  readonly rc: ReturnCode;
  readonly data?: unknown;
  readonly endResult?: unknown;
}

/**
 * One receiving stream's durable state: what NVFlare keeps in its in-memory `tx_id → info` table, kept in the object
 * store instead, because the chunks of one stream may land on different instances.
 */
export interface TxState {
  readonly format: 1;
  readonly txId: string;
  readonly channel: string;
  readonly topic: string;
  /** The stream's sender and the instance its replies go to. */
  readonly sender: string;
  readonly replyTo: string;
  readonly questionUuid?: string;
  /** The producer's context with CHANNEL and TOPIC (END_STREAM and RC are added in memory). */
  readonly context: StreamContext;
  readonly status: 'open' | 'ended';
  /** The last sequence consumed; -1 before sequence 0 is. */
  readonly lastSeq: number;
  /** The most recent replies (at most {@link REPLAY_WINDOW}). */
  readonly replies: readonly StoredReply[];
  /** What the consumer's `saveState` returned after `lastSeq`. */
  readonly consumerState?: unknown;
  /** When the last event of the stream was handled (ms since the epoch). */
  readonly lastActivityMs: number;
  readonly endedRc?: ReturnCode;
  readonly endedAtMs?: number;
  readonly endResult?: unknown;
}

/** A state as loaded, with the generation a conditional replace must match. */
export interface LoadedState {
  readonly state: TxState;
  readonly generation: number;
}

/** How many recent replies a state keeps for replaying to duplicates (any sender window up to this is covered). */
export const REPLAY_WINDOW = 64;

/**
 * Reads and writes stream states at `<stateLocation>/streams/<receiver in Pub/Sub form>/<tx id>.json`. Every write
 * is conditional on the generation read (or on absence), so concurrent instances never overwrite each other: the loser
 * re-reads and decides again.
 */
export class StateStore {
  private readonly prefix: string;

  /**
   * @param store - The object store.
   * @param stateLocation - The `gs://bucket/prefix` for states.
   * @param identity - The receiving service's SRUID (states of different receivers never mix).
   */
  constructor(
    private readonly store: ObjectStore,
    stateLocation: string,
    identity: string,
  ) {
    this.prefix = joinCloudPath(stateLocation, 'streams', toPubSubForm(identity)) + '/';
  }

  /** @returns The state object's location for a transaction id (already checked to be a uuid). */
  location(txId: string): string {
    return `${this.prefix}${txId}.json`;
  }

  /**
   * Loads a state. The generation is read before the bytes, so a write in between makes the later conditional
   * replace fail (and be retried) instead of succeeding on stale content.
   * @returns The state, or `undefined` when there is none.
   */
  async load(txId: string): Promise<LoadedState | undefined> {
    const location = this.location(txId);
    try {
      const { generation } = await this.store.getMetadata(location);
      const state = parseJsonObject(await this.store.read(location)) as TxState | undefined;
      if (state === undefined || state.txId !== txId) return undefined;
      return { state, generation: Number(generation) };
    } catch (error) {
      if (error instanceof ObjectNotFound) return undefined;
      throw error;
    }
  }

  /** Creates a state if none exists. @returns Whether this call created it. */
  async create(state: TxState): Promise<boolean> {
    return this.store.createIfAbsent(this.location(state.txId), JSON.stringify(state), {
      contentType: 'application/json',
    });
  }

  /**
   * Replaces a state if it is still at `generation`.
   * @returns The new generation, or `undefined` when another write came first.
   */
  async replace(state: TxState, generation: number): Promise<number | undefined> {
    try {
      const stored = await this.store.upload(this.location(state.txId), JSON.stringify(state), {
        contentType: 'application/json',
        ifGenerationMatch: generation,
      });
      return Number(stored.generation);
    } catch (error) {
      if (error instanceof PreconditionFailed) return undefined;
      throw error;
    }
  }

  /** Removes a state (the sweeper's clean-up of ended streams). */
  async remove(txId: string): Promise<void> {
    await this.store.delete(this.location(txId), { ignoreMissing: true });
  }

  /** @returns The transaction ids of every stored state. */
  async list(): Promise<string[]> {
    const { objects } = await this.store.list(this.prefix);
    const ids: string[] = [];
    for (const object of objects) {
      const name = object.location.slice(this.prefix.length);
      if (name.endsWith('.json') && !name.includes('/')) ids.push(name.slice(0, -'.json'.length));
    }
    return ids;
  }
}

/**
 * Appends a reply, keeping the most recent {@link REPLAY_WINDOW}.
 * @returns The new list.
 */
export function withReply(replies: readonly StoredReply[], reply: StoredReply): StoredReply[] {
  const kept = replies.filter((r) => r.seq !== reply.seq);
  kept.push(reply);
  return kept.slice(-REPLAY_WINDOW);
}
