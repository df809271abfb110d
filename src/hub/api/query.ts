import { HubRequestError } from '../../errors';
import type { HubIssue } from '../../errors';
import type { FieldKind, ResourceDefinition, SortTerm } from './resources';

/** A bound value of a filter: text, a whole number or a boolean (timestamps and UUIDs travel as checked text). */
export type FilterValue = string | number | boolean;

/** One condition of the FLAME Hub's filter grammar. */
export type FilterCondition =
  | { readonly op: 'eq' | 'neq' | 'lt' | 'le' | 'gt' | 'ge'; readonly value: FilterValue }
  | { readonly op: 'contains' | 'startsWith' | 'endsWith'; readonly value: string }
  | { readonly op: 'in' | 'notIn'; readonly values: readonly FilterValue[] }
  | { readonly op: 'isNull' | 'isNotNull' };

/** A list request, checked against its resource. */
export interface ListQuery {
  /** Conditions, all of which must hold. */
  readonly filters: readonly { readonly field: string; readonly condition: FilterCondition }[];
  /** Page size: 50 when not given, and never more. */
  readonly limit: number;
  /** Records to skip. */
  readonly offset: number;
  /** Sort keys, in order. */
  readonly sort: readonly SortTerm[];
  /** The fields each record carries. */
  readonly fields: readonly string[];
  /** Related records to embed. */
  readonly include: readonly string[];
}

/** The page size when none is asked for, and the largest one served (the FLAME Hub's `maxLimit`). */
export const MAX_PAGE_LIMIT = 50;
/** The most values an `in` or `not in` filter may list. */
export const MAX_FILTER_VALUES = 100;

/**
 * Names of JavaScript's prototype machinery: never a field, relation or parameter. Any query key or value naming one
 * is refused, so no part of a query can reach an object's prototype.
 */
export const FORBIDDEN_QUERY_TEXT = /__proto__|(?:^|[^a-z0-9_])(?:constructor|prototype)(?:$|[^a-z0-9_])/i;
const FORBIDDEN = FORBIDDEN_QUERY_TEXT;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FILTER_KEY = /^filter\[([^\]]*)\]$/;

class Issues {
  readonly list: HubIssue[] = [];
  notAllowed(path: string[], message: string): undefined {
    this.list.push({ path, code: 'keyNotAllowed', message });
    return undefined;
  }
  invalid(path: string[], message: string): undefined {
    this.list.push({ path, code: 'invalid_value', message });
    return undefined;
  }
}

function parseValue(kind: FieldKind, raw: string, path: string[], issues: Issues): FilterValue | undefined {
  if (raw.includes('\0')) return issues.invalid(path, 'must not contain NUL characters');
  switch (kind) {
    case 'uuid':
      return UUID.test(raw) ? raw.toLowerCase() : issues.invalid(path, `'${raw}' is not a UUID`);
    case 'integer':
      return /^-?\d{1,15}$/.test(raw) ? Number(raw) : issues.invalid(path, `'${raw}' is not a whole number`);
    case 'boolean':
      return raw === 'true' || raw === 'false' ? raw === 'true' : issues.invalid(path, `'${raw}' is not true or false`);
    case 'timestamp':
      return /^\d{4}-\d{2}-\d{2}/.test(raw) && !Number.isNaN(Date.parse(raw))
        ? new Date(raw).toISOString()
        : issues.invalid(path, `'${raw}' is not an ISO 8601 date-time`);
    default:
      return raw;
  }
}

function parseList(kind: FieldKind, raw: string, path: string[], issues: Issues): FilterValue[] {
  const parts = raw.split(',');
  if (parts.length > MAX_FILTER_VALUES) issues.invalid(path, `lists at most ${MAX_FILTER_VALUES} values`);
  return parts.map((part) => parseValue(kind, part, path, issues)).filter((v): v is FilterValue => v !== undefined);
}

/**
 * Parses one filter value of the FLAME Hub's grammar: `v` equal, `!v` not equal, `<v` `<=v` `>v` `>=v`, `~v~`
 * contains, `v~` starts with, `~v` ends with, `a,b` in, `!a,b` not in, `null` and `!null`.
 */
function parseCondition(kind: FieldKind, raw: string, path: string[], issues: Issues): FilterCondition | undefined {
  if (raw === 'null') return { op: 'isNull' };
  if (raw === '!null') return { op: 'isNotNull' };
  const compared = /^(<=|>=|<|>)(.*)$/s.exec(raw);
  if (compared) {
    const op = ({ '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' } as const)[compared[1] as '<' | '<=' | '>' | '>='];
    if (kind === 'boolean' || kind === 'uuid') return issues.invalid(path, `${kind} fields cannot be compared`);
    const value = parseValue(kind, compared[2] as string, path, issues);
    return value === undefined ? undefined : { op, value };
  }
  const negated = raw.startsWith('!');
  const body = negated ? raw.slice(1) : raw;
  if (body.includes(',')) {
    const values = parseList(kind, body, path, issues);
    return { op: negated ? 'notIn' : 'in', values };
  }
  if (!negated && body.length > 1 && (body.startsWith('~') || body.endsWith('~'))) {
    if (kind !== 'text') return issues.invalid(path, 'only text fields can be matched with ~');
    const start = body.startsWith('~');
    const end = body.endsWith('~');
    const value = body.slice(start ? 1 : 0, end ? -1 : undefined);
    if (value.includes('\0')) return issues.invalid(path, 'must not contain NUL characters');
    return { op: start && end ? 'contains' : end ? 'startsWith' : 'endsWith', value };
  }
  const value = parseValue(kind, body, path, issues);
  return value === undefined ? undefined : { op: negated ? 'neq' : 'eq', value };
}

