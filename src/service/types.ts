import type { SaveDiagnostics } from '../core/events';
import type { SecretRedactor } from '../core/redaction';
import type { ChildRecord } from '../core/twine';
import type { LocationAllowances } from './location-allowances';
import type { LevelledSink } from './logging';

/**
 * A question an app asks a child through `analysis.children[key].ask(question)`. The Runner fills in the lineage
 * fields (the analysis is the parent question); a Child may accept more fields (retries, timeouts, …), which pass
 * through unchanged and are recorded in diagnostics.
 */
export interface ChildQuestion {
  /** Input values for the child (any JSON). */
  readonly inputValues?: unknown;
  /** The input manifest (a Manifest or its primitive). */
  readonly inputManifest?: unknown;
  /** Children the child should use instead of its own. */
  readonly children?: readonly ChildRecord[];
  /** Set by the Runner: the analysis asking (this service's question uuid). */
  readonly parentQuestionUuid?: string;
  /** Set by the Runner: the root question of the tree. */
  readonly originatorQuestionUuid?: string;
  /** Set by the Runner: the SRUID of the root service. */
  readonly originator?: string;
  readonly [option: string]: unknown;
}

/** What a child answers: its outputs (the Child may add more, such as the question uuid). */
export interface ChildAnswer {
  /**
   * The answer (`{outputValues, outputManifest}`) of a synchronous question; the error instead when the ask was told
   * not to raise errors; `null` for an asynchronous question.
   */
  readonly answer: unknown;
  /** The uuid of the question asked (of the last attempt, after retries). */
  readonly questionUuid: string;
}

/**
 * Anything an app can ask questions: a Child, a child emulator or a test double. `receivedEvents`, when present,
 * is recorded in crash diagnostics (`questions.json`), as Octue records each child's received events.
 */
export interface ChildLike {
  /** The child's service id or SRUID. */
  readonly id: string;
  /** Asks one question and resolves with the answer (or rejects with the child's error). */
  ask(question: ChildQuestion): Promise<ChildAnswer>;
  /** The events received while asking, in the recording format `{event, attributes}`. */
  readonly receivedEvents?: readonly unknown[];
  /** Releases what the child holds between questions (a Child's answer subscription); the Runner calls it after the app. */
  close?(): Promise<void>;
}

/** Error handling and concurrency for {@link AnalysisChild.askMultiple} (as `Child.askMultiple` takes them). */
export interface AnalysisAskMultipleOptions {
  /** The most questions in flight at once; default `min(32, number of questions)`. */
  readonly maxConcurrency?: number;
  /** Throw the first failure once all have finished (default true); when false, errors come back as answers. */
  readonly raiseErrors?: boolean;
  /** With `raiseErrors: false`, how often to ask a failed question again (default 0). */
  readonly maxRetries?: number;
  /** With `raiseErrors: false`, errors matching these are returned without retries. */
  readonly preventRetriesWhen?: readonly unknown[];
  /** With `raiseErrors: false`, log the error left after the last retry (default true). */
  readonly logErrors?: boolean;
}

/**
 * A child as an app sees it in `analysis.children[key]`: questions carry the analysis's lineage and are recorded for
 * diagnostics, and several questions can be asked at once with bounded concurrency.
 */
export interface AnalysisChild extends ChildLike {
  /**
   * Asks several questions, at most `maxConcurrency` at a time (Octue's `ask_multiple`).
   * @param questions - The questions; per-question error-handling fields override `options`.
   * @param options - Concurrency and error handling for all questions.
   * @returns The answers in question order.
   * @throws The first failure once every question has finished, unless `raiseErrors` is false.
   */
  askMultiple(questions: readonly ChildQuestion[], options?: AnalysisAskMultipleOptions): Promise<ChildAnswer[]>;
}

/**
 * What a {@link ChildFactory} is told besides the child's record: the asking service, its registries, and what the
 * output manifests of the child's answers may name (the asking Runner's own allowances).
 */
export interface ChildContext extends LocationAllowances {
  /** The SRUID of the service whose analysis uses the child (the asking service). */
  readonly serviceId?: string;
  /** Registries for resolving the child's revision tag. */
  readonly serviceRegistries?: readonly { readonly name: string; readonly endpoint: string }[];
}

/** Makes a child from its record (`{key, id, backend}`); the Runner calls it for each child of an analysis. */
export type ChildFactory = (record: ChildRecord, context: ChildContext) => ChildLike;

// The secret-source port lives in core so cloud adapters can implement it; re-exported here for the runtime's users.
export type { SecretSource } from '../core/ports/secrets';

/** An analysis's outputs as a service sends them in its `result` event. */
export interface AnalysisOutputs {
  /** Output values (any JSON). */
  readonly outputValues?: unknown;
  /** The output manifest: a Manifest (anything with `toPrimitive()`) or its primitive. */
  readonly outputManifest?: unknown;
}

/** What a service hands its run function for each question (Octue's `run_function` keyword arguments). */
export interface RunParams {
  /** The analysis id; the question uuid when answering. Default: a new UUID. */
  readonly analysisId?: string;
  /** The question's input values. */
  readonly inputValues?: unknown;
  /** The question's input manifest (primitive or Manifest). */
  readonly inputManifest?: unknown;
  /** Children from the question, replacing the configured ones. */
  readonly children?: unknown;
  /** When to save diagnostics; default `SAVE_DIAGNOSTICS_ON_CRASH`. */
  readonly saveDiagnostics?: SaveDiagnostics;
  /** The root question of the tree; default the analysis id. */
  readonly originatorQuestionUuid?: string;
  /** The SRUID of the root service. */
  readonly originator?: string;
  /** Receives each monitor message the app sends (after validation). */
  readonly handleMonitorMessage?: (data: unknown) => void;
  /** Extra log sinks for the run (e.g. forwarding to the parent). */
  readonly logSinks?: readonly LevelledSink[];
  /** The question's `skein_…` extension attributes (e.g. a federation context), as received: unchecked. */
  readonly extensionAttributes?: Readonly<Record<string, string>>;
  /**
   * Collects the analysis's secrets: the Runner adds the credentials it loads, so that the caller (the Service) can
   * redact them from what it sends. Default: a redactor of the run's own.
   */
  readonly redactor?: SecretRedactor;
}

/** Runs one analysis for a question (Octue's `run_function`); `Runner.run` is one. */
export type RunFunction = (params: RunParams) => Promise<AnalysisOutputs>;

/** Anything with a `run` method like the Runner's. */
export interface RunnerLike {
  run(params: RunParams): Promise<AnalysisOutputs>;
}
