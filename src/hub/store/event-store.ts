import { sql } from 'kysely';
import type { Kysely } from 'kysely';

import { decodeEvent, EVENT_KINDS, isEventKind, normaliseEventDatetime } from '../../core/events';
import type { EventKind, RecordedEvent } from '../../core/events';
import { HubRequestError } from '../../errors';
import { deriveFromEvents } from './derive';
import { fromEventRow, toEventRow } from './event-rows';
import type { EventDelivery, StoredEvent } from './event-rows';
import type { HubTables } from './tables';

/** Rows per INSERT: 16 columns each stays far below PostgreSQL's 65 535 bound parameters per statement. */
const INSERT_CHUNK = 1000;

/** An event that could not be stored, and why. */
export interface RejectedEvent {
  /** Its position in the batch. */
  readonly index: number;
  /** Why it was refused (it breaks the service-communication format). */
  readonly reason: string;
}

/** What storing a batch of events did. */
export interface IngestReport {
  /** Events stored for the first time. */
  readonly stored: number;
  /** Events already stored (redeliveries, or repeated within the batch), left as they were. */
  readonly duplicates: number;
  /** Events that break the service-communication format, and were not stored. */
  readonly rejected: readonly RejectedEvent[];
}

/**
 * Stores a batch of events idempotently by event uuid, and derives analyses, analysis nodes and analysis logs from
 * the ones not seen before, in one transaction. Invalid events are reported and left out; the rest are stored.
 * @param db - The Hub's database.
 * @param deliveries - The events, with their attributes and delivery details.
 * @returns How many were stored, already there, or refused.
 */
