import type { Migration } from 'kysely';

import * as initial from './0001-initial';
import * as nodeRevisions from './0002-node-revisions';
import * as analysisBuckets from './0003-analysis-buckets';

/**
 * Every schema migration, by name. Kysely applies them in name order and records each in `kysely_migration`, so
 * names are zero-padded versions and a released migration is never renamed or changed.
 */
export const HUB_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-node-revisions': nodeRevisions,
  '0003-analysis-buckets': analysisBuckets,
};
