import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

import type { PGliteLike } from './pglite-dialect';

/** An error PGlite raised in its thread, with PostgreSQL's SQLSTATE code. */
export class PGliteQueryError extends Error {
  /** PostgreSQL's SQLSTATE code, e.g. `23505` for a unique violation. */
  readonly code: string | undefined;
  /** PostgreSQL's detail line. */
  readonly detail: string | undefined;
  /** The constraint concerned, for constraint violations. */
  readonly constraint: string | undefined;

  /** @param described - The error as the thread described it. */
  constructor(described: DescribedError) {
    super(described.message);
    this.name = 'PGliteQueryError';
    this.code = described.code;
    this.detail = described.detail;
    this.constraint = described.constraint;
  }
}

interface DescribedError {
  readonly message: string;
  readonly code?: string;
  readonly detail?: string;
  readonly constraint?: string;
}

interface Reply {
  readonly id?: number;
  readonly type?: 'ready' | 'failed' | 'closed';
  readonly rows?: unknown[];
  readonly affectedRows?: number;
  readonly error?: DescribedError;
}

interface Pending {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

/**
 * PGlite in a worker thread (see pglite-worker.js for why), behind the part of PGlite's API the Kysely dialect uses.
 * Queries are posted to the thread and answered in turn; values cross by structured clone.
 */
export class PGliteThread implements PGliteLike {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private exited: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      if (reply.id === undefined) return;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      waiting?.resolve(reply);
    });
    // A crash in the thread is reported through 'exit' below; without a listener, 'error' would throw here.
    worker.on('error', () => undefined);
    worker.on('exit', (code) => {
      this.exited = new Error(`The embedded database's thread exited (code ${code}).`);
      for (const waiting of this.pending.values()) waiting.reject(this.exited);
      this.pending.clear();
    });
  }

  /**
   * Starts the thread and waits until the database is ready.
   * @param dataDir - Where the database keeps its files; in memory when `undefined`.
   * @returns The running database.
   * @throws PGliteQueryError when the database does not start.
   */
  static async start(dataDir: string | undefined): Promise<PGliteThread> {
    const worker = new Worker(join(__dirname, 'pglite-worker.js'), {
      workerData: { pglitePath: require.resolve('@electric-sql/pglite'), dataDir },
    });
    const first = await new Promise<Reply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (first.type !== 'ready') {
      await worker.terminate();
      throw new PGliteQueryError(first.error ?? { message: 'The embedded database did not start.' });
    }
    return new PGliteThread(worker);
  }

  /**
   * Runs one statement.
   * @param sql - The statement, with `$1`… placeholders.
   * @param params - The bound values.
   * @returns The rows, and how many rows a write affected.
   * @throws PGliteQueryError carrying PostgreSQL's error.
   */
  async query<R>(sql: string, params: unknown[] = []): Promise<{ rows: R[]; affectedRows?: number }> {
    if (this.exited) throw this.exited;
    const id = this.nextId++;
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, sql, params });
    });
    if (reply.error) throw new PGliteQueryError(reply.error);
    return { rows: (reply.rows ?? []) as R[], affectedRows: reply.affectedRows };
  }

  /** Closes the database (writing it out, for a data directory) and ends the thread. */
  async close(): Promise<void> {
    if (this.exited) return;
    const closed = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'close' });
    await closed;
  }
}
