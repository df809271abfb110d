import type { Kysely } from 'kysely';

import type { HubTables } from './tables';

/**
 * Resolves a service revision as Octue's service registries do: with a tag, the tag if the service has that revision;
 * without one, the service's default revision.
 * @param db - The Hub's database.
 * @param namespace - The service's namespace (its realm's name).
 * @param name - The service's name (its node's name).
 * @param revisionTag - The tag asked for, if any.
 * @returns The revision tag, or `undefined` when the service, the revision or a default revision does not exist.
 */
export async function resolveServiceRevision(
  db: Kysely<HubTables>,
  namespace: string,
  name: string,
  revisionTag?: string,
): Promise<string | undefined> {
  const node = await db
    .selectFrom('nodes')
    .innerJoin('realms', 'realms.id', 'nodes.realmId')
    .select(['nodes.id', 'nodes.defaultRevisionTag'])
    .where('realms.name', '=', namespace)
    .where('nodes.name', '=', name)
    .executeTakeFirst();
  if (node === undefined) return undefined;
  if (revisionTag === undefined) return node.defaultRevisionTag ?? undefined;
  const revision = await db
    .selectFrom('nodeRevisions')
    .select('tag')
    .where('nodeId', '=', node.id)
    .where('tag', '=', revisionTag)
    .executeTakeFirst();
  return revision?.tag;
}
