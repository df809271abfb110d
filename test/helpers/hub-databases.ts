import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import { openHubDatabase } from '../../src/hub/store/database';
import type { HubDatabase, HubEngine } from '../../src/hub/store/database';

/** Both databases every Hub store test runs on: the embedded PGlite and the real PostgreSQL server of global setup. */
export const HUB_ENGINES: readonly HubEngine[] = ['pglite', 'postgres'];

/** A fresh, migrated Hub database for one test file, and how to throw it away. */
export interface TestHubDatabase {
  readonly database: HubDatabase;
  dispose(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.SKEIN_TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      'SKEIN_TEST_POSTGRES_URL is not set: Hub store tests run in the integration project, whose global setup ' +
        'starts PostgreSQL (apt-get install postgresql).',
    );
  }
  return url;
}

/**
 * Opens a fresh Hub database: an in-memory PGlite, or a new database (with a random name) on the test PostgreSQL
 * server, so test files running in parallel never see each other's rows.
 */
export async function openTestHubDatabase(engine: HubEngine): Promise<TestHubDatabase> {
  if (engine === 'pglite') {
    const database = await openHubDatabase();
    return { database, dispose: () => database.close() };
  }
  const name = `hub_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const database = await openHubDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  return {
    database,
    async dispose() {
      await database.close();
      const cleanup = new Client({ connectionString: serverUrl() });
      await cleanup.connect();
      try {
        await cleanup.query(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
