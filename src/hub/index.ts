/**
 * `skein/hub`: the Skein Hub, a registry of services, analyses, results and events behind the FLAME Hub's REST API,
 * on PostgreSQL (embedded PGlite by default, or a server): Octue's event store with idempotent ingestion, `getEvents`
 * and `getAnswer`, the analyses derived from events, and the REST API over them. The API has no authentication yet,
 * so it is not deployed or served by the CLI.
 *
 * @example
 * ```ts
 * import { SqlHubStore, createHubApp } from 'skein/hub';
 * const store = await SqlHubStore.open(); // embedded and in memory; { databaseUrl } for a server
 * await store.ingestEvents(deliveries);
 * const answer = await store.getAnswer(questionUuid);
 * createHubApp({ store }).listen(0, '127.0.0.1'); // local use only until auth exists
 * ```
 * @module
 */
export { HUB_OPTIONS, resolveHubOptions } from './options';
export type { HubOptions, HubOptionSpec } from './options';
export { SqlHubStore } from './store/hub-store';
export type { HubEventStore, HubRegistryStore, HubResourceStore, HubStore } from './store/hub-store';
export type { ApiRecord } from './store/resource-queries';
export { createHubApp } from './http/app';
export type { HubAppOptions } from './http/app';
export type { ErrorBody } from './http/errors';
export type { AnswerBody } from './http/question-routes';
export { INGEST_PATH, pubSubPushSchema } from './http/ingest-route';
export { parseEventsQuery, MAX_EVENTS_LIMIT } from './api/events-query';
export { parseListQuery, MAX_PAGE_LIMIT, MAX_FILTER_VALUES } from './api/query';
export type { FilterCondition, FilterValue, ListQuery } from './api/query';
export { HUB_RESOURCES, columnOf } from './api/resources';
export type { FieldKind, RelationDefinition, ResourceDefinition, SortTerm } from './api/resources';
export {
  realmSchema,
  nodeSchema,
  nodeRevisionSchema,
  nodeRevisionCreateSchema,
  projectSchema,
  projectNodeSchema,
  analysisSchema,
  analysisNodeSchema,
  analysisLogSchema,
  analysisBucketSchema,
  analysisBucketFileSchema,
  eventSchema,
  realmCreateSchema,
  nodeCreateSchema,
  projectCreateSchema,
  projectNodeCreateSchema,
  realmUpdateSchema,
  nodeUpdateSchema,
  projectUpdateSchema,
  projectNodeUpdateSchema,
  analysisUpdateSchema,
} from './api/schemas';
export type {
  Realm,
  HubNode,
  NodeRevision,
  Project,
  ProjectNode,
  Analysis,
  AnalysisNode,
  AnalysisLog,
  AnalysisBucket,
  AnalysisBucketFile,
  HubEvent,
} from './api/schemas';
export { openHubDatabase, migrateHubDatabase } from './store/database';
export type { HubDatabase, HubEngine, OpenHubDatabaseParams } from './store/database';
export { PUBSUB_BACKEND } from './store/event-rows';
export type { BackendMetadata, EventDelivery, StoredEvent } from './store/event-rows';
export type { GetEventsQuery, IngestReport, RejectedEvent } from './store/event-store';
export type { GetAnswerOptions } from './store/answers';
export { ANALYSIS_STATUSES } from './store/derive';
export type { AnalysisStatus } from './store/derive';
export type { HubTables } from './store/tables';
export { HubError, HubStoreError, HubMigrationFailed, HubRequestError, HubEntityNotFound } from '../errors';
export type { HubIssue } from '../errors';
