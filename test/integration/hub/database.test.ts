import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sql } from 'kysely';
import { Client } from 'pg';

import { HubMigrationFailed, HubStoreError } from '../../../src/errors';
import { openHubDatabase } from '../../../src/hub/store/database';
import { SqlHubStore } from '../../../src/hub/store/hub-store';
import { findFreePort } from '../../../src/emulators/free-port';
import { conversation } from '../../helpers/hub-events';

async function withServerDatabase<T>(run: (url: string, admin: Client) => Promise<T>): Promise<T> {
  const server = process.env.SKEIN_TEST_POSTGRES_URL as string;
  const name = `hub_db_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  try {
    return await run(url.toString(), admin);
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

describe('Function: openHubDatabase', () => {
  it('keeps an embedded database in its data directory, and migrates it once', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'skein-hub-'));
    const { questionUuid, deliveries } = conversation();
    try {
      const first = await SqlHubStore.open({ dataDir });
      await first.ingestEvents(deliveries);
      await first.close();

      // Act
      const second = await SqlHubStore.open({ dataDir });
      const events = await second.getEvents({ questionUuid });
      const migrations = await sql<{ name: string }>`select name from kysely_migration`.execute(second.database.db);
      await second.close();

      // Assess
      expect(events).toHaveLength(deliveries.length);
      expect(migrations.rows.map((row) => row.name)).toEqual([
        '0001-initial',
        '0002-node-revisions',
        '0003-analysis-buckets',
      ]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('migrates a server database once when several Hubs start together', async () => {
    await withServerDatabase(async (databaseUrl) => {
      // Act
      const opened = await Promise.all([1, 2, 3].map(() => openHubDatabase({ databaseUrl, poolSize: 2 })));
      const migrations = await sql<{ name: string }>`select name from kysely_migration`.execute(opened[0]!.db);
      await Promise.all(opened.map((database) => database.close()));

      // Assess
      expect(migrations.rows.map((row) => row.name)).toEqual([
        '0001-initial',
        '0002-node-revisions',
        '0003-analysis-buckets',
      ]);
    });
  });

  it('names the migration that failed', async () => {
    await withServerDatabase(async (databaseUrl) => {
      // Prepare: a table in the way of the first migration.
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query('create table realms (id int)');
      await client.end();

      // Act
      const opening = openHubDatabase({ databaseUrl });

      // Assess
      await expect(opening).rejects.toBeInstanceOf(HubMigrationFailed);
      await expect(openHubDatabase({ databaseUrl })).rejects.toMatchObject({
        migration: '0001-initial',
        engine: 'postgres',
        operation: 'migrate',
      });
    });
  });

  it('says it cannot connect when no server listens', async () => {
    const port = await findFreePort();
    const opening = openHubDatabase({ databaseUrl: `postgres://skein@127.0.0.1:${port}/postgres` });
    await expect(opening).rejects.toBeInstanceOf(HubStoreError);
    await expect(openHubDatabase({ databaseUrl: `postgres://skein@127.0.0.1:${port}/postgres` })).rejects.toMatchObject(
      { operation: 'connect', engine: 'postgres' },
    );
  });
});
