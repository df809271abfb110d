import type { SaveDiagnostics } from './kinds';

/**
 * The serialised form of a manifest as it travels in `question.input_manifest` and `result.output_manifest`
 * (Octue's manifest/0.1.0 shape: an `id` and `datasets` mapping each name to a path/URL or a dataset primitive).
 * Only the envelope is typed here; the resources module owns the full model.
 */
export interface ManifestPrimitive {
  /** The manifest's id, typically a UUID. */
  readonly id: string;
  /** Dataset name → path/URL (e.g. a signed metadata URL) or dataset primitive. */
  readonly datasets: Readonly<Record<string, unknown>>;
  /** Other fields (`name`, …) pass through unchanged. */
  readonly [key: string]: unknown;
}

/** One child a question asks its recipient to use instead of its default children. */
export interface ChildPrimitive {
  /** The key the child's twine uses for this child. */
  readonly key: string;
  /** The child's service id or SRUID. */
  readonly id: string;
  /** Where the child runs: `{name: "GCPPubSubBackend", project_id}` (older peers send `project_name`). */
  readonly backend: { readonly name: string; readonly [key: string]: unknown };
}

/**
 * A Python `logging.LogRecord` as a dictionary (`vars(record)` with `msg` interpolated and `args`/`exc_info` nulled),
 * which Python parents rebuild with `logging.makeLogRecord`. Extra keys (e.g. Python 3.12's `taskName`) pass through.
 */
export interface PythonLogRecord {
  /** Logger name, e.g. `app` or `octue.resources.analysis`. */
  readonly name: string;
  /** The message with its arguments already interpolated and ANSI escapes removed. */
  readonly msg: string;
  /** Always `null`: arguments are interpolated into `msg` before sending. */
  readonly args: null;
  /** `DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL` (or a custom level name). */
  readonly levelname: string;
  /** 10, 20, 30, 40 or 50 (or a custom level number). */
  readonly levelno: number;
  /** Full path of the source file that logged. */
  readonly pathname: string;
  /** Base name of `pathname`. */
  readonly filename: string;
  /** `filename` without its extension. */
  readonly module: string;
  /** Line number in `pathname`. */
  readonly lineno: number;
  /** Name of the function that logged. */
  readonly funcName: string | null;
  /** POSIX time of the record, in seconds (a float). */
  readonly created: number;
  /** The millisecond part of `created`. */
  readonly msecs: number;
  /** Milliseconds from the logging system's start to the record. */
  readonly relativeCreated: number;
  /** Thread id. */
  readonly thread: number | null;
  /** Thread name, e.g. `MainThread`. */
  readonly threadName: string | null;
  /** Process id. */
  readonly process: number | null;
  /** Process name, e.g. `MainProcess`. */
  readonly processName: string | null;
  /** Always `null` on the wire (exception objects are not serialisable). */
  readonly exc_info: null;
  /** The formatted exception, when the record carried one. */
  readonly exc_text: string | null;
  /** The formatted stack, when requested. */
  readonly stack_info: string | null;
  /** Any further keys of the Python record. */
  readonly [key: string]: unknown;
}

/** A question from a parent: optional inputs and optional replacement children. */
export interface QuestionEvent {
  /** Always `question`. */
  readonly kind: 'question';
  /** Input values (any JSON), checked against the child's `input_values_schema`. */
  readonly input_values?: unknown;
  /** The input manifest, its cloud datasets usually replaced by signed URLs. */
  readonly input_manifest?: ManifestPrimitive;
  /** Children for the child to use instead of its defaults. */
  readonly children?: readonly ChildPrimitive[];
}

/** The child's first response: the question arrived and parsed. */
export interface DeliveryAcknowledgementEvent {
  /** Always `delivery_acknowledgement`. */
  readonly kind: 'delivery_acknowledgement';
}

/** Sent by the child at regular intervals while it answers, so the parent keeps waiting. */
export interface HeartbeatEvent {
  /** Always `heartbeat`. */
  readonly kind: 'heartbeat';
}

/** An interim update from the child, checked against its twine's `monitor_message_schema`. */
export interface MonitorMessageEvent {
  /** Always `monitor_message`. */
  readonly kind: 'monitor_message';
  /** The update (any JSON, `null` included); required. */
  readonly data: unknown;
}

