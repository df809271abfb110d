import { EVENT_KINDS, isEventKind } from '../../core/events';
import type { EventKind, RecordedEvent, ServiceEvent } from '../../core/events';
import { InvalidRecording } from '../../errors';
import type { ValidationFailure } from '../../errors';

/**
 * One event a child emulator replays: either recorded with its attributes (`{event, attributes}`, Octue's
 * `received_events` format) or bare (`{kind, …}`, the format of Octue's child-emulator files and diagnostics before
 * 0.41), which gets attributes when it is replayed.
 */
export type ReplayableEvent = RecordedEvent | ServiceEvent;

/** Events checked and brought to one of the two replayable forms. */
export interface NormalisedEvents {
  /** The events, in order; recorded ones are the objects given (not copies). */
  readonly events: readonly ReplayableEvent[];
  /** Whether any event is bare (needs attributes when replayed). */
  readonly hasBareEvents: boolean;
  /** The sender of the first recorded event (the child's SRUID), if any event was recorded with attributes. */
  readonly sender: string | undefined;
  /** The question uuid of the first recorded event, if any. */
  readonly questionUuid: string | undefined;
  /** The kind of the first `result` or `exception` event (where a replay stops), if there is one. */
  readonly finalKind: 'result' | 'exception' | undefined;
}

/** Where the events came from, for error messages. */
export interface EventsSource {
  /** The file the events were read from. */
  readonly path?: string;
  /** The JSON pointer of the event list inside that file (e.g. `/events`); default the document itself. */
  readonly pointer?: string;
}

// Enough failures to see a pattern; a corrupt 10 000-event file should not make a 10 000-line message.
const MAX_FAILURES = 10;
const KINDS = EVENT_KINDS.join(', ');

type Record_ = Record<string, unknown>;

// Lists this module already checked (frozen, so they cannot change afterwards), so an emulator made from the events
// of a file that `fromFile` checked, or from another emulator's events, does not check 10 000 events twice.
const checkedLists = new WeakMap<readonly ReplayableEvent[], NormalisedEvents>();

