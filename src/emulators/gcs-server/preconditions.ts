import { badRequest, GcsApiError, preconditionFailed } from './api-error';
import type { ObjectRecord } from './types';

/** Generation/metageneration conditions a request may carry (`ifGenerationMatch=0`: only if absent). */
export interface Preconditions {
  /** Succeed only if the live generation equals this (0: only if there is no live object). */
  readonly ifGenerationMatch?: number;
  /** Succeed only if the live generation differs from this (0: only if there is a live object). */
  readonly ifGenerationNotMatch?: number;
  /** Succeed only if the live metageneration equals this. */
  readonly ifMetagenerationMatch?: number;
  /** Succeed only if the live metageneration differs from this. */
  readonly ifMetagenerationNotMatch?: number;
}

const KEYS = ['GenerationMatch', 'GenerationNotMatch', 'MetagenerationMatch', 'MetagenerationNotMatch'] as const;

/**
 * Reads preconditions from a query string.
 *
 * @param query - The request's query parameters.
 * @param prefix - `if` for the target object, `ifSource` for a copy's source.
 * @returns The conditions present.
 * @throws GcsApiError 400 when a value is not a non-negative integer.
 */
export function parsePreconditions(query: URLSearchParams, prefix: 'if' | 'ifSource' = 'if'): Preconditions {
  const result: Record<string, number> = {};
  for (const key of KEYS) {
    const raw = query.get(`${prefix}${key}`);
    if (raw === null) continue;
    if (!/^\d+$/.test(raw))
      throw badRequest(`Invalid value for ${prefix}${key}: ${raw} is not a non-negative integer.`);
    result[`if${key}`] = Number(raw);
  }
  return result;
}

/** Merges two sets of conditions; `later` wins where both set one. */
export function mergePreconditions(earlier: Preconditions, later: Preconditions): Preconditions {
  return { ...earlier, ...later };
}

/**
 * Checks conditions for a write (upload, patch, delete, copy destination) against the live object.
 *
 * @param conditions - The request's conditions.
 * @param live - The current object, or undefined if there is none.
 * @throws GcsApiError 412 when a condition does not hold.
 */
export function checkPreconditions(conditions: Preconditions, live: ObjectRecord | undefined): void {
  const failure = findFailure(conditions, live);
  if (failure) throw preconditionFailed(failure);
}

/**
 * Checks conditions for a read: a failed `…NotMatch` means "you already have it" (304 Not Modified, as GCS answers
 * GETs); a failed `…Match` is 412.
 *
 * @param conditions - The request's conditions.
 * @param live - The object being read.
 * @throws GcsApiError 304 or 412.
 */
export function checkReadPreconditions(conditions: Preconditions, live: ObjectRecord): void {
  const failure = findFailure(conditions, live);
  if (!failure) return;
  if (failure.includes('NotMatch')) throw new GcsApiError('Not Modified', { status: 304, reason: 'notModified' });
  throw preconditionFailed(failure);
}

function findFailure(c: Preconditions, live: ObjectRecord | undefined): string | undefined {
  const generation = live?.generation ?? 0;
  if (c.ifGenerationMatch !== undefined && c.ifGenerationMatch !== generation) {
    return `ifGenerationMatch=${c.ifGenerationMatch}, live generation ${generation || 'none'}`;
  }
  if (c.ifGenerationNotMatch !== undefined && c.ifGenerationNotMatch === generation) {
    return `ifGenerationNotMatch=${c.ifGenerationNotMatch}, live generation ${generation || 'none'}`;
  }
  if (c.ifMetagenerationMatch !== undefined && c.ifMetagenerationMatch !== live?.metageneration) {
    return `ifMetagenerationMatch=${c.ifMetagenerationMatch}, live metageneration ${live?.metageneration ?? 'none'}`;
  }
  if (c.ifMetagenerationNotMatch !== undefined && live && c.ifMetagenerationNotMatch === live.metageneration) {
    return `ifMetagenerationNotMatch=${c.ifMetagenerationNotMatch}, live metageneration ${live.metageneration}`;
  }
  return undefined;
}