/** A log record forwarded by the child (only when the question has `forward_logs`). */
export interface LogRecordEvent {
  /** Always `log_record`. */
  readonly kind: 'log_record';
  /** The record in Python's `vars(LogRecord)` shape. */
  readonly log_record: PythonLogRecord;
}

/** An error that ended the child's answer early. */
export interface ExceptionEvent {
  /** Always `exception`. */
  readonly kind: 'exception';
  /** The error's type as a Python-style class name, e.g. `ValueError` or `InvalidValuesContents`. */
  readonly exception_type: string;
  /** `Error in <Service('<sruid>')>: <message>`. */
  readonly exception_message: string;
  /** Stack frames in Python's `traceback.format_list` form, oldest first. */
  readonly exception_traceback: readonly string[];
}

/** The child's final answer. */
export interface ResultEvent {
  /** Always `result`. */
  readonly kind: 'result';
  /** Output values (any JSON). */
  readonly output_values?: unknown;
  /** The output manifest. */
  readonly output_manifest?: ManifestPrimitive;
}

/** Any event of the service-communication protocol, discriminated by `kind`. */
export type ServiceEvent =
  | QuestionEvent
  | DeliveryAcknowledgementEvent
  | HeartbeatEvent
  | MonitorMessageEvent
  | LogRecordEvent
  | ExceptionEvent
  | ResultEvent;

/** The event type for one kind, e.g. `EventOfKind<'result'>` is {@link ResultEvent}. */
export type EventOfKind<K extends ServiceEvent['kind']> = Extract<ServiceEvent, { kind: K }>;

/** Attributes every event carries (Octue's names, decoded to their typed form). */
export interface BaseEventAttributes {
  /** A fresh UUID4 for every event. */
  readonly uuid: string;
  /** When the event was emitted: UTC in Python's `isoformat()` form, e.g. `2025-05-13T15:39:34.123456+00:00`. */
  readonly datetime: string;
  /** The question's UUID; also the Pub/Sub ordering key. */
  readonly question_uuid: string;
  /** The question whose analysis asked this one; absent for an originator question. */
  readonly parent_question_uuid?: string;
  /** The root question of the question tree (this question's UUID when it is the root). */
  readonly originator_question_uuid: string;
  /** SRUID of the service that asked the question (the same on the question and its responses). */
  readonly parent: string;
  /** SRUID of the service that asked the root question. */
  readonly originator: string;
  /** SRUID of the service that emitted this event. */
  readonly sender: string;
  /** The Octue SDK version the sender claims to speak, e.g. `0.69.0`. */
  readonly sender_sdk_version: string;
  /** SRUID of the service the event is for. */
  readonly recipient: string;
  /** Which attempt at the question this is (0 for the first); the same on every event of one attempt. */
  readonly retry_count: number;
}

/** Attributes of a `question` event (sent by a parent). */
export interface QuestionAttributes extends BaseEventAttributes {
  /** Always `PARENT`: only parents send questions. */
  readonly sender_type: 'PARENT';
  /** Whether the child should forward its log records. */
  readonly forward_logs: boolean;
  /** When the child should save the question's inputs for diagnosis. */
  readonly save_diagnostics: SaveDiagnostics;
  /** CPUs to request for the question (Kueue children); at least 1. */
  readonly cpus?: number;
  /** Memory to request, e.g. `256Mi`, `1Gi`. */
  readonly memory?: string;
  /** Ephemeral storage to request, e.g. `1Gi`. */
  readonly ephemeral_storage?: string;
}

/** Attributes of every response event (sent by a child). */
export interface ResponseAttributes extends BaseEventAttributes {
  /** Always `CHILD`. */
  readonly sender_type: 'CHILD';
}

/** Attributes of any event, discriminated by `sender_type`. */
export type EventAttributes = QuestionAttributes | ResponseAttributes;

/**
 * An event with its decoded attributes: the form Octue records (`received_events`), stores in the event store and
 * replays, and the form validated against the service-communication schema.
 */
export interface RecordedEvent<E extends ServiceEvent = ServiceEvent, A extends EventAttributes = EventAttributes> {
  /** The event. */
  readonly event: E;
  /** Its decoded attributes, without unset ones. */
  readonly attributes: A;
}