function parseNonNegative(raw: string, path: string[], issues: Issues, minimum: number): number | undefined {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < minimum) {
    return issues.invalid(path, `must be a whole number of at least ${minimum}`);
  }
  return Number(raw);
}

function parseSort(definition: ResourceDefinition, raw: string, issues: Issues): SortTerm[] {
  const terms: SortTerm[] = [];
  for (const token of raw.split(',')) {
    const field = token.replace(/^[-+]/, '');
    const kind = definition.fields[field];
    if (kind === undefined || kind === 'json' || terms.some((t) => t.field === field)) {
      issues.notAllowed(['sort'], `'${field}' cannot be sorted by (once) in ${definition.name}`);
      continue;
    }
    terms.push({ field, direction: token.startsWith('-') ? 'desc' : 'asc' });
  }
  return terms;
}

function parseFields(definition: ResourceDefinition, raw: string | undefined, issues: Issues): string[] {
  const all = Object.keys(definition.fields);
  const defaults = all.filter((field) => !definition.optionalFields.includes(field));
  if (raw === undefined) return defaults;
  // An unencoded `+` reaches the server as a space (`?fields=+email` typed by hand); no field name has a space.
  const tokens = raw.split(',').map((token) => token.replace(/^ /, '+'));
  // Bare names pick exactly those fields; `+name` adds a field to the defaults and `-name` drops one.
  const picked = tokens.some((token) => !/^[-+]/.test(token));
  const chosen = new Set(picked ? ['id'] : defaults);
  for (const token of tokens) {
    const field = token.replace(/^[-+]/, '');
    if (definition.fields[field] === undefined) {
      issues.notAllowed(['fields'], `'${field}' is not a field of ${definition.name}`);
    } else if (token.startsWith('-') && field !== 'id') chosen.delete(field);
    else if (!token.startsWith('-')) chosen.add(field);
  }
  return all.filter((field) => chosen.has(field));
}

function parseInclude(definition: ResourceDefinition, raw: string, issues: Issues): string[] {
  const names = [...new Set(raw.split(','))];
  for (const name of names) {
    if (!definition.relations.some((relation) => relation.name === name)) {
      issues.notAllowed(['include'], `'${name}' is not a relation of ${definition.name}`);
    }
  }
  return names;
}

/**
 * Parses a request's query string for a resource, more strictly than the FLAME Hub: an unknown parameter, or a
 * filter, sort, field or include key the resource does not allow, is refused (the Hub's legacy dialect drops it and
 * returns unfiltered rows), as is any key or value naming `__proto__`, `constructor` or `prototype`, a repeated
 * parameter and a malformed value.
 * @param definition - The resource.
 * @param search - The raw query string (without `?`), or parsed parameters.
 * @param options - `list: false` for single-record requests, which take only `fields` and `include`.
 * @returns The checked query.
 * @throws HubRequestError: 400 `keyNotAllowed` for disallowed keys, 400 `bad_request` for malformed values.
 */
export function parseListQuery(
  definition: ResourceDefinition,
  search: string | URLSearchParams,
  options: { readonly list?: boolean } = {},
): ListQuery {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const issues = new Issues();
  const seen = new Set<string>();
  const single = new Map<string, string>();
  const filters: { field: string; condition: FilterCondition }[] = [];
  const list = options.list ?? true;
  for (const [key, value] of params) {
    if (FORBIDDEN.test(key) || FORBIDDEN.test(value)) {
      issues.notAllowed([key], 'names JavaScript prototype machinery');
      continue;
    }
    if (seen.has(key)) {
      issues.invalid([key], 'is given more than once');
      continue;
    }
    seen.add(key);
    const filterField = FILTER_KEY.exec(key)?.[1];
    if (list && filterField !== undefined) {
      const kind = definition.fields[filterField];
      if (kind === undefined || kind === 'json') {
        issues.notAllowed(['filter', filterField], `'${filterField}' cannot be filtered on in ${definition.name}`);
        continue;
      }
      const condition = parseCondition(kind, value, ['filter', filterField], issues);
      if (condition !== undefined) filters.push({ field: filterField, condition });
    } else if ((list && ['page[limit]', 'page[offset]', 'sort'].includes(key)) || ['fields', 'include'].includes(key)) {
      single.set(key, value);
    } else {
      issues.notAllowed([key], `'${key}' is not a query parameter of ${definition.name}${list ? '' : ' records'}`);
    }
  }
  const limitText = single.get('page[limit]');
  const offsetText = single.get('page[offset]');
  const sortText = single.get('sort');
  const includeText = single.get('include');
  const query: ListQuery = {
    filters,
    limit: Math.min(
      limitText === undefined ? MAX_PAGE_LIMIT : (parseNonNegative(limitText, ['page', 'limit'], issues, 1) ?? 0),
      MAX_PAGE_LIMIT,
    ),
    offset: offsetText === undefined ? 0 : (parseNonNegative(offsetText, ['page', 'offset'], issues, 0) ?? 0),
    sort: sortText === undefined ? [] : parseSort(definition, sortText, issues),
    fields: parseFields(definition, single.get('fields'), issues),
    include: includeText === undefined ? [] : parseInclude(definition, includeText, issues),
  };
  if (issues.list.length > 0) {
    const notAllowed = issues.list.some((issue) => issue.code === 'keyNotAllowed');
    throw new HubRequestError(`The query is not valid for ${definition.name}: ${issues.list[0]?.message}.`, {
      statusCode: 400,
      code: notAllowed ? 'keyNotAllowed' : 'bad_request',
      issues: issues.list,
    });
  }
  return query;
}