function isObject(value: unknown): value is Record_ {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a replayable event carries its attributes (`{event, attributes}`) rather than being bare. */
export function isRecordedEvent(event: ReplayableEvent): event is RecordedEvent {
  return 'event' in event;
}

// The bare formats before Octue 0.41 named the kind `type`, and sent monitor-message data JSON-encoded.
function fromLegacyMessage(entry: Record_): Record_ {
  const { type, ...rest } = entry;
  if (type === 'monitor_message' && typeof rest.data === 'string') {
    try {
      rest.data = JSON.parse(rest.data) as unknown;
    } catch {
      // Not JSON after all: replay the string as it is.
    }
  }
  return { kind: type, ...rest };
}

// The fields each kind needs for the shared event handler to do what a live child's event would make it do. The
// full schema is not applied (Octue's replayer does not validate either), so partial log records stay replayable.
function checkBody(kind: EventKind, body: Record_, pointer: string, failures: ValidationFailure[]): void {
  const fail = (at: string, message: string, keyword: string): void => {
    failures.push({ pointer: `${pointer}${at}`, message, keyword });
  };
  switch (kind) {
    case 'monitor_message':
      if (!('data' in body)) fail('', "must have required property 'data'", 'required');
      return;
    case 'log_record':
      if (!isObject(body.log_record)) fail('/log_record', 'must be an object (a Python log record)', 'type');
      else if (body.log_record.msg !== undefined && typeof body.log_record.msg !== 'string') {
        fail('/log_record/msg', 'must be string', 'type');
      }
      return;
    case 'exception':
      if (typeof body.exception_type !== 'string') fail('/exception_type', 'must be string', 'type');
      if (typeof body.exception_message !== 'string') fail('/exception_message', 'must be string', 'type');
      return;
    case 'result':
      if (body.output_manifest !== undefined && body.output_manifest !== null && !isObject(body.output_manifest)) {
        fail('/output_manifest', 'must be an object (a manifest) or null', 'type');
      }
      return;
    default:
      return;
  }
}

function checkRecorded(entry: Record_, pointer: string, failures: ValidationFailure[]): EventKind | undefined {
  const { event, attributes } = entry;
  let kind: EventKind | undefined;
  if (!isObject(event)) failures.push({ pointer: `${pointer}/event`, message: 'must be an object', keyword: 'type' });
  else if (!isEventKind(event.kind)) {
    failures.push({ pointer: `${pointer}/event/kind`, message: `must be one of: ${KINDS}`, keyword: 'enum' });
  } else {
    kind = event.kind;
    checkBody(kind, event, `${pointer}/event`, failures);
  }
  if (!isObject(attributes)) {
    failures.push({ pointer: `${pointer}/attributes`, message: 'must be an object', keyword: 'type' });
  } else {
    for (const name of ['sender', 'question_uuid'] as const) {
      if (typeof attributes[name] !== 'string') {
        failures.push({ pointer: `${pointer}/attributes/${name}`, message: 'must be string', keyword: 'type' });
      }
    }
  }
  return kind;
}

/**
 * Checks a list of events for a child emulator and brings legacy bare events (`{"type": …}`) to the current bare
 * form. Each entry must be `{event: {kind, …}, attributes: {sender, question_uuid, …}}` or a bare `{kind, …}` (or
 * `{type, …}`), with the fields its kind needs (`data` for a monitor message, a `log_record` object, an exception's
 * type and message, a result's manifest as an object).
 * @param input - The events.
 * @param source - Where they came from, for error messages.
 * @returns The events (a frozen list) and what the emulator needs to know about them.
 * @throws InvalidRecording when the list is not a list, is empty, or has malformed events (the first ten failures
 *   are listed, each with its JSON pointer).
 */
export function normaliseEvents(input: unknown, source: EventsSource = {}): NormalisedEvents {
  const known = Array.isArray(input) ? checkedLists.get(input) : undefined;
  if (known !== undefined) return known;
  const base = source.pointer ?? '';
  const where = source.path === undefined ? '' : ` in '${source.path}'`;
  if (!Array.isArray(input)) {
    throw new InvalidRecording(`The recorded events${where} must be a list of events.`, {
      path: source.path,
      failures: [{ pointer: base, message: 'must be array', keyword: 'type' }],
    });
  }
  if (input.length === 0) {
    throw new InvalidRecording(
      `A child emulator needs at least one event to replay, but the list${where} is empty. Record a question's ` +
        'events with recordEvents on (the default) and pass child.receivedEvents.',
      { path: source.path, failures: [{ pointer: base, message: 'must have at least 1 item', keyword: 'minItems' }] },
    );
  }
  const failures: ValidationFailure[] = [];
  const events: ReplayableEvent[] = new Array<ReplayableEvent>(input.length);
  let hasBareEvents = false;
  let sender: string | undefined;
  let questionUuid: string | undefined;
  let finalKind: NormalisedEvents['finalKind'];
  for (let index = 0; index < input.length && failures.length < MAX_FAILURES; index++) {
    const entry: unknown = input[index];
    const pointer = `${base}/${index}`;
    if (!isObject(entry)) {
      failures.push({ pointer, message: 'must be an object (an event)', keyword: 'type' });
      continue;
    }
    let kind: EventKind | undefined;
    if ('event' in entry) {
      kind = checkRecorded(entry, pointer, failures);
      const recorded = entry as unknown as RecordedEvent;
      events[index] = recorded;
      if (sender === undefined && kind !== undefined && typeof recorded.attributes?.sender === 'string') {
        sender = recorded.attributes.sender;
        questionUuid = recorded.attributes.question_uuid;
      }
    } else {
      const bare = 'type' in entry && !('kind' in entry) ? fromLegacyMessage(entry) : entry;
      if (!isEventKind(bare.kind)) {
        failures.push({ pointer: `${pointer}/kind`, message: `must be one of: ${KINDS}`, keyword: 'enum' });
        continue;
      }
      kind = bare.kind;
      checkBody(kind, bare, pointer, failures);
      events[index] = bare as unknown as ServiceEvent;
      hasBareEvents = true;
    }
    if (finalKind === undefined && (kind === 'result' || kind === 'exception')) finalKind = kind;
  }
  if (failures.length > 0) {
    throw new InvalidRecording(
      `The recorded events${where} cannot be replayed: each must be {event: {kind, …}, attributes: {sender, ` +
        "question_uuid, …}} (Octue's recording format) or a bare {kind, …} event.",
      { path: source.path, failures },
    );
  }
  const checked = { events: Object.freeze(events), hasBareEvents, sender, questionUuid, finalKind };
  checkedLists.set(checked.events, checked);
  return checked;
}
