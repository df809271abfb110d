import { sql } from 'kysely';
import type { CreateTableBuilder, Kysely } from 'kysely';

// The first schema: the FLAME Hub resources Skein gives a meaning to, and Octue's event store. Migrations run on a
// Kysely without the camel-case plugin, so the names written here are the SQL names. A released migration never
// changes: later schema changes are new migrations.

function withTimestamps<T extends string>(table: CreateTableBuilder<T>): CreateTableBuilder<T> {
  return table
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`));
}

function generatedId<T extends string>(table: CreateTableBuilder<T>): CreateTableBuilder<T> {
  return table.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`));
}

/** Creates the tables. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withTimestamps(
    generatedId(db.schema.createTable('realms'))
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text')
      .addColumn('description', 'text'),
  ).execute();

  await withTimestamps(
    generatedId(db.schema.createTable('nodes'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('realm_id', 'uuid', (c) => c.notNull().references('realms.id').onDelete('cascade'))
      .addColumn('display_name', 'text')
      .addColumn('hidden', 'boolean', (c) => c.notNull().defaultTo(false))
      .addUniqueConstraint('nodes_realm_name', ['realm_id', 'name']),
  ).execute();

  await withTimestamps(
    generatedId(db.schema.createTable('projects'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('realm_id', 'uuid', (c) => c.notNull().references('realms.id').onDelete('cascade')),
  ).execute();

  await withTimestamps(
    generatedId(db.schema.createTable('project_nodes'))
      .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('node_id', 'uuid', (c) => c.notNull().references('nodes.id').onDelete('cascade'))
      .addColumn('approval_status', 'text')
      .addColumn('comment', 'text')
      .addUniqueConstraint('project_nodes_project_node', ['project_id', 'node_id']),
  ).execute();

  // Derived from events. Ids are Octue's question and event uuids, kept as text: the wire format does not promise
  // that they parse as UUIDs, and one that does not must not stop its batch from being stored.
  await withTimestamps(
    db.schema
      .createTable('analyses')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('originator', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('project_id', 'uuid', (c) => c.references('projects.id').onDelete('set null'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0)),
  ).execute();

  await withTimestamps(
    db.schema
      .createTable('analysis_nodes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('analysis_id', 'text', (c) => c.notNull().references('analyses.id').onDelete('cascade'))
      .addColumn('parent_question_uuid', 'text')
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('parent', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('retry_count', 'integer', (c) => c.notNull().defaultTo(0)),
  ).execute();
  await db.schema.createIndex('analysis_nodes_analysis').on('analysis_nodes').column('analysis_id').execute();

  await db.schema
    .createTable('analysis_logs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('analysis_id', 'text', (c) => c.notNull().references('analyses.id').onDelete('cascade'))
    .addColumn('analysis_node_id', 'text', (c) => c.notNull().references('analysis_nodes.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('level', 'text')
    .addColumn('message', 'text')
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('analysis_logs_node_time')
    .on('analysis_logs')
    .columns(['analysis_node_id', 'created_at'])
    .execute();

  // Octue's event-store columns (octue_twined.service-events), plus `seq`: the arrival order, which breaks ties
  // between events of the same microsecond.
  await db.schema
    .createTable('events')
    .addColumn('seq', 'bigint', (c) => c.generatedAlwaysAsIdentity())
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('datetime', 'timestamptz', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('event', 'jsonb', (c) => c.notNull())
    .addColumn('other_attributes', 'jsonb', (c) => c.notNull())
    .addColumn('originator', 'text', (c) => c.notNull())
    .addColumn('parent', 'text', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('sender_type', 'text', (c) => c.notNull())
    .addColumn('sender_sdk_version', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('originator_question_uuid', 'text', (c) => c.notNull())
    .addColumn('parent_question_uuid', 'text')
    .addColumn('question_uuid', 'text', (c) => c.notNull())
    .addColumn('backend', 'text', (c) => c.notNull())
    .addColumn('backend_metadata', 'jsonb', (c) => c.notNull())
    .execute();
  for (const column of ['question_uuid', 'parent_question_uuid', 'originator_question_uuid']) {
    await db.schema.createIndex(`events_${column}_time`).on('events').columns([column, 'datetime', 'seq']).execute();
  }
}

/** Drops the tables, newest first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'events',
    'analysis_logs',
    'analysis_nodes',
    'analyses',
    'project_nodes',
    'projects',
    'nodes',
    'realms',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
