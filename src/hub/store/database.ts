import { CamelCasePlugin, Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import type { Dialect, MigrationProvider } from 'kysely';
import { Pool } from 'pg';

import { HubMigrationFailed, HubStoreError } from '../../errors';
import { HUB_MIGRATIONS } from './migrations';
import { PGliteDialect } from './pglite-dialect';
import { PGliteThread } from './pglite-thread';
import type { HubTables } from './tables';

/** Which database a Hub store runs on. */
export type HubEngine = 'pglite' | 'postgres';

/** Where the Hub's database is. */
export interface OpenHubDatabaseParams {
  /** A PostgreSQL connection string (`postgres://…`); without one, the embedded PGlite database is used. */
  readonly databaseUrl?: string;
  /** The embedded database's directory; without one it lives in memory. Not used with `databaseUrl`. */
  readonly dataDir?: string;
  /** The most connections opened to a PostgreSQL server (default 10). */
  readonly poolSize?: number;
}

/** An open, migrated Hub database. */
export interface HubDatabase {
  /** Typed queries, with camelCase names mapped to the snake_case columns. */
  readonly db: Kysely<HubTables>;
  /** Which database this is. */
  readonly engine: HubEngine;
  /** Closes the database (the pool, or the embedded instance). */
  close(): Promise<void>;
}

/**
 * Opens the Hub's database and brings its schema up to date: a PostgreSQL server when `databaseUrl` is given,
 * otherwise the embedded PGlite (in `dataDir`, or in memory). The same migrations and queries run on both.
 * @param params - Where the database is.
 * @returns The open database.
 * @throws HubStoreError when the database cannot be reached; HubMigrationFailed when a migration fails.
 */
export async function openHubDatabase(params: OpenHubDatabaseParams = {}): Promise<HubDatabase> {
  const engine: HubEngine = params.databaseUrl === undefined ? 'pglite' : 'postgres';
  const dialect = engine === 'pglite' ? await pgliteDialect(params.dataDir) : postgresDialect(params);
  // Nested JSON (events, log records) keeps its own keys: only column names are camel-cased.
  const db = new Kysely<HubTables>({ dialect, plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })] });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw new HubStoreError(`Could not connect to the Hub's ${engine} database: ${(error as Error).message}`, {
      engine,
      operation: 'connect',
      cause: error,
    });
  }
  try {
    await migrateHubDatabase(db, engine);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
  return { db, engine, close: () => db.destroy() };
}

async function pgliteDialect(dataDir: string | undefined): Promise<Dialect> {
  let database: PGliteThread;
  try {
    database = await PGliteThread.start(dataDir);
  } catch (error) {
    throw new HubStoreError(`Could not start the embedded database: ${(error as Error).message}`, {
      engine: 'pglite',
      operation: 'connect',
      cause: error,
    });
  }
  return new PGliteDialect(database);
}

function postgresDialect(params: OpenHubDatabaseParams): Dialect {
  const pool = new Pool({ connectionString: params.databaseUrl, max: params.poolSize ?? 10 });
  // An idle connection dropped by the server must not crash the process: the next query gets a fresh one.
  pool.on('error', () => undefined);
  return new PostgresDialect({ pool });
}

const provider: MigrationProvider = { getMigrations: async () => HUB_MIGRATIONS };

/**
 * Applies every migration not yet applied, in order. Kysely holds an advisory lock meanwhile, so several Hub
 * instances starting together migrate once.
 * @param db - The database.
 * @param engine - Which database it is (for error context).
 * @throws HubMigrationFailed naming the migration that failed.
 */
export async function migrateHubDatabase(db: Kysely<HubTables>, engine: HubEngine): Promise<void> {
  // Migrations name their tables and columns in SQL's own spelling, so they run without the camel-case mapping.
  const migrator = new Migrator({ db: db.withoutPlugins(), provider });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results.find((result) => result.status === 'Error')?.migrationName;
  const message = error instanceof Error ? error.message : String(error);
  throw new HubMigrationFailed(
    failed === undefined
      ? `Could not migrate the Hub's database: ${message}`
      : `The Hub's database migration ${failed} failed: ${message}`,
    { engine, operation: 'migrate', migration: failed, cause: error },
  );
}
