import { sql } from 'kysely';
import type { Insertable, Kysely } from 'kysely';

import type { EventAttributes, RecordedEvent } from '../../core/events';
import { deriveBuckets } from './derive-buckets';
import { toJsonb, withoutNul } from './event-rows';
import type { AnalysisLogTable, AnalysisNodeTable, AnalysisTable, HubTables } from './tables';

/** The status of a question (an analysis node) or of a question tree (an analysis), derived from its events. */
export type AnalysisStatus = 'started' | 'running' | 'executed' | 'failed';

/** Every analysis status, in lifecycle order (`executed` and `failed` are both final). */
export const ANALYSIS_STATUSES: readonly AnalysisStatus[] = ['started', 'running', 'executed', 'failed'];

const RANK: Readonly<Record<AnalysisStatus, number>> = { started: 0, running: 1, executed: 2, failed: 2 };

function statusOf(kind: string): AnalysisStatus {
  if (kind === 'question') return 'started';
  if (kind === 'result') return 'executed';
  if (kind === 'exception') return 'failed';
  return 'running';
}

/** The question an event belongs to, and the status it moves that question to. */
interface NodeMove {
  readonly status: AnalysisStatus;
  readonly retryCount: number;
  readonly datetime: string;
}

// A later attempt (a retry asks again under the same uuid) starts the question over; within one attempt the status
// only moves forward, so events that arrive out of order (a result before its delivery acknowledgement) cannot undo a
// final status.
function laterMove(current: NodeMove | undefined, next: NodeMove): NodeMove {
  if (current === undefined) return next;
  if (next.retryCount !== current.retryCount) return next.retryCount > current.retryCount ? next : current;
  if (RANK[next.status] !== RANK[current.status]) return RANK[next.status] > RANK[current.status] ? next : current;
  return next.datetime > current.datetime ? next : current;
}

const byId = <T extends { id: string }>(rows: Iterable<T>): T[] => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));

function nodeRow(attributes: EventAttributes): Insertable<AnalysisNodeTable> {
  return {
    id: attributes.question_uuid,
    analysisId: attributes.originator_question_uuid,
    parentQuestionUuid: attributes.parent_question_uuid ?? null,
    // The service answering the question: the recipient of the question, the sender of every response.
    service: attributes.sender_type === 'PARENT' ? attributes.recipient : attributes.sender,
    parent: attributes.parent,
    status: 'started',
    retryCount: attributes.retry_count,
  };
}

function logRow({ event, attributes }: RecordedEvent): Insertable<AnalysisLogTable> | undefined {
  const base = {
    id: attributes.uuid,
    analysisId: attributes.originator_question_uuid,
    analysisNodeId: attributes.question_uuid,
    kind: event.kind,
    sender: attributes.sender,
    createdAt: attributes.datetime,
  };
  if (event.kind === 'monitor_message')
    return { ...base, level: null, message: null, data: toJsonb(event.data ?? null) };
  if (event.kind !== 'log_record') return undefined;
  const record = event.log_record as unknown as Record<string, unknown>;
  return {
    ...base,
    level: typeof record.levelname === 'string' ? withoutNul(record.levelname) : null,
    message: typeof record.msg === 'string' ? withoutNul(record.msg) : null,
    data: toJsonb(record),
  };
}

/**
 * Derives analyses, analysis nodes, analysis logs and analysis buckets from newly stored events, in the ingesting
 * transaction: each event's originator question makes an analysis, its question an analysis node (whose status follows
 * the events: `started` → `running` → `executed` or `failed`), log records and monitor messages become analysis logs,
 * and the datasets of results' output manifests become analysis buckets. The
 * analyses touched are locked (in id order, so concurrent batches cannot deadlock) before their status and progress
 * are worked out again from all their nodes, so batches of one question tree arriving together derive one after the
 * other.
 * @param trx - The ingesting transaction.
 * @param events - The events this batch stored for the first time (duplicates already left out).
 */
