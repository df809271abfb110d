import type { ErrorClass, EventAttributes, EventKind, LogEntry } from '../../core/events';
import type { ObjectStore } from '../../core/ports/object-store';
import type { LocationPolicy, Manifest } from '../../core/resources';
import type { Logger } from '../logging';

/** A child's answer to a question: what its `result` event carried (Octue's `{"output_values", "output_manifest"}`). */
export interface QuestionAnswer {
  /** The output values (any JSON); `null` when the result had none. */
  readonly outputValues: unknown;
  /** The output manifest, loaded as a Manifest; `null` when the result had none. */
  readonly outputManifest: Manifest | null;
}

/** Receives the data of each monitor message, in the order the child sent them. */
export type MonitorMessageHandler = (data: unknown) => void | Promise<void>;

/** Options for an {@link EventHandler}; every one has Octue's default. */
export interface EventHandlerOptions {
  /** Receives each monitor message's data; without one, monitor messages are only logged. */
  readonly handleMonitorMessage?: MonitorMessageHandler;
  /** Keep every handled event in `handledEvents`, in Octue's recording format. Default true. */
  readonly recordEvents?: boolean;
  /**
   * Where the handler logs, and where child log records are re-emitted (under the child's logger name) unless
   * `handleLogEntry` is given. Default: a logger with no sinks (log records then only reach analysis log contexts).
   */
  readonly logger?: Logger;
  /**
   * Receives each child log record (already relabelled) instead of it being re-emitted through `logger`, for callers
   * that want the full record (original time, source location, process).
   */
  readonly handleLogEntry?: (entry: LogEntry) => void;
  /**
   * Check each event against the service-communication schema and skip invalid ones with a warning. Default true
   * (as for a waiting parent); a replayer of already-checked stored events may turn it off, as Octue's does.
   */
  readonly validateEvents?: boolean;
  /** Prefix re-emitted log messages with `[<sender> | <question uuid>]`. Default true. */
  readonly includeServiceMetadataInLogs?: boolean;
  /** Skip child log records whose message contains this text. */
  readonly excludeLogsContaining?: string;
  /** Record every event but handle only the `result` (faster replay). Default false. */
  readonly onlyHandleResult?: boolean;
  /**
   * Colour the `[service | question]` labels of re-emitted log messages with Octue's palette. Default false: Skein's
   * log sinks may be files, and forwarded records have escape codes stripped anyway.
   */
  readonly colourLogLabels?: boolean;
  /** Further error classes an `exception` event may be re-created as (see `exceptionEventToError`). */
  readonly errorClasses?: readonly ErrorClass[];
  /** The object store for loading `gs://` datasets of output manifests. */
  readonly objectStore?: ObjectStore;
  /**
   * What a result's output manifest may name, every location checked before anything is read or fetched (a child's
   * answer is as hostile as a question). Default: no local path, no unsigned URL (signed Cloud Storage URLs and those
   * the object store signs are accepted), any bucket.
   */
  readonly locationPolicy?: LocationPolicy;
}

/** What handling one event did. An `exception` event is not an outcome: `handle` throws the re-created error. */
export type HandleOutcome =
  /** The event was handled (or, with `onlyHandleResult`, recorded only). */
  | { readonly status: 'handled'; readonly kind: EventKind; readonly attributes: EventAttributes }
  /** The event was the result: handling is finished. */
  | { readonly status: 'result'; readonly answer: QuestionAnswer; readonly attributes: EventAttributes }
  /** The event was not handled, and not recorded. */
  | { readonly status: 'skipped'; readonly reason: SkipReason };

/** Why an event was skipped: `invalid` (it breaks the service-communication format) or `finished` (it came after the
 * result or exception). */
export type SkipReason = 'invalid' | 'finished';
