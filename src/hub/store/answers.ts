import type { Kysely } from 'kysely';

import type { ErrorClass } from '../../core/events';
import type { ObjectStore } from '../../core/ports/object-store';
import { EventHandler } from '../../service/event-handler';
import type { MonitorMessageHandler, QuestionAnswer } from '../../service/event-handler';
import type { Logger } from '../../service/logging';
import { getEvents } from './event-store';
import type { HubTables } from './tables';

/** Options for {@link getAnswer}: what a replay does with what it meets on the way to the answer. */
export interface GetAnswerOptions {
  /** Receives each monitor message's data, in order. */
  readonly handleMonitorMessage?: MonitorMessageHandler;
  /** Where the child's log records are re-emitted; default: nowhere. */
  readonly logger?: Logger;
  /** Further error classes a stored exception may be re-created as. */
  readonly errorClasses?: readonly ErrorClass[];
  /** For loading the `gs://` datasets of the answer's output manifest. */
  readonly objectStore?: ObjectStore;
}

/**
 * The most events of one question a replay reads. An answer is normally near the end of far fewer; a question with
 * more is replayed from its latest events (the result, if any, is the last).
 */
const REPLAY_LIMIT = 100_000;

/**
 * Replays a question's stored events to its answer, as Octue's `EventReplayer` does (through the same event handler a
 * waiting Child uses): monitor messages reach `handleMonitorMessage`, log records are re-emitted, a stored exception
 * is thrown as the re-created remote error, and the result becomes the answer. This is how the answer of a question
 * asked asynchronously is fetched later.
 * @param db - The Hub's database.
 * @param questionUuid - The question.
 * @param options - What to do with monitor messages and logs on the way.
 * @returns The answer, or `null` when no result has been stored (yet).
 * @throws The re-created remote error when the question's answer is an exception.
 */
export async function getAnswer(
  db: Kysely<HubTables>,
  questionUuid: string,
  options: GetAnswerOptions = {},
): Promise<QuestionAnswer | null> {
  const events = await getEvents(db, { questionUuid, limit: REPLAY_LIMIT, tail: true });
  const handler = new EventHandler({
    handleMonitorMessage: options.handleMonitorMessage,
    logger: options.logger,
    errorClasses: options.errorClasses,
    objectStore: options.objectStore,
    recordEvents: false,
    // Stored events were checked on the way in (as Octue's replayer, which does not validate either).
    validateEvents: false,
  });
  const answer = await handler.handleEvents(events);
  return answer ?? null;
}
