import { promises as fs } from 'node:fs';
import path from 'node:path';

import { encodeOctueJson, fromOctuePrimitive } from '../../core/json/octue-json';
import { SecretRedactor } from '../../core/redaction';
import { InvalidRecording, RecordingNotFound, RecordingNotSaved } from '../../errors';
import { activeRedactor } from '../logging';
import { normaliseEvents } from './recorded-events';

/** What a recording file holds: the events, and the ids Octue's object form may name. */
export interface RecordingFile {
  /** The events, checked (legacy `{type, …}` events converted). */
  readonly events: readonly unknown[];
  /** The child's SRUID, from the object form's `id`. */
  readonly id: string | undefined;
  /** The asking SRUID, from the object form's `internal_sruid` (older: `internal_service_name`). */
  readonly parentSruid: string | undefined;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Parses JSON written by Skein or Octue, turning Octue's `{"_type": "set" | "datetime"}` objects back into Sets and
 * Dates as the live path's decoder does. Most recordings have none, and the tree walk is skipped for them, so large
 * recordings parse at `JSON.parse` speed.
 * @param text - The file's text.
 * @param filePath - The file, for the error.
 * @returns The parsed value.
 * @throws InvalidRecording when the text is not JSON.
 */
export function parseRecordingJson(text: string, filePath: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidRecording(`'${filePath}' is not JSON: ${(error as Error).message}.`, {
      path: filePath,
      failures: [{ pointer: '', message: 'must be JSON', keyword: 'type' }],
      cause: error,
    });
  }
  return text.includes('"_type"') ? fromOctuePrimitive(parsed) : parsed;
}

/**
 * Reads a local text file for a replay.
 * @param filePath - The file.
 * @param what - What the file should be, for the message (e.g. `recording`).
 * @returns Its text.
 * @throws RecordingNotFound when it does not exist or cannot be read.
 */
export async function readTextFile(filePath: string, what: string): Promise<string> {
  try {
    return await fs.readFile(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
    throw new RecordingNotFound(`The ${what} '${filePath}' ${reason}. Check the path.`, {
      path: filePath,
      cause: error,
    });
  }
}

/**
 * Reads a recording file: a JSON list of events, or Octue's object form `{"events": […]}` (older key `"messages"`,
 * with optional `"id"` and `"internal_sruid"`/`"internal_service_name"`). It must hold a `result` or `exception`
 * event, where a replay ends.
 * @param filePath - The file.
 * @returns The checked events and the ids the file names.
 * @throws RecordingNotFound when the file does not exist or cannot be read.
 * @throws InvalidRecording when it is not JSON, has another shape, malformed events, or no result or exception.
 */
export async function readRecordingFile(filePath: string): Promise<RecordingFile> {
  const document = parseRecordingJson(await readTextFile(filePath, 'recording file'), filePath);
  let events: unknown = document;
  let pointer = '';
  let id: string | undefined;
  let parentSruid: string | undefined;
  if (!Array.isArray(document)) {
    const record = typeof document === 'object' && document !== null ? (document as Record<string, unknown>) : {};
    const key = Array.isArray(record.events) ? 'events' : Array.isArray(record.messages) ? 'messages' : undefined;
    if (key === undefined) {
      throw new InvalidRecording(
        `'${filePath}' holds no events: a recording must be a JSON list of events or an object with an "events" list.`,
        { path: filePath, failures: [{ pointer: '/events', message: 'must be array', keyword: 'type' }] },
      );
    }
    events = record[key];
    pointer = `/${key}`;
    id = nonEmptyString(record.id);
    parentSruid = nonEmptyString(record.internal_sruid) ?? nonEmptyString(record.internal_service_name);
  }
  const normalised = normaliseEvents(events, { path: filePath, pointer });
  if (normalised.finalKind === undefined) {
    throw new InvalidRecording(
      `'${filePath}' has no result or exception event, so a replay would never finish; it looks truncated. ` +
        'Record the question again until it answers or fails.',
      {
        path: filePath,
        failures: [{ pointer, message: "must contain an event of kind 'result' or 'exception'", keyword: 'contains' }],
      },
    );
  }
  return { events: normalised.events, id, parentSruid };
}

/** Options of {@link saveRecordedEvents}. */
export interface SaveRecordedEventsOptions {
  /** Secret values to redact from the file, besides those of the analysis the call is made in. */
  readonly secrets?: Iterable<string>;
}

/**
 * Saves recorded events to a JSON file that {@link ChildEmulator.fromFile} replays, and that Octue's
 * `ChildEmulator(events=json.load(f))` accepts: the list of `{event, attributes}` as `child.receivedEvents` holds
 * them (Octue's `received_events` format), Sets and Dates in Octue's JSON form. Parent directories are created.
 *
 * The asking side's own secrets are not written: called during an analysis (an app recording its children), the
 * analysis's credentials are redacted, as are `options.secrets`. The child's secrets are the child's to redact, which a
 * Skein child does before sending anything; the asking side cannot know them.
 * @param filePath - Where to write (an existing file is replaced).
 * @param events - The events, usually `child.receivedEvents` after an ask.
 * @param options - Further secrets to redact.
 * @throws InvalidRecording when there are no events (e.g. before the first ask, or with `recordEvents: false`) or an
 *   event is malformed.
 * @throws RecordingNotSaved when the file cannot be written.
 */
export async function saveRecordedEvents(
  filePath: string,
  events: readonly unknown[] | undefined,
  options: SaveRecordedEventsOptions = {},
): Promise<void> {
  normaliseEvents(events ?? [], { path: filePath });
  const redactor = new SecretRedactor([...(activeRedactor()?.values ?? []), ...(options.secrets ?? [])]);
  const text = `${redactor.redactJson(encodeOctueJson(events, { indent: 2 }), { indent: 2 })}\n`;
  try {
    await fs.mkdir(path.dirname(filePath), { recursive: true });
    await fs.writeFile(filePath, text, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RecordingNotSaved(
      `The recorded events could not be written to '${filePath}' (${code ?? String(error)}). Check that the ` +
        'directory is writable.',
      { path: filePath, cause: error },
    );
  }
}
