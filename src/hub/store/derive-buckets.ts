import { sql } from 'kysely';
import type { Kysely } from 'kysely';

import type { RecordedEvent } from '../../core/events';
import { withoutNul } from './event-rows';
import type { HubTables } from './tables';

/** Rows per INSERT of bucket files. */
const FILE_CHUNK = 1000;

/** Where a result dataset is and which files it lists, from its entry in an output manifest. */
function describeDataset(value: unknown): { location: string | null; files: string[] } {
  // Octue's manifests give a dataset as a path or URL, or as a dataset primitive with its files.
  if (typeof value === 'string') return { location: withoutNul(value), files: [] };
  if (typeof value !== 'object' || value === null) return { location: null, files: [] };
  const dataset = value as { path?: unknown; files?: unknown };
  const files = Array.isArray(dataset.files) ? dataset.files : [];
  const paths = files
    .map((file: unknown) => (typeof file === 'string' ? file : (file as { path?: unknown } | null)?.path))
    .filter((path): path is string => typeof path === 'string')
    .map(withoutNul);
  return { location: typeof dataset.path === 'string' ? withoutNul(dataset.path) : null, files: [...new Set(paths)] };
}

/**
 * Derives analysis buckets (one per dataset of a result's output manifest) and their files from newly stored `result`
 * events, in the ingesting transaction. A later result of the same question (a retry) moves a bucket to its new
 * location and adds its files.
 * @param trx - The ingesting transaction.
 * @param events - The events this batch stored for the first time.
 */
export async function deriveBuckets(trx: Kysely<HubTables>, events: readonly RecordedEvent[]): Promise<void> {
  for (const { event, attributes } of events) {
    if (event.kind !== 'result' || typeof event.output_manifest?.datasets !== 'object') continue;
    for (const [name, value] of Object.entries(event.output_manifest.datasets ?? {})) {
      const { location, files } = describeDataset(value);
      const bucket = await trx
        .insertInto('analysisBuckets')
        .values({
          analysisId: attributes.originator_question_uuid,
          analysisNodeId: attributes.question_uuid,
          name: withoutNul(name),
          location,
        })
        .onConflict((oc) => oc.columns(['analysisNodeId', 'name']).doUpdateSet({ location, updatedAt: sql`now()` }))
        .returning('id')
        .executeTakeFirstOrThrow();
      for (let start = 0; start < files.length; start += FILE_CHUNK) {
        await trx
          .insertInto('analysisBucketFiles')
          .values(files.slice(start, start + FILE_CHUNK).map((path) => ({ bucketId: bucket.id, path })))
          .onConflict((oc) => oc.columns(['bucketId', 'path']).doNothing())
          .execute();
      }
    }
  }
}
