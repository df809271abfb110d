import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Result datasets: one analysis bucket per dataset of a question's output manifest (its location in Cloud Storage or
// elsewhere), and one analysis-bucket file per file the dataset lists; both derived from `result` events.

/** Adds analysis buckets and their files. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('analysis_buckets')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('analysis_id', 'text', (c) => c.notNull().references('analyses.id').onDelete('cascade'))
    .addColumn('analysis_node_id', 'text', (c) => c.notNull().references('analysis_nodes.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('location', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('analysis_buckets_node_name', ['analysis_node_id', 'name'])
    .execute();
  await db.schema
    .createTable('analysis_bucket_files')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('bucket_id', 'uuid', (c) => c.notNull().references('analysis_buckets.id').onDelete('cascade'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('analysis_bucket_files_bucket_path', ['bucket_id', 'path'])
    .execute();
}

/** Removes analysis buckets and their files. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('analysis_bucket_files').execute();
  await db.schema.dropTable('analysis_buckets').execute();
}
