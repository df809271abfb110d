import type {
  AttributeSources,
  ChildPrimitive,
  ErrorClass,
  ManifestPrimitive,
  SaveDiagnostics,
} from '../../core/events';
import type { ObjectStore } from '../../core/ports/object-store';
import type { Transport } from '../../core/ports/transport';
import type { Manifest } from '../../core/resources';
import type { Clock } from '../clock';
import type { MonitorMessageHandler, QuestionAnswer } from '../event-handler';
import type { LocationAllowances } from '../location-allowances';
import type { Logger } from '../logging';

/**
 * Everything a {@link Child} is built from: the child's id, the ports to reach it, and what the output manifests of
 * its answers may name (`allowedLocalRoots`, `allowedUrlHosts`, `allowedBuckets`: the options a service has for its
 * questions' input manifests; by default no local path and no unsigned URL is read, any bucket is).
 */
export interface ChildOptions extends LocationAllowances {
  /** The child's SRUID, e.g. `acme/elevation:1.2.0` (a revision tag is needed to ask it). */
  readonly id: string;
  /** Where questions are published and answers received. */
  readonly transport: Transport;
  /** For signing input manifests' cloud datasets and loading output manifests' `gs://` datasets. */
  readonly objectStore?: ObjectStore;
  /**
   * The SRUID the questions come from (the asking service), which answers are addressed to. Default
   * `local/local:local` (Octue's `internal_sruid`); a Runner passes its own service's SRUID.
   */
  readonly parentSruid?: string;
  /** Where the Child logs and re-emits the child's log records. Default: a logger with no sinks. */
  readonly logger?: Logger;
  /** Timers for the overall timeout and the heartbeat watchdog; default the system clock. */
  readonly clock?: Clock;
  /** Clock and UUID sources for question attributes. */
  readonly attributeSources?: AttributeSources;
  /** Further error classes the child's exceptions may be re-created as (e.g. an app's own errors). */
  readonly errorClasses?: readonly ErrorClass[];
  /**
   * Milliseconds the Child keeps its shared answer subscription after the last waiting question finished, so
   * questions asked one after another reuse it (default 2000; `0` deletes it as soon as no question waits).
   */
  readonly answerSubscriptionLingerMs?: number;
}

/** An error class or an error name that stops retries (`error instanceof cls`, or `error.name === name`). */
export type ErrorMatcher = string | (abstract new (...args: never[]) => Error);

/** Settings of retries and error reporting, which `askMultiple` sets for all questions and each question may override. */
export interface ErrorHandlingOptions {
  /** Throw the error of a failed question (default true); when false, the error is returned as the answer. */
  readonly raiseErrors?: boolean;
  /** With `raiseErrors: false`, ask a failed question again up to this many times (default 0). */
  readonly maxRetries?: number;
  /** With `raiseErrors: false`, errors matching any of these are returned at once, without retries. */
  readonly preventRetriesWhen?: readonly ErrorMatcher[];
  /** With `raiseErrors: false`, log the error that remains after the last retry (default true). */
  readonly logErrors?: boolean;
}

