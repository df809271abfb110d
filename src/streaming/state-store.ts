import { joinCloudPath } from '../core/gs-path';
import type { ObjectStore, StoredObject } from '../core/ports/object-store';
import { toPubSubForm } from '../core/service-id/pub-sub-form';
import { ObjectNotFound, PreconditionFailed } from '../errors';
import { parseJsonObject } from './json-body';
import type { ReturnCode, StreamContext } from './types';

/**
 * What opens a stream on a receiver: written once, by chunk 0, and never changed (NVFlare's `tx_id → info`).
 */
export interface StreamHead {
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
}

/** A reply to one chunk, as sent and as replayed to duplicates. */
export interface StoredReply {
  readonly seq: number;
  readonly rc: ReturnCode;
  readonly data?: unknown;
  readonly endResult?: unknown;
}

/** The commit of one consumed chunk: its reply (replayed to duplicates) and the consumer's progress after it. */
export interface ChunkRecord extends StoredReply {
  /** What the consumer's `saveState` returned after this chunk. */
  readonly consumerState?: unknown;
}

/** How a stream ended; its creation is the end (only one caller can create it). */
export interface EndRecord {
  readonly rc: ReturnCode;
  /** The chunk that ended the stream, with its reply data, when a chunk did. */
  readonly seq?: number;
  readonly data?: unknown;
  readonly endResult?: unknown;
}

/** What a listing of one stream's objects tells. */
export interface StreamSummary {
  /** The last committed sequence; -1 when none is. */
  readonly lastSeq: number;
  /** When the stream last showed life (ms since the epoch): its opening, a commit or a heartbeat. */
  readonly lastActivityMs: number;
  /** When it ended, if it did. */
  readonly endedAtMs?: number;
}

// Written on every object so a listing tells the stream's activity by the engine's clock, with no reads.
const AT_MS = 'skein_stream_at_ms';
const SEQ_DIGITS = 10;
const JSON_TYPE = 'application/json';

