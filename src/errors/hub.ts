import { SkeinError } from './base';

/** One problem with a Hub request, in the FLAME Hub's error format (`issues: [{path, code, message}]`). */
export interface HubIssue {
  /** Where the problem is: the query or body key path, e.g. `['filter', 'name']`; empty for the request as a whole. */
  readonly path: readonly (string | number)[];
  /** A machine-readable reason, e.g. `keyNotAllowed`, `invalid_type`. */
  readonly code: string;
  /** A human-readable reason. */
  readonly message: string;
}

/** Context carried by Hub store errors. */
export interface HubStoreErrorContext {
  /** Which database the store runs on: `pglite` (embedded) or `postgres` (a server). */
  readonly engine?: 'pglite' | 'postgres';
  /** What the store was doing, e.g. `connect`, `migrate`, `ingestEvents`. */
  readonly operation?: string;
  /** The driver's error. */
  readonly cause?: unknown;
}

/** Base of the Skein Hub's errors. */
export class HubError extends SkeinError {}

/** The Hub's database could not be reached, migrated or queried; the driver's error is the `cause`. */
export class HubStoreError extends HubError {
  /** Which database the store runs on. */
  readonly engine: 'pglite' | 'postgres' | undefined;
  /** What the store was doing. */
  readonly operation: string | undefined;

  /**
   * @param message - What failed.
   * @param context - Engine, operation and cause.
   */
  constructor(message: string, context: HubStoreErrorContext = {}) {
    super(message, { cause: context.cause });
    this.engine = context.engine;
    this.operation = context.operation;
  }
}

/** A schema migration failed; the database is left at the last migration that succeeded. */
export class HubMigrationFailed extends HubStoreError {
  /** The migration that failed, e.g. `0001-initial`. */
  readonly migration: string | undefined;

  /**
   * @param message - What failed.
   * @param context - The migration's name, plus the store context.
   */
  constructor(message: string, context: HubStoreErrorContext & { migration?: string } = {}) {
    super(message, context);
    this.migration = context.migration;
  }
}

/** Context of a {@link HubRequestError}. */
export interface HubRequestErrorContext {
  /** The HTTP status the error answers with (400, 404, 409, 413, …). */
  readonly statusCode: number;
  /** The FLAME Hub error code, e.g. `bad_request`, `entity_not_found`, `keyNotAllowed`. */
  readonly code: string;
  /** Every problem found. */
  readonly issues?: readonly HubIssue[];
  /** The underlying failure. */
  readonly cause?: unknown;
}

/**
 * A Hub request (over HTTP or through the store's API) that cannot be carried out as asked: a malformed query or body,
 * a disallowed key, a missing record, a conflict. It carries what the REST API answers with.
 */
export class HubRequestError extends HubError {
  /** The HTTP status to answer with. */
  readonly statusCode: number;
  /** The FLAME Hub error code. */
  readonly code: string;
  /** Every problem found; may be empty. */
  readonly issues: readonly HubIssue[];

  /**
   * @param message - What was wrong with the request.
   * @param context - Status, code, issues and cause.
   */
  constructor(message: string, context: HubRequestErrorContext) {
    super(message, { cause: context.cause });
    this.statusCode = context.statusCode;
    this.code = context.code;
    this.issues = context.issues ?? [];
  }
}

/** A record asked for by id does not exist (404 `entity_not_found`). */
export class HubEntityNotFound extends HubRequestError {
  /** The resource asked for, e.g. `nodes`. */
  readonly resource: string;
  /** The id asked for. */
  readonly id: string;

  /**
   * @param resource - The resource asked for.
   * @param id - The id asked for.
   */
  constructor(resource: string, id: string) {
    super(`No ${resource} record has the id ${JSON.stringify(id)}.`, {
      statusCode: 404,
      code: 'entity_not_found',
    });
    this.resource = resource;
    this.id = id;
  }
}
