import { CompiledQuery, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import type {
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/** The part of PGlite's API the dialect uses (so the PGlite module is loaded only by whoever opens one). */
export interface PGliteLike {
  query<R>(sql: string, params?: unknown[]): Promise<{ readonly rows: R[]; readonly affectedRows?: number }>;
  close(): Promise<void>;
}

/**
 * A Kysely dialect for PGlite: PostgreSQL compiled to WebAssembly, running in this process. It reuses Kysely's
 * PostgreSQL compiler, adapter (advisory-lock migrations) and introspector, so the same queries run on PGlite and on a
 * PostgreSQL server. PGlite has a single session, so the driver hands out one connection at a time: a transaction
 * holds it until it commits or rolls back, and other queries queue behind it.
 */
export class PGliteDialect implements Dialect {
  /** @param database - An open PGlite instance; the dialect closes it when Kysely is destroyed. */
  constructor(private readonly database: PGliteLike) {}

  /** @returns The single-session driver. */
  createDriver(): Driver {
    return new PGliteDriver(this.database);
  }

  /** @returns Kysely's PostgreSQL compiler. */
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  /** @returns Kysely's PostgreSQL adapter. */
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  /** @returns Kysely's PostgreSQL introspector. */
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly database: PGliteLike) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.database.query<R>(compiled.sql, [...compiled.parameters]);
    const affected = result.affectedRows;
    // Kysely reads numAffectedRows for INSERT/UPDATE/DELETE; PGlite reports 0 for other statements.
    return affected === undefined ? { rows: result.rows } : { rows: result.rows, numAffectedRows: BigInt(affected) };
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not stream query results; use execute().');
  }
}

class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection;
  // The tail of the queue of connection holders: each acquirer waits for the previous holder's release.
  private queue: Promise<void> = Promise.resolve();
  private releaseCurrent: (() => void) | undefined;

  constructor(private readonly database: PGliteLike) {
    this.connection = new PGliteConnection(database);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.releaseCurrent = release;
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // Isolation levels and access modes come from Kysely's closed list, so they are safe to write into the statement.
    const parts = ['begin'];
    if (settings.isolationLevel !== undefined) parts.push(`isolation level ${settings.isolationLevel}`);
    if (settings.accessMode !== undefined) parts.push(settings.accessMode);
    await connection.executeQuery(CompiledQuery.raw(parts.join(' ')));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.releaseCurrent;
    this.releaseCurrent = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    await this.queue;
    await this.database.close();
  }
}
