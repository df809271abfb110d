import { HubStoreError, SkeinError } from '../../errors';
import type { QuestionAnswer } from '../../service/event-handler';
import type { ListQuery } from '../api/query';
import type { ResourceDefinition } from '../api/resources';
import { getAnswer } from './answers';
import type { GetAnswerOptions } from './answers';
import { openHubDatabase } from './database';
import type { HubDatabase, HubEngine, OpenHubDatabaseParams } from './database';
import type { EventDelivery, StoredEvent } from './event-rows';
import { getEvents, ingestEvents } from './event-store';
import type { GetEventsQuery, IngestReport } from './event-store';
import { resolveServiceRevision } from './registry';
import { createRecord, deleteRecord, getRecord, listRecords, updateRecord } from './resource-queries';
import type { ApiRecord } from './resource-queries';

/**
 * The Hub's storage port: the event store and the records derived from it. The REST API and the ingestion endpoint
 * see only this; {@link SqlHubStore} implements it on PGlite or PostgreSQL.
 */
export interface HubEventStore {
  /** Which database the store runs on. */
  readonly engine: HubEngine;
  /** Stores events idempotently by uuid and derives analyses, analysis nodes and logs from the new ones. */
  ingestEvents(deliveries: readonly EventDelivery[]): Promise<IngestReport>;
  /** Gets stored events with Octue's `get_events` semantics. */
  getEvents(query: GetEventsQuery): Promise<StoredEvent[]>;
  /** Replays a question's stored events to its answer (`null` before its result is stored); throws its exception. */
  getAnswer(questionUuid: string, options?: GetAnswerOptions): Promise<QuestionAnswer | null>;
  /** Closes the store's database. */
  close(): Promise<void>;
}

/** The Hub's storage port for the REST resources: records in their API shape, found by checked queries. */
export interface HubResourceStore {
  /** One page of a resource's records matching the query, and how many match in all. */
  list(resource: ResourceDefinition, query: ListQuery): Promise<{ data: ApiRecord[]; total: number }>;
  /** One record, or `undefined` when there is none with this id. */
  get(
    resource: ResourceDefinition,
    id: string,
    query: Pick<ListQuery, 'fields' | 'include'>,
  ): Promise<ApiRecord | undefined>;
  /** Creates a record from checked values; throws HubRequestError on conflicts and dangling references. */
  create(resource: ResourceDefinition, values: Record<string, unknown>): Promise<ApiRecord>;
  /** Updates a record; `undefined` when there is none with this id. */
  update(resource: ResourceDefinition, id: string, values: Record<string, unknown>): Promise<ApiRecord | undefined>;
  /** Deletes a record and returns it; `undefined` when there is none with this id. */
  delete(resource: ResourceDefinition, id: string): Promise<ApiRecord | undefined>;
}

/** The Hub's storage port for Octue's service registry. */
export interface HubRegistryStore {
  /** The revision tag a registry lookup answers (the tag if registered, else the default), or `undefined`. */
  resolveServiceRevision(namespace: string, name: string, revisionTag?: string): Promise<string | undefined>;
}

/** Everything the Hub stores: the event store, the REST resources and the service registry. */
export interface HubStore extends HubEventStore, HubResourceStore, HubRegistryStore {}

/**
 * The Hub store on SQL: PGlite embedded in the process, or a PostgreSQL server. Driver failures leave it as
 * HubStoreError, with the driver's error as `cause`; request errors and replayed remote errors pass through.
 *
 * @example
 * ```ts
 * const store = await SqlHubStore.open(); // embedded, in memory
 * await store.ingestEvents([{ event, attributes }]);
 * const answer = await store.getAnswer(questionUuid);
 * ```
 */
export class SqlHubStore implements HubStore {
  /** @param database - An open, migrated database (see {@link openHubDatabase}). */
  constructor(readonly database: HubDatabase) {}

  /**
   * Opens a store: the database is opened (PostgreSQL when `databaseUrl` is given, else PGlite) and migrated.
   * @param params - Where the database is.
   * @returns The store.
   * @throws HubStoreError or HubMigrationFailed when the database cannot be opened or migrated.
   */
  static async open(params: OpenHubDatabaseParams = {}): Promise<SqlHubStore> {
    return new SqlHubStore(await openHubDatabase(params));
  }

  /** Which database the store runs on. */
  get engine(): HubEngine {
    return this.database.engine;
  }

  /** See {@link ingestEvents}. */
  ingestEvents(deliveries: readonly EventDelivery[]): Promise<IngestReport> {
    return this.guard('ingestEvents', () => ingestEvents(this.database.db, deliveries));
  }

  /** See {@link getEvents}. */
  getEvents(query: GetEventsQuery): Promise<StoredEvent[]> {
    return this.guard('getEvents', () => getEvents(this.database.db, query));
  }

  /** See {@link getAnswer}. */
  getAnswer(questionUuid: string, options?: GetAnswerOptions): Promise<QuestionAnswer | null> {
    // Not guarded: the replay throws the question's own (re-created) error, which must reach the caller as it is.
    return getAnswer(this.database.db, questionUuid, options);
  }

  /** See {@link HubResourceStore.list}. */
  list(resource: ResourceDefinition, query: ListQuery): Promise<{ data: ApiRecord[]; total: number }> {
    return this.guard(`list ${resource.name}`, () => listRecords(this.database.db, resource, query));
  }

  /** See {@link HubResourceStore.get}. */
  get(
    resource: ResourceDefinition,
    id: string,
    query: Pick<ListQuery, 'fields' | 'include'>,
  ): Promise<ApiRecord | undefined> {
    return this.guard(`get ${resource.name}`, () => getRecord(this.database.db, resource, id, query));
  }

  /** See {@link HubResourceStore.create}. */
  create(resource: ResourceDefinition, values: Record<string, unknown>): Promise<ApiRecord> {
    return this.guard(`create ${resource.name}`, () => createRecord(this.database.db, resource, values));
  }

  /** See {@link HubResourceStore.update}. */
  update(resource: ResourceDefinition, id: string, values: Record<string, unknown>): Promise<ApiRecord | undefined> {
    return this.guard(`update ${resource.name}`, () => updateRecord(this.database.db, resource, id, values));
  }

  /** See {@link HubResourceStore.delete}. */
  delete(resource: ResourceDefinition, id: string): Promise<ApiRecord | undefined> {
    return this.guard(`delete ${resource.name}`, () => deleteRecord(this.database.db, resource, id));
  }

  /** See {@link HubRegistryStore.resolveServiceRevision}. */
  resolveServiceRevision(namespace: string, name: string, revisionTag?: string): Promise<string | undefined> {
    return this.guard('resolve a service revision', () =>
      resolveServiceRevision(this.database.db, namespace, name, revisionTag),
    );
  }

  /** Closes the database. */
  close(): Promise<void> {
    return this.database.close();
  }

  /**
   * Runs a database operation, turning driver failures into HubStoreError.
   * @param operation - What is being done, for the error.
   * @param run - The operation.
   * @returns Its result.
   */
  protected async guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof SkeinError) throw error;
      throw new HubStoreError(`The Hub store failed to ${operation}: ${(error as Error).message}`, {
        engine: this.engine,
        operation,
        cause: error,
      });
    }
  }
}
