/** The kinds of event services exchange (Octue's `VALID_EVENT_KINDS`); `question` is the only one a parent sends. */
export const EVENT_KINDS = [
  'question',
  'delivery_acknowledgement',
  'heartbeat',
  'log_record',
  'monitor_message',
  'exception',
  'result',
] as const;

/** One of {@link EVENT_KINDS}. */
export type EventKind = (typeof EVENT_KINDS)[number];

/**
 * Whether a value is a known event kind.
 * @param value - Any value, e.g. the `kind` of a received event.
 * @returns `true` when it is one of {@link EVENT_KINDS}.
 */
export function isEventKind(value: unknown): value is EventKind {
  return typeof value === 'string' && (EVENT_KINDS as readonly string[]).includes(value);
}

/** Who sent an event: the parent (questions) or the child (every response). */
export const SENDER_TYPES = ['PARENT', 'CHILD'] as const;

/** One of {@link SENDER_TYPES}. */
export type SenderType = (typeof SENDER_TYPES)[number];

/**
 * Whether a value is a known sender type.
 * @param value - Any value, e.g. a received `sender_type` attribute.
 * @returns `true` for `PARENT` or `CHILD`.
 */
export function isSenderType(value: unknown): value is SenderType {
  return typeof value === 'string' && (SENDER_TYPES as readonly string[]).includes(value);
}

/** When a child should save the question's inputs for diagnosis (the `save_diagnostics` question attribute). */
export const SAVE_DIAGNOSTICS_MODES = [
  'SAVE_DIAGNOSTICS_OFF',
  'SAVE_DIAGNOSTICS_ON_CRASH',
  'SAVE_DIAGNOSTICS_ON',
] as const;

/** One of {@link SAVE_DIAGNOSTICS_MODES}. */
export type SaveDiagnostics = (typeof SAVE_DIAGNOSTICS_MODES)[number];

/**
 * Whether a value is a known `save_diagnostics` mode.
 * @param value - Any value.
 * @returns `true` when it is one of {@link SAVE_DIAGNOSTICS_MODES}.
 */
export function isSaveDiagnostics(value: unknown): value is SaveDiagnostics {
  return typeof value === 'string' && (SAVE_DIAGNOSTICS_MODES as readonly string[]).includes(value);
}
