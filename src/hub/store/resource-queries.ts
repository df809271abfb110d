import { sql } from 'kysely';
import type { ExpressionBuilder, Kysely, SelectQueryBuilder } from 'kysely';

import { normaliseEventDatetime } from '../../core/events';
import { setOwnProperty } from '../../core/json';
import { HubRequestError } from '../../errors';
import type { FilterCondition, ListQuery } from '../api/query';
import { HUB_RESOURCES, columnOf } from '../api/resources';
import type { ResourceDefinition } from '../api/resources';

/** A record as the API shows it: JSON values, timestamps as ISO 8601 text. */
export type ApiRecord = Record<string, unknown>;

// Tables are chosen at run time from the resource definitions, so these queries use Kysely's untyped form; every
// table, column and operator comes from the definitions, and every value is a bound parameter.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEb = ExpressionBuilder<any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySelect = SelectQueryBuilder<any, any, any>;

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function condition(eb: AnyEb, column: string, filter: FilterCondition) {
  const ref = eb.ref(column);
  switch (filter.op) {
    case 'eq':
      return eb(ref, '=', filter.value);
    case 'neq':
      return eb(ref, '<>', filter.value);
    case 'lt':
      return eb(ref, '<', filter.value);
    case 'le':
      return eb(ref, '<=', filter.value);
    case 'gt':
      return eb(ref, '>', filter.value);
    case 'ge':
      return eb(ref, '>=', filter.value);
    case 'contains':
      return eb(ref, 'like', `%${escapeLike(filter.value)}%`);
    case 'startsWith':
      return eb(ref, 'like', `${escapeLike(filter.value)}%`);
    case 'endsWith':
      return eb(ref, 'like', `%${escapeLike(filter.value)}`);
    case 'in':
      return eb(ref, 'in', filter.values);
    case 'notIn':
      return eb(ref, 'not in', filter.values);
    case 'isNull':
      return eb(ref, 'is', null);
    case 'isNotNull':
      return eb(ref, 'is not', null);
  }
}

function selectFields(definition: ResourceDefinition, qb: AnySelect, fields: readonly string[]): AnySelect {
  return qb.select((eb: AnyEb) =>
    fields.map((field) =>
      definition.preciseTimestamps.includes(field)
        ? sql<string>`${eb.ref(`${definition.table}.${columnOf(definition, field)}`)}::text`.as(field)
        : eb.ref(columnOf(definition, field)).as(field),
    ),
  );
}

function defaultFields(definition: ResourceDefinition): string[] {
  return Object.keys(definition.fields).filter((field) => !definition.optionalFields.includes(field));
}

const isDate = (value: unknown): value is Date => Object.prototype.toString.call(value) === '[object Date]';

function toRecord(definition: ResourceDefinition, row: Record<string, unknown>, fields: readonly string[]): ApiRecord {
  const record: ApiRecord = {};
  for (const field of fields) {
    const value = row[field];
    // Dates may come from PGlite's thread (another realm), hence no instanceof.
    let shown = isDate(value) ? value.toISOString() : value;
    if (definition.preciseTimestamps.includes(field) && typeof value === 'string') {
      shown = normaliseEventDatetime(value) ?? value;
    }
    setOwnProperty(record, field, shown);
  }
  return record;
}

async function embed(
  db: AnyDb,
  definition: ResourceDefinition,
  data: ApiRecord[],
  rows: readonly Record<string, unknown>[],
  include: readonly string[],
): Promise<void> {
  for (const name of include) {
    const relation = definition.relations.find((r) => r.name === name);
    const target = relation === undefined ? undefined : HUB_RESOURCES[relation.resource];
    if (relation === undefined || target === undefined) continue;
    // The foreign keys come from the raw rows: `fields` may have left them out of the records.
    const keys = rows.map((row) => row[relation.foreignKey]);
    const ids = [...new Set(keys.filter((id) => typeof id === 'string'))];
    const fields = defaultFields(target);
    const related =
      ids.length === 0
        ? []
        : await selectFields(target, db.selectFrom(target.table), fields)
            .where(columnOf(target, 'id'), 'in', ids)
            .execute();
    const byId = new Map(related.map((row) => [row.id, toRecord(target, row, fields)]));
    data.forEach((record, index) => setOwnProperty(record, name, byId.get(keys[index]) ?? null));
  }
}

/**
 * Lists a resource's records: filtered, sorted (then by id, so pages are stable), one page of them, with the total
 * number matching (unless `count` is false: then the total is the page's length).
 * @param db - The Hub's database.
 * @param definition - The resource.
 * @param query - The checked query.
 * @returns The page and the total.
 */
