import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Service revisions, for Octue's service registry: each node (service) has revisions (tags) and may name one of them
// its default. The default is a (node, tag) reference to a revision, so it can only name a revision that exists, and
// a default revision cannot be deleted while it is the default.

/** Adds revisions and the default revision. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('node_revisions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('node_id', 'uuid', (c) => c.notNull().references('nodes.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('node_revisions_node_tag', ['node_id', 'tag'])
    .execute();
  await db.schema.alterTable('nodes').addColumn('default_revision_tag', 'text').execute();
  await db.schema
    .alterTable('nodes')
    .addForeignKeyConstraint('nodes_default_revision', ['id', 'default_revision_tag'], 'node_revisions', [
      'node_id',
      'tag',
    ])
    .execute();
}

/** Removes revisions and the default revision. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('nodes').dropConstraint('nodes_default_revision').execute();
  await db.schema.alterTable('nodes').dropColumn('default_revision_tag').execute();
  await db.schema.dropTable('node_revisions').execute();
}