/**
 * Keeps receiving streams' state at `<stateLocation>/streams/<receiver in Pub/Sub form>/<tx id>/`: `head.json`
 * (chunk 0), one `chunks/<seq>.json` per committed chunk, `alive.json` (heartbeats) and `end.json`. Commits and the
 * end are create-if-absent (`ifGenerationMatch: 0`), so of several instances handling one chunk or ending one stream
 * exactly one wins, and no object is written twice in a row: Cloud Storage allows about one write per second to one
 * object name, which a single state object rewritten per chunk would hit.
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

  /** @returns Where a stream's objects live (the id is already checked to be a uuid). */
  streamPrefix(txId: string): string {
    return `${this.prefix}${txId}/`;
  }

  /** @returns The head, or `undefined` for an unknown stream. */
  async readHead(txId: string): Promise<StreamHead | undefined> {
    const head = (await this.readJson(`${this.streamPrefix(txId)}head.json`)) as StreamHead | undefined;
    return head?.txId === txId ? head : undefined;
  }

  /** Opens a stream. @returns Whether this call created the head. */
  createHead(head: StreamHead, atMs: number): Promise<boolean> {
    return this.create(`${this.streamPrefix(head.txId)}head.json`, head, atMs);
  }

  /** @returns A chunk's commit, if it was committed. */
  async readChunk(txId: string, seq: number): Promise<ChunkRecord | undefined> {
    return (await this.readJson(this.chunkLocation(txId, seq))) as ChunkRecord | undefined;
  }

  /** @returns Whether a chunk was committed. */
  hasChunk(txId: string, seq: number): Promise<boolean> {
    return this.store.exists(this.chunkLocation(txId, seq));
  }

  /** Commits a chunk. @returns Whether this call committed it (`false`: another delivery did first). */
  commitChunk(txId: string, record: ChunkRecord, atMs: number): Promise<boolean> {
    return this.create(this.chunkLocation(txId, record.seq), record, atMs);
  }

  /** @returns How the stream ended and the end's generation, or `undefined` while it is open. */
  async readEnd(txId: string): Promise<{ record: EndRecord; generation: number } | undefined> {
    const location = `${this.streamPrefix(txId)}end.json`;
    try {
      // The generation first: a write in between then fails the conditional replace instead of landing on stale data.
      const { generation } = await this.store.getMetadata(location);
      const record = parseJsonObject(await this.store.read(location)) as EndRecord | undefined;
      return record === undefined ? undefined : { record, generation: Number(generation) };
    } catch (error) {
      if (error instanceof ObjectNotFound) return undefined;
      throw error;
    }
  }

  /** Ends a stream. @returns Whether this call ended it. */
  createEnd(txId: string, record: EndRecord, atMs: number): Promise<boolean> {
    return this.create(`${this.streamPrefix(txId)}end.json`, record, atMs);
  }

  /** Records the outcome of finalizing over the end record, if it is still at `generation`. */
  async replaceEnd(txId: string, record: EndRecord, generation: number, atMs: number): Promise<void> {
    try {
      await this.store.upload(`${this.streamPrefix(txId)}end.json`, JSON.stringify(record), {
        contentType: JSON_TYPE,
        metadata: { [AT_MS]: String(atMs) },
        ifGenerationMatch: generation,
      });
    } catch (error) {
      if (!(error instanceof PreconditionFailed)) throw error;
    }
  }

  /** Records a heartbeat (at most one per liveness interval per stream, well within the per-object write rate). */
  async touch(txId: string, atMs: number): Promise<void> {
    await this.store.upload(`${this.streamPrefix(txId)}alive.json`, '{}', {
      contentType: JSON_TYPE,
      metadata: { [AT_MS]: String(atMs) },
    });
  }

  /** @returns The stream's last sequence, last activity and end, from one listing; `undefined` if it has no objects. */
  async summarize(txId: string): Promise<StreamSummary | undefined> {
    const prefix = this.streamPrefix(txId);
    const { objects } = await this.store.list(prefix);
    if (objects.length === 0) return undefined;
    let lastSeq = -1;
    let lastActivityMs = 0;
    let endedAtMs: number | undefined;
    for (const object of objects) {
      const name = object.location.slice(prefix.length);
      const atMs = atMsOf(object);
      if (name === 'end.json') endedAtMs = atMs;
      else lastActivityMs = Math.max(lastActivityMs, atMs);
      const match = /^chunks\/([0-9]+)\.json$/.exec(name);
      if (match?.[1] !== undefined) lastSeq = Math.max(lastSeq, Number(match[1]));
    }
    return endedAtMs === undefined ? { lastSeq, lastActivityMs } : { lastSeq, lastActivityMs, endedAtMs };
  }

  /** @returns The ids of every stream with state. */
  async listStreams(): Promise<string[]> {
    const { prefixes } = await this.store.list(this.prefix, { delimiter: '/' });
    return prefixes.map((prefix) => prefix.slice(this.prefix.length).replace(/\/$/, '')).filter(Boolean);
  }

  /** Removes every object of a stream (the sweeper's clean-up of ended streams). */
  async remove(txId: string): Promise<void> {
    const { objects } = await this.store.list(this.streamPrefix(txId));
    for (const object of objects) await this.store.delete(object.location, { ignoreMissing: true });
  }

  private chunkLocation(txId: string, seq: number): string {
    return `${this.streamPrefix(txId)}chunks/${String(seq).padStart(SEQ_DIGITS, '0')}.json`;
  }

  private create(location: string, value: unknown, atMs: number): Promise<boolean> {
    return this.store.createIfAbsent(location, JSON.stringify(value), {
      contentType: JSON_TYPE,
      metadata: { [AT_MS]: String(atMs) },
    });
  }

  private async readJson(location: string): Promise<Record<string, unknown> | undefined> {
    try {
      return parseJsonObject(await this.store.read(location));
    } catch (error) {
      if (error instanceof ObjectNotFound) return undefined;
      throw error;
    }
  }
}

function atMsOf(object: StoredObject): number {
  const value = Number(object.metadata[AT_MS]);
  return Number.isFinite(value) ? value : 0;
}
