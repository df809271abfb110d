import type { z } from 'zod';

import type { HubTables } from '../store/tables';
import {
  analysisBucketFileSchema,
  analysisBucketSchema,
  analysisLogSchema,
  analysisNodeSchema,
  analysisSchema,
  analysisUpdateSchema,
  eventSchema,
  nodeCreateSchema,
  nodeRevisionCreateSchema,
  nodeRevisionSchema,
  nodeSchema,
  nodeUpdateSchema,
  projectCreateSchema,
  projectNodeCreateSchema,
  projectNodeSchema,
  projectNodeUpdateSchema,
  projectSchema,
  projectUpdateSchema,
  realmCreateSchema,
  realmSchema,
  realmUpdateSchema,
} from './schemas';

/** How a field's values are compared, filtered and sorted. */
export type FieldKind = 'uuid' | 'text' | 'integer' | 'boolean' | 'timestamp' | 'json';

/** A record another record points at, which `include=<name>` embeds. */
export interface RelationDefinition {
  /** The name to ask for and embed under, e.g. `realm`. */
  readonly name: string;
  /** The resource pointed at, e.g. `realms`. */
  readonly resource: string;
  /** The field holding the other record's id, e.g. `realmId`. */
  readonly foreignKey: string;
}

/** One sort key. */
export interface SortTerm {
  /** The field. */
  readonly field: string;
  /** The direction. */
  readonly direction: 'asc' | 'desc';
}

/** One REST resource: its URL name, table, fields, relations and which verbs it has. */
export interface ResourceDefinition {
  /** The URL segment, e.g. `project-nodes`. */
  readonly name: string;
  /** The table (camelCase, as Kysely sees it). */
  readonly table: keyof HubTables;
  /** Every field and its kind, in record order (from the record schema). */
  readonly fields: Readonly<Record<string, FieldKind>>;
  /** Fields whose column has another name (`id` of events is the `uuid` column). */
  readonly columns: Readonly<Record<string, string>>;
  /** Fields left out unless asked for with `fields=+name`. */
  readonly optionalFields: readonly string[];
  /** Timestamp fields read as text, so the microseconds of Octue's event times survive. */
  readonly preciseTimestamps: readonly string[];
  /** Records this one points at. */
  readonly relations: readonly RelationDefinition[];
  /** The body schema of create; the resource cannot be created over the API without one. */
  readonly create?: z.ZodType<Record<string, unknown>>;
  /** The body schema of update; the resource cannot be updated over the API without one. */
  readonly update?: z.ZodType<Record<string, unknown>>;
  /** Whether records can be deleted over the API. */
  readonly deletable: boolean;
  /** The order of lists without `sort` (the id always breaks ties). */
  readonly defaultSort: readonly SortTerm[];
}

type ZodDef = { type: string; format?: string; innerType?: { _zod: { def: ZodDef } } };

function kindOf(def: ZodDef): FieldKind {
  if (def.type === 'nullable' && def.innerType) return kindOf(def.innerType._zod.def);
  if (def.type === 'string') return def.format === 'uuid' ? 'uuid' : def.format === 'datetime' ? 'timestamp' : 'text';
  if (def.type === 'number') return 'integer';
  if (def.type === 'boolean') return 'boolean';
  if (def.type === 'enum') return 'text';
  return 'json';
}

function fieldsOf(schema: z.ZodObject): Record<string, FieldKind> {
  const fields: Record<string, FieldKind> = {};
  for (const [key, value] of Object.entries(schema.shape)) {
    fields[key] = kindOf((value as { _zod: { def: ZodDef } })._zod.def);
  }
  return fields;
}

const byCreation: readonly SortTerm[] = [{ field: 'createdAt', direction: 'asc' }];

function resource(
  definition: Omit<
    ResourceDefinition,
    'fields' | 'columns' | 'optionalFields' | 'preciseTimestamps' | 'relations' | 'defaultSort'
  > & {
    readonly record: z.ZodObject;
    readonly columns?: Readonly<Record<string, string>>;
    readonly optionalFields?: readonly string[];
    readonly preciseTimestamps?: readonly string[];
    readonly relations?: readonly RelationDefinition[];
    readonly defaultSort?: readonly SortTerm[];
  },
): ResourceDefinition {
  const { record, ...rest } = definition;
  return {
    columns: {},
    optionalFields: [],
    preciseTimestamps: [],
    relations: [],
    defaultSort: byCreation,
    ...rest,
    fields: fieldsOf(record),
  };
}