export async function deriveFromEvents(trx: Kysely<HubTables>, events: readonly RecordedEvent[]): Promise<void> {
  if (events.length === 0) return;
  const analyses = new Map<string, Insertable<AnalysisTable>>();
  const nodes = new Map<string, Insertable<AnalysisNodeTable>>();
  const moves = new Map<string, NodeMove>();
  const logs: Insertable<AnalysisLogTable>[] = [];
  for (const recorded of events) {
    const { event, attributes } = recorded;
    const analysisId = attributes.originator_question_uuid;
    if (!analyses.has(analysisId)) {
      analyses.set(analysisId, { id: analysisId, originator: attributes.originator, status: 'started', progress: 0 });
    }
    if (!nodes.has(attributes.question_uuid)) nodes.set(attributes.question_uuid, nodeRow(attributes));
    const move = { status: statusOf(event.kind), retryCount: attributes.retry_count, datetime: attributes.datetime };
    moves.set(attributes.question_uuid, laterMove(moves.get(attributes.question_uuid), move));
    const log = logRow(recorded);
    if (log !== undefined) logs.push(log);
  }
  const analysisIds = [...analyses.keys()].sort();
  await trx
    .insertInto('analyses')
    .values(byId(analyses.values() as Iterable<{ id: string } & Insertable<AnalysisTable>>))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  await trx.selectFrom('analyses').select('id').where('id', 'in', analysisIds).orderBy('id').forUpdate().execute();
  await trx
    .insertInto('analysisNodes')
    .values(byId(nodes.values() as Iterable<{ id: string } & Insertable<AnalysisNodeTable>>))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  for (const [questionUuid, move] of [...moves].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await applyMove(trx, questionUuid, move);
  }
  for (let start = 0; start < logs.length; start += 500) {
    await trx
      .insertInto('analysisLogs')
      .values(logs.slice(start, start + 500))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  await deriveBuckets(trx, events);
  await summariseAnalyses(trx, analysisIds);
}

async function applyMove(trx: Kysely<HubTables>, questionUuid: string, move: NodeMove): Promise<void> {
  const lower = ANALYSIS_STATUSES.filter((status) => RANK[status] < RANK[move.status]);
  await trx
    .updateTable('analysisNodes')
    .set({ status: move.status, retryCount: move.retryCount, updatedAt: sql`now()` })
    .where('id', '=', questionUuid)
    .where((eb) => {
      const laterAttempt = eb('retryCount', '<', move.retryCount);
      if (lower.length === 0) return laterAttempt;
      return eb.or([laterAttempt, eb.and([eb('retryCount', '=', move.retryCount), eb('status', 'in', lower)])]);
    })
    .execute();
}

/**
 * Works out each analysis's status and progress from its nodes: the originator question's final status is the
 * analysis's; otherwise it is `running` once any question has moved past `started`. Progress is the percentage of
 * questions that have finished (100 once the originator question has).
 */
async function summariseAnalyses(trx: Kysely<HubTables>, analysisIds: readonly string[]): Promise<void> {
  const rows = await trx
    .selectFrom('analysisNodes')
    .select(['id', 'analysisId', 'status'])
    .where('analysisId', 'in', analysisIds)
    .execute();
  for (const analysisId of analysisIds) {
    const own = rows.filter((row) => row.analysisId === analysisId);
    const root = own.find((row) => row.id === analysisId)?.status as AnalysisStatus | undefined;
    const finished = own.filter((row) => RANK[row.status as AnalysisStatus] === 2).length;
    const rootFinished = root !== undefined && RANK[root] === 2;
    const status: AnalysisStatus = rootFinished
      ? root
      : own.some((row) => row.status !== 'started')
        ? 'running'
        : 'started';
    const progress = rootFinished ? 100 : own.length === 0 ? 0 : Math.floor((100 * finished) / own.length);
    await trx
      .updateTable('analyses')
      .set({ status, progress, updatedAt: sql`now()` })
      .where('id', '=', analysisId)
      .execute();
  }
}