export async function ingestEvents(db: Kysely<HubTables>, deliveries: readonly EventDelivery[]): Promise<IngestReport> {
  const rejected: RejectedEvent[] = [];
  const unique = new Map<string, { recorded: RecordedEvent; delivery: EventDelivery }>();
  let duplicates = 0;
  deliveries.forEach((delivery, index) => {
    let recorded: RecordedEvent;
    try {
      recorded = decodeEvent({ event: delivery.event, attributes: delivery.attributes });
    } catch (error) {
      rejected.push({ index, reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (unique.has(recorded.attributes.uuid)) duplicates += 1;
    else unique.set(recorded.attributes.uuid, { recorded, delivery });
  });
  // Rows go in uuid order, so two batches sharing events take their row locks in the same order and cannot deadlock.
  const entries = [...unique.values()].sort((a, b) =>
    a.recorded.attributes.uuid < b.recorded.attributes.uuid ? -1 : 1,
  );
  if (entries.length === 0) return { stored: 0, duplicates, rejected };
  const fresh = await db.transaction().execute(async (trx) => {
    const inserted = new Set<string>();
    for (let start = 0; start < entries.length; start += INSERT_CHUNK) {
      const rows = entries
        .slice(start, start + INSERT_CHUNK)
        .map(({ recorded, delivery }) => toEventRow(recorded, delivery.backendMetadata));
      const returned = await trx
        .insertInto('events')
        .values(rows)
        .onConflict((oc) => oc.column('uuid').doNothing())
        .returning('uuid')
        .execute();
      for (const { uuid } of returned) inserted.add(uuid);
    }
    const newEvents = entries
      .map(({ recorded }) => recorded)
      .filter((recorded) => inserted.has(recorded.attributes.uuid))
      .sort((a, b) => (a.attributes.datetime < b.attributes.datetime ? -1 : 1));
    await deriveFromEvents(trx, newEvents);
    return newEvents.length;
  });
  return { stored: fresh, duplicates: duplicates + entries.length - fresh, rejected };
}

/** Which events {@link getEvents} returns; exactly one of the three question uuids must be given (Octue's rule). */
export interface GetEventsQuery {
  /** The events of this question. */
  readonly questionUuid?: string;
  /** The events of the questions this question asked (not its own). */
  readonly parentQuestionUuid?: string;
  /** The events of the whole question tree this question started (its own included). */
  readonly originatorQuestionUuid?: string;
  /** Only these kinds. Not with `excludeKinds`. */
  readonly kinds?: readonly string[];
  /** All kinds but these. Not with `kinds`. */
  readonly excludeKinds?: readonly string[];
  /** Add `backend` and `backend_metadata` to each event. Default false. */
  readonly includeBackendMetadata?: boolean;
  /** When there are more than `limit` events, return the latest ones (else the earliest). Default true. */
  readonly tail?: boolean;
  /** The most events to return. Default 1000. */
  readonly limit?: number;
}

function badQuery(message: string, path: string): HubRequestError {
  return new HubRequestError(message, {
    statusCode: 400,
    code: 'bad_request',
    issues: [{ path: [path], code: 'invalid', message }],
  });
}

function checkKinds(kinds: readonly string[] | undefined, name: string): readonly EventKind[] | undefined {
  if (kinds === undefined || kinds.length === 0) return undefined;
  for (const kind of kinds) {
    if (!isEventKind(kind)) {
      throw badQuery(`All items in \`${name}\` must be one of ${EVENT_KINDS.join(', ')}; received '${kind}'.`, name);
    }
  }
  return kinds as readonly EventKind[];
}

/**
 * Gets stored events as Octue's `get_events` does: the events of one question, of the questions one question asked,
 * or of a whole question tree; optionally only some kinds, or all but some; in ascending time order, at most `limit`
 * of them (the latest ones with `tail`, the default). Ties in time keep the order of arrival.
 * @param db - The Hub's database.
 * @param query - Which events.
 * @returns The events as `{event, attributes}` (plus `backend` and `backend_metadata` when asked); empty when there
 *   are none.
 * @throws HubRequestError (400) when not exactly one question uuid is given, both `kinds` and `excludeKinds` are, a
 *   kind is unknown or the limit is not a positive whole number.
 */
export async function getEvents(db: Kysely<HubTables>, query: GetEventsQuery): Promise<StoredEvent[]> {
  const identifiers = (['questionUuid', 'parentQuestionUuid', 'originatorQuestionUuid'] as const).filter(
    (key) => typeof query[key] === 'string' && query[key] !== '',
  );
  if (identifiers.length !== 1) {
    throw badQuery(
      'One and only one of `questionUuid`, `parentQuestionUuid`, or `originatorQuestionUuid` must be provided.',
      'questionUuid',
    );
  }
  const kinds = checkKinds(query.kinds, 'kinds');
  const excludeKinds = checkKinds(query.excludeKinds, 'excludeKinds');
  if (kinds !== undefined && excludeKinds !== undefined) {
    throw badQuery('Only one of `kinds` and `excludeKinds` can be provided at once.', 'kinds');
  }
  const limit = query.limit ?? 1000;
  if (!Number.isSafeInteger(limit) || limit < 1) throw badQuery('`limit` must be a whole number above 0.', 'limit');
  const tail = query.tail ?? true;
  const column = identifiers[0] as 'questionUuid' | 'parentQuestionUuid' | 'originatorQuestionUuid';
  const withBackend = query.includeBackendMetadata === true;
  let select = db
    .selectFrom('events')
    .select([
      'uuid',
      // As text: a Date would drop the microseconds Octue's datetimes carry.
      sql<string>`datetime::text`.as('datetime'),
      'seq',
      'kind',
      'event',
      'otherAttributes',
      'originator',
      'parent',
      'sender',
      'senderType',
      'senderSdkVersion',
      'recipient',
      'originatorQuestionUuid',
      'parentQuestionUuid',
      'questionUuid',
    ])
    .$if(withBackend, (qb) => qb.select(['backend', 'backendMetadata']))
    .where(column, '=', query[column] as string)
    .$if(kinds !== undefined, (qb) => qb.where('kind', 'in', kinds as EventKind[]))
    .$if(excludeKinds !== undefined, (qb) => qb.where('kind', 'not in', excludeKinds as EventKind[]));
  const direction = tail ? 'desc' : 'asc';
  select = select.orderBy('events.datetime', direction).orderBy('seq', direction).limit(limit);
  const rows = await select.execute();
  if (tail) rows.reverse();
  return rows.map((row) =>
    fromEventRow(Object.assign(row, { datetime: normaliseEventDatetime(row.datetime) ?? row.datetime })),
  );
}
