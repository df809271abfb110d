import { SkeinError, SkeinValidationError } from './base';
import type { ValidationFailure } from './base';

// Errors about recorded child events (Octue's `received_events` format) and crash-diagnostics fixtures, as read by
// child emulators. Octue raises plain ValueError/FileNotFoundError here; these leaves say which file and which event.

/**
 * Recorded events cannot be replayed: the list is empty, a file is not JSON or not a list of events (nor Octue's
 * `{"events": […]}` object), an event is malformed, or a recording file has no `result` or `exception` event to end
 * the replay. `failures` point into the recording, e.g. `/events/3/event/kind`.
 */
export class InvalidRecording extends SkeinValidationError {
  /** The recording file or diagnostics file concerned, when the events came from one. */
  readonly path: string | undefined;

  /**
   * @param message - Summary of what is wrong and what to do; the failures are appended one per line.
   * @param context - The file, the failures and the cause (such as the JSON parser's error).
   */
  constructor(
    message: string,
    context: { path?: string; failures?: readonly ValidationFailure[]; cause?: unknown } = {},
  ) {
    super(message, { failures: context.failures, cause: context.cause, strand: 'recorded_events' });
    this.path = context.path;
  }
}

/** A recording file or a crash-diagnostics directory does not exist or cannot be read. */
export class RecordingNotFound extends SkeinError {
  /** The path that was looked for. */
  readonly path: string;

  /**
   * @param message - What was looked for, where, and what to do.
   * @param context - The path and the file system's error.
   */
  constructor(message: string, context: { path: string; cause?: unknown }) {
    super(message, { cause: context.cause });
    this.path = context.path;
  }
}

/** Recorded events could not be written to a file (e.g. the directory is not writable). */
export class RecordingNotSaved extends SkeinError {
  /** The file that was being written. */
  readonly path: string;

  /**
   * @param message - Which file could not be written and why.
   * @param context - The path and the file system's error.
   */
  constructor(message: string, context: { path: string; cause?: unknown }) {
    super(message, { cause: context.cause });
    this.path = context.path;
  }
}
