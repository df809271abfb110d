import { HubRequestError } from '../../errors';
import type { HubIssue } from '../../errors';
import type { GetEventsQuery } from '../store/event-store';
import { FORBIDDEN_QUERY_TEXT } from './query';

/** The most events one `GET /question-events` returns (Octue's default is 1000). */
export const MAX_EVENTS_LIMIT = 10_000;

const TEXT_PARAMETERS = ['questionUuid', 'parentQuestionUuid', 'originatorQuestionUuid'] as const;
const LIST_PARAMETERS = ['kinds', 'excludeKinds'] as const;
const BOOLEAN_PARAMETERS = ['includeBackendMetadata', 'tail'] as const;

/**
 * Parses the query string of `GET /question-events` into {@link GetEventsQuery}: `questionUuid`,
 * `parentQuestionUuid` or `originatorQuestionUuid`; `kinds` or `excludeKinds` as comma-separated lists;
 * `includeBackendMetadata` and `tail` as `true`/`false`; `limit` as a whole number up to {@link MAX_EVENTS_LIMIT}.
 * Octue's own rules (exactly one question uuid, known kinds, …) are then checked by `getEvents`.
 * @param search - The raw query string.
 * @returns The query.
 * @throws HubRequestError 400 (`keyNotAllowed` for unknown or forbidden keys, else `bad_request`).
 */
export function parseEventsQuery(search: string): GetEventsQuery {
  const issues: HubIssue[] = [];
  const query: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const [key, value] of new URLSearchParams(search)) {
    const path = [key];
    if (FORBIDDEN_QUERY_TEXT.test(key) || FORBIDDEN_QUERY_TEXT.test(value)) {
      issues.push({ path, code: 'keyNotAllowed', message: 'names JavaScript prototype machinery' });
    } else if (seen.has(key)) {
      issues.push({ path, code: 'invalid_value', message: 'is given more than once' });
    } else if ((TEXT_PARAMETERS as readonly string[]).includes(key)) {
      query[key] = value;
    } else if ((LIST_PARAMETERS as readonly string[]).includes(key)) {
      query[key] = value.split(',');
    } else if ((BOOLEAN_PARAMETERS as readonly string[]).includes(key)) {
      if (value === 'true' || value === 'false') query[key] = value === 'true';
      else issues.push({ path, code: 'invalid_value', message: 'must be true or false' });
    } else if (key === 'limit') {
      if (/^\d{1,9}$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_EVENTS_LIMIT)
        query.limit = Number(value);
      else
        issues.push({ path, code: 'invalid_value', message: `must be a whole number from 1 to ${MAX_EVENTS_LIMIT}` });
    } else {
      issues.push({ path, code: 'keyNotAllowed', message: `'${key}' is not a parameter of question-events` });
    }
    seen.add(key);
  }
  if (issues.length > 0) {
    throw new HubRequestError(`The events query is not valid: ${issues[0]?.message}.`, {
      statusCode: 400,
      code: issues.some((issue) => issue.code === 'keyNotAllowed') ? 'keyNotAllowed' : 'bad_request',
      issues,
    });
  }
  return query as GetEventsQuery;
}
