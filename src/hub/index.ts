/**
 * `skein/hub`: the Skein Hub, a registry of services, analyses, results and events behind the FLAME Hub's REST API,
 * on PostgreSQL (embedded PGlite by default, or a server). This first part is the store: Octue's event store with
 * idempotent ingestion, `getEvents` and `getAnswer`, and the analyses derived from events.
 *
 * @example
 * ```ts
 * import { SqlHubStore } from 'skein/hub';
 * const store = await SqlHubStore.open(); // embedded and in memory; { databaseUrl } for a server
 * await store.ingestEvents(deliveries);
 * const answer = await store.getAnswer(questionUuid);
 * await store.close();
 * ```
 * @module
 */
export { HUB_OPTIONS, resolveHubOptions } from './options';
export type { HubOptions, HubOptionSpec } from './options';
export { SqlHubStore } from './store/hub-store';
export type { HubEventStore } from './store/hub-store';
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
