import { randomUUID } from 'node:crypto';

import type { Preconditions } from './preconditions';
import { ContentDigest } from './staging-sink';
import type { ObjectProperties, ObjectRecord, StagedBytes } from './types';

/** One resumable upload in progress (or just finished). */
export interface UploadSession {
  /** The `upload_id`. */
  readonly id: string;
  /** Target bucket. */
  readonly bucket: string;
  /** Target object name. */
  readonly name: string;
  /** Content type, custom metadata etc. given when the session was created. */
  readonly properties: ObjectProperties;
  /** Conditions from the session's creation; checked again when the upload is finalized. */
  readonly preconditions: Preconditions;
  /** `X-Upload-Content-Length` from the creation request, when given. */
  readonly expectedSize: number | undefined;
  /** The bytes received so far. */
  readonly staged: StagedBytes;
  /** Hash and count of the bytes stored so far. */
  readonly digest: ContentDigest;
  /** When the session was created (ms). */
  readonly createdAt: number;
  /** The object, once finalized (status queries then answer 200 with it). */
  finalized?: ObjectRecord;
  /** Serialises requests on this session. */
  queue: Promise<void>;
}

/**
 * The server's resumable upload sessions, by id. A session expires (its staged bytes discarded) `ttlMs` after
 * creation, as GCS's do after a week; interrupted requests keep the bytes they delivered, so the client can ask for
 * the status and resume.
 */
export class UploadSessions {
  private readonly sessions = new Map<string, UploadSession>();

  /**
   * @param now - The clock (ms).
   * @param ttlMs - How long a session lives.
   */
  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  /** Registers a new session and returns it. */
  create(fields: Omit<UploadSession, 'id' | 'digest' | 'createdAt' | 'queue'>): UploadSession {
    this.sweep();
    const session: UploadSession = {
      ...fields,
      id: randomUUID().replace(/-/g, ''),
      digest: new ContentDigest(),
      createdAt: this.now(),
      queue: Promise.resolve(),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, or undefined (unknown or expired). */
  get(id: string): UploadSession | undefined {
    this.sweep();
    return this.sessions.get(id);
  }

  /** Ends a session and discards its staged bytes. */
  async remove(id: string): Promise<void> {
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    await session?.staged.discard();
  }

  /** Runs `work` after any request already running on the session. */
  async run<T>(session: UploadSession, work: () => Promise<T>): Promise<T> {
    const result = session.queue.then(work);
    session.queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Discards every session (server stop). */
  async discardAll(): Promise<void> {
    const all = [...this.sessions.keys()];
    await Promise.all(all.map((id) => this.remove(id)));
  }

  private sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [id, session] of this.sessions) {
      if (session.createdAt < cutoff) void this.remove(id);
    }
  }
}