export async function listRecords(
  db: AnyDb,
  definition: ResourceDefinition,
  query: ListQuery,
  options: { readonly count?: boolean } = {},
): Promise<{ data: ApiRecord[]; total: number }> {
  const filtered = db
    .selectFrom(definition.table)
    .where((eb: AnyEb) =>
      eb.and(query.filters.map(({ field, condition: c }) => condition(eb, columnOf(definition, field), c))),
    );
  const keys = [...new Set([...query.fields, ...relationKeys(definition, query.include)])];
  let page = selectFields(definition, filtered, keys);
  const sort = query.sort.length > 0 ? query.sort : definition.defaultSort;
  for (const term of [...sort, { field: 'id', direction: 'asc' as const }]) {
    page = page.orderBy(`${definition.table}.${columnOf(definition, term.field)}`, term.direction);
  }
  const [rows, counted] = await Promise.all([
    page.limit(query.limit).offset(query.offset).execute(),
    options.count === false
      ? undefined
      : filtered.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
  ]);
  const data = rows.map((row) => toRecord(definition, row, query.fields));
  await embed(db, definition, data, rows, query.include);
  return { data, total: Number(counted?.total ?? data.length) };
}

function relationKeys(definition: ResourceDefinition, include: readonly string[]): string[] {
  return definition.relations.filter((r) => include.includes(r.name)).map((r) => r.foreignKey);
}

function idMatches(definition: ResourceDefinition, id: string): boolean {
  return definition.fields.id !== 'uuid' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

/**
 * Gets one record by id.
 * @returns The record, or `undefined` when there is none.
 */
export async function getRecord(
  db: AnyDb,
  definition: ResourceDefinition,
  id: string,
  query: Pick<ListQuery, 'fields' | 'include'>,
): Promise<ApiRecord | undefined> {
  if (!idMatches(definition, id)) return undefined;
  const { data } = await listRecords(
    db,
    definition,
    {
      filters: [{ field: 'id', condition: { op: 'eq', value: id } }],
      limit: 1,
      offset: 0,
      sort: [],
      fields: query.fields,
      include: query.include,
    },
    { count: false },
  );
  return data[0];
}

function columnsOf(definition: ResourceDefinition, values: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) setOwnProperty(row, columnOf(definition, field), value);
  return row;
}

/** Turns constraint violations into the request errors they mean; anything else is rethrown. */
function explain(error: unknown): never {
  const code = (error as { code?: unknown }).code;
  if (code === '23505') {
    throw new HubRequestError('A record with these values already exists.', {
      statusCode: 409,
      code: 'entity_already_exists',
      cause: error,
    });
  }
  if (code === '23503') {
    throw new HubRequestError('The record refers to a record that does not exist.', {
      statusCode: 400,
      code: 'bad_request',
      issues: [{ path: [], code: 'foreign_key', message: 'refers to a record that does not exist' }],
      cause: error,
    });
  }
  throw error;
}

/**
 * Creates a record from checked values.
 * @returns The new record.
 * @throws HubRequestError 409 when it would repeat a unique value, 400 when it points at a missing record.
 */
export async function createRecord(
  db: AnyDb,
  definition: ResourceDefinition,
  values: Record<string, unknown>,
): Promise<ApiRecord> {
  const inserted = await db
    .insertInto(definition.table)
    .values(columnsOf(definition, values))
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch(explain);
  return (await getRecord(db, definition, String(inserted.id), { fields: defaultFields(definition), include: [] }))!;
}

/**
 * Updates a record with checked values (fields left out stay as they are).
 * @returns The updated record, or `undefined` when there is none with this id.
 */
export async function updateRecord(
  db: AnyDb,
  definition: ResourceDefinition,
  id: string,
  values: Record<string, unknown>,
): Promise<ApiRecord | undefined> {
  if (!idMatches(definition, id)) return undefined;
  const updated = await db
    .updateTable(definition.table)
    .set(Object.assign(columnsOf(definition, values), { updatedAt: sql`now()` }))
    .where(columnOf(definition, 'id'), '=', id)
    .returning(columnOf(definition, 'id'))
    .executeTakeFirst()
    .catch(explain);
  if (updated === undefined) return undefined;
  return getRecord(db, definition, id, { fields: defaultFields(definition), include: [] });
}

/**
 * Deletes a record (and, through the schema's cascades, what belongs to it).
 * @returns The deleted record, or `undefined` when there is none with this id.
 */
export async function deleteRecord(
  db: AnyDb,
  definition: ResourceDefinition,
  id: string,
): Promise<ApiRecord | undefined> {
  const record = await getRecord(db, definition, id, { fields: defaultFields(definition), include: [] });
  if (record === undefined) return undefined;
  await db
    .deleteFrom(definition.table)
    .where(columnOf(definition, 'id'), '=', id)
    .execute()
    .catch((error: unknown) => {
      if ((error as { code?: unknown }).code !== '23503') throw error;
      throw new HubRequestError('The record is still referred to (a default revision, for example).', {
        statusCode: 409,
        code: 'entity_in_use',
        cause: error,
      });
    });
  return record;
}