const realm: RelationDefinition = { name: 'realm', resource: 'realms', foreignKey: 'realmId' };
const analysis: RelationDefinition = { name: 'analysis', resource: 'analyses', foreignKey: 'analysisId' };

/** Every resource of the REST API, by URL name (FLAME Hub names; `events` is Skein's). */
export const HUB_RESOURCES: Readonly<Record<string, ResourceDefinition>> = {
  realms: resource({
    name: 'realms',
    table: 'realms',
    record: realmSchema,
    create: realmCreateSchema,
    update: realmUpdateSchema,
    deletable: true,
  }),
  nodes: resource({
    name: 'nodes',
    table: 'nodes',
    record: nodeSchema,
    create: nodeCreateSchema,
    update: nodeUpdateSchema,
    deletable: true,
    relations: [realm],
  }),
  'node-revisions': resource({
    name: 'node-revisions',
    table: 'nodeRevisions',
    record: nodeRevisionSchema,
    create: nodeRevisionCreateSchema,
    deletable: true,
    relations: [{ name: 'node', resource: 'nodes', foreignKey: 'nodeId' }],
  }),
  projects: resource({
    name: 'projects',
    table: 'projects',
    record: projectSchema,
    create: projectCreateSchema,
    update: projectUpdateSchema,
    deletable: true,
    relations: [realm],
  }),
  'project-nodes': resource({
    name: 'project-nodes',
    table: 'projectNodes',
    record: projectNodeSchema,
    create: projectNodeCreateSchema,
    update: projectNodeUpdateSchema,
    deletable: true,
    relations: [
      { name: 'project', resource: 'projects', foreignKey: 'projectId' },
      { name: 'node', resource: 'nodes', foreignKey: 'nodeId' },
    ],
  }),
  // Derived from events: created by ingestion only.
  analyses: resource({
    name: 'analyses',
    table: 'analyses',
    record: analysisSchema,
    update: analysisUpdateSchema,
    deletable: true,
    relations: [{ name: 'project', resource: 'projects', foreignKey: 'projectId' }],
  }),
  'analysis-nodes': resource({
    name: 'analysis-nodes',
    table: 'analysisNodes',
    record: analysisNodeSchema,
    deletable: false,
    relations: [analysis],
  }),
  'analysis-logs': resource({
    name: 'analysis-logs',
    table: 'analysisLogs',
    record: analysisLogSchema,
    deletable: false,
    relations: [analysis, { name: 'analysisNode', resource: 'analysis-nodes', foreignKey: 'analysisNodeId' }],
  }),
  'analysis-buckets': resource({
    name: 'analysis-buckets',
    table: 'analysisBuckets',
    record: analysisBucketSchema,
    deletable: false,
    relations: [analysis, { name: 'analysisNode', resource: 'analysis-nodes', foreignKey: 'analysisNodeId' }],
  }),
  'analysis-bucket-files': resource({
    name: 'analysis-bucket-files',
    table: 'analysisBucketFiles',
    record: analysisBucketFileSchema,
    deletable: false,
    relations: [{ name: 'bucket', resource: 'analysis-buckets', foreignKey: 'bucketId' }],
  }),
  events: resource({
    name: 'events',
    table: 'events',
    record: eventSchema,
    columns: { id: 'uuid' },
    optionalFields: ['backend', 'backendMetadata'],
    preciseTimestamps: ['datetime'],
    deletable: false,
    defaultSort: [
      { field: 'datetime', direction: 'asc' },
      { field: 'seq', direction: 'asc' },
    ],
  }),
};

/**
 * The column of a field (most fields are their column's camelCase name).
 * @param definition - The resource.
 * @param field - The field.
 * @returns The column, as Kysely (camelCase) names it.
 */
export function columnOf(definition: ResourceDefinition, field: string): string {
  return definition.columns[field] ?? field;
}