/** One question to a child: Octue's `Child.ask` keyword arguments, in camelCase, with Octue's defaults. */
export interface ChildAskOptions extends ErrorHandlingOptions {
  /** Input values (any JSON), checked by the child against its `input_values_schema`. */
  readonly inputValues?: unknown;
  /** The input manifest: a Manifest or its primitive. Its cloud datasets are sent as signed URLs. */
  readonly inputManifest?: Manifest | ManifestPrimitive | null;
  /** Children for the child to use instead of its own (`{key, id, backend}`). */
  readonly children?: readonly ChildPrimitive[] | null;
  /** Ask the child to forward its log records (default true). */
  readonly subscribeToLogs?: boolean;
  /** Allow datasets or files that are not in the cloud in the input manifest (default false). */
  readonly allowLocalFiles?: boolean;
  /**
   * Hosts (`host` or `host:port`) whose unsigned `http(s)://` URLs an input manifest primitive may name; loading it
   * fetches them. Default none: only signed Cloud Storage URLs (and the object store's own) are fetched.
   */
  readonly allowedUrlHosts?: readonly string[];
  /** Receives each monitor message's data. */
  readonly handleMonitorMessage?: MonitorMessageHandler;
  /** Keep the events received in `child.receivedEvents` (default true). */
  readonly recordEvents?: boolean;
  /** When the child should save diagnostics (default `SAVE_DIAGNOSTICS_ON_CRASH`). */
  readonly saveDiagnostics?: SaveDiagnostics;
  /** The question's uuid; default a new UUID4. */
  readonly questionUuid?: string;
  /** The question whose analysis asks this one. */
  readonly parentQuestionUuid?: string;
  /** The root question of the tree; default this question. */
  readonly originatorQuestionUuid?: string;
  /**
   * Skein-only `skein_…` Pub/Sub attributes for the question (Octue peers ignore them), e.g. the federation context.
   * Each value is at most 1024 bytes.
   */
  readonly extensionAttributes?: Readonly<Record<string, string>>;
  /** The SRUID of the root service; default the parent SRUID. */
  readonly originator?: string;
  /** Push answer events to this URL (a push subscription is made and returned) instead of waiting for them. */
  readonly pushEndpoint?: string;
  /** Return right after publishing, without an answer subscription (fetch events later from the event store). */
  readonly asynchronous?: boolean;
  /** Which attempt this is (0 for the first). */
  readonly retryCount?: number;
  /** CPUs to request (Kueue children). */
  readonly cpus?: number;
  /** Memory to request, e.g. `1Gi`. */
  readonly memory?: string;
  /** Ephemeral storage to request, e.g. `1Gi`. */
  readonly ephemeralStorage?: string;
  /** Seconds to wait for the result; `null` waits for ever. Default 86 400 (one day). */
  readonly timeout?: number | null;
  /**
   * Seconds allowed without a heartbeat from the child before giving up, counted from the last heartbeat (else the
   * first delivery acknowledgement, else the question). Default 360.
   */
  readonly maximumHeartbeatInterval?: number;
}

/** What `ask` resolves with (Octue's `(answer, question_uuid)`); it satisfies the service layer's `ChildAnswer`. */
export type AskResult<A = QuestionAnswer | Error | null> = {
  /**
   * The answer of a synchronous question; the error instead when it failed with `raiseErrors: false`; `null` for an
   * asynchronous question or one with a push endpoint.
   */
  readonly answer: A;
  /** The uuid of the (last) question asked. */
  readonly questionUuid: string;
  /** The push subscription's name, for a question with a push endpoint. */
  readonly subscription?: string;
};

/** Options of `askMultiple`: error handling for every question (each may override it) and the concurrency bound. */
export interface AskMultipleOptions extends ErrorHandlingOptions {
  /** The most questions in flight at once; default `min(32, number of questions)`. */
  readonly maxConcurrency?: number;
}

/** Options of `waitForAnswer`: what to do with the events, and the limits. */
export interface WaitForAnswerOptions {
  /** The question's uuid, for messages; default unknown. */
  readonly questionUuid?: string;
  /** Receives each monitor message's data. */
  readonly handleMonitorMessage?: MonitorMessageHandler;
  /** Keep the events received in `child.receivedEvents` (default true). */
  readonly recordEvents?: boolean;
  /** Seconds to wait for the result; `null` waits for ever. Default 86 400. */
  readonly timeout?: number | null;
  /** Seconds allowed without a heartbeat (counted as for `ChildAskOptions.maximumHeartbeatInterval`). Default 360. */
  readonly maximumHeartbeatInterval?: number;
  /** Delete the subscription when waiting ends (default true, as Octue does). */
  readonly deleteSubscription?: boolean;
}
