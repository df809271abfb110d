import type { ColumnType, Generated } from 'kysely';

// The Hub's tables as Kysely sees them. Columns are snake_case in SQL and camelCase here (Kysely's CamelCasePlugin
// maps them), which is also the FLAME Hub's JSON spelling, so a record leaves the store in its API shape.

/** A timestamp the database sets on insert (and the store on update). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A JSON column: written as JSON text (so arrays stay JSON rather than becoming SQL arrays), read as a value. */
type Json = ColumnType<unknown, string, string>;

/** `realms`: Octue namespaces, e.g. `acme`. */
export interface RealmTable {
  id: Generated<string>;
  name: string;
  displayName: string | null;
  description: string | null;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
}

/** `nodes`: services (`acme/csv-stats`), one per realm and name. */
export interface NodeTable {
  id: Generated<string>;
  name: string;
  realmId: string;
  displayName: string | null;
  hidden: Generated<boolean>;
  defaultRevisionTag: string | null;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
}

/** `node_revisions`: the revisions (tags) of a service. */
export interface NodeRevisionTable {
  id: Generated<string>;
  nodeId: string;
  tag: string;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
}

/** `projects`: groups of services working together. */
export interface ProjectTable {
  id: Generated<string>;
  name: string;
  description: string | null;
  realmId: string;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
}

/** `project_nodes`: the services taking part in a project. */
export interface ProjectNodeTable {
  id: Generated<string>;
  projectId: string;
  nodeId: string;
  approvalStatus: string | null;
  comment: string | null;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
}

/** `analyses`: question trees, keyed by the originator question's uuid; derived from events. */
export interface AnalysisTable {
  id: string;
  originator: string;
  name: string | null;
  projectId: string | null;
  status: string;
  progress: number;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
}

/** `analysis_nodes`: one per question, keyed by the question's uuid; derived from events. */
export interface AnalysisNodeTable {
  id: string;
  analysisId: string;
  parentQuestionUuid: string | null;
  service: string;
  parent: string;
  status: string;
  retryCount: number;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
}

/** `analysis_logs`: log records and monitor messages, keyed by the event's uuid; derived from events. */
export interface AnalysisLogTable {
  id: string;
  analysisId: string;
  analysisNodeId: string;
  kind: string;
  level: string | null;
  message: string | null;
  data: Json;
  sender: string;
  createdAt: Timestamp;
}

/** `analysis_buckets`: the datasets of a question's output manifest; derived from `result` events. */
export interface AnalysisBucketTable {
  id: Generated<string>;
  analysisId: string;
  analysisNodeId: string;
  name: string;
  location: string | null;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
}

/** `analysis_bucket_files`: the files a result dataset lists. */
export interface AnalysisBucketFileTable {
  id: Generated<string>;
  bucketId: string;
  path: string;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
}

/** `events`: every service event, with Octue's event-store columns (plus an arrival sequence for stable order). */
export interface EventTable {
  seq: Generated<string>;
  uuid: string;
  datetime: ColumnType<Date, string, string>;
  kind: string;
  event: Json;
  otherAttributes: Json;
  originator: string;
  parent: string;
  sender: string;
  senderType: string;
  senderSdkVersion: string;
  recipient: string;
  originatorQuestionUuid: string;
  parentQuestionUuid: string | null;
  questionUuid: string;
  backend: string;
  backendMetadata: Json;
}

/** The Hub's database, for Kysely's typed queries. */
export interface HubTables {
  realms: RealmTable;
  nodes: NodeTable;
  nodeRevisions: NodeRevisionTable;
  projects: ProjectTable;
  projectNodes: ProjectNodeTable;
  analyses: AnalysisTable;
  analysisNodes: AnalysisNodeTable;
  analysisLogs: AnalysisLogTable;
  analysisBuckets: AnalysisBucketTable;
  analysisBucketFiles: AnalysisBucketFileTable;
  events: EventTable;
}
