import { SkeinError, SkeinValidationError } from './base';
import type { ValidationContext } from './base';
import { MessageTooLarge } from './transport';

/** Base for failures of a federated analysis (`skein/federation`). */
export class FederationError extends SkeinError {}

/** A participant id that is not one of the analysis's other participants was given as a receiver or sender. */
export class UnknownParticipant extends FederationError {
  /** The id that is not a participant. */
  readonly participantId: string;

  /**
   * @param participantId - The unknown id.
   * @param known - The ids that would have been accepted, for the message.
   */
  constructor(participantId: string, known: readonly string[]) {
    super(
      `'${participantId}' is not another participant of this analysis; the participants are: ` +
        `${known.length === 0 ? '(none)' : known.join(', ')}.`,
    );
    this.participantId = participantId;
  }
}

/** A message body used a key FLAME reserves for the broker's metadata (`meta`), or is not a plain object. */
export class ReservedMessageKey extends FederationError {
  /** The reserved key. */
  readonly key: string;

  /** @param key - The reserved key the body used. */
  constructor(key: string) {
    super(`Cannot use the field '${key}' in a message body: it is reserved for the message's metadata.`);
    this.key = key;
  }
}

/** A federation message is over the federation's size limit (2 MB by default); it was refused before publishing. */
export class FederationMessageTooLarge extends MessageTooLarge {
  /** The message's category. */
  readonly category: string;

  /**
   * @param sizeBytes - The encoded message's size.
   * @param limitBytes - The federation's limit (`maxMessageBytes`).
   * @param category - The message's category.
   */
  constructor(sizeBytes: number, limitBytes: number, category: string) {
    super(sizeBytes, limitBytes);
    this.message =
      `The '${category}' message is ${sizeBytes} bytes, over the federation's ${limitBytes}-byte limit; it was not ` +
      'sent. Send bulk data as intermediate data (sendIntermediateData) instead.';
    this.category = category;
  }
}

/** A received federation message or context failed its checks (hostile or malformed); it is never stored. */
export class InvalidFederationMessage extends SkeinValidationError {
  /** @param message - What was wrong. @param context - The failures and cause. */
  constructor(message: string, context: ValidationContext = {}) {
    super(message, context);
  }
}

/** The operation needs another role (e.g. `startFederation` on a node, or a second `startFederation`). */
export class FederationRoleError extends FederationError {
  /** The role of the participant that attempted it. */
  readonly role: string;

  /** @param message - What was refused and why. @param role - The caller's role. */
  constructor(message: string, role: string) {
    super(message);
    this.role = role;
  }
}

/** A participant is known to have failed (its exception event or lost heartbeat): waits on it end at once. */
export class ParticipantFailed extends FederationError {
  /** The failed participant's id (SRUID). */
  readonly participantId: string;

  /**
   * @param participantId - The failed participant.
   * @param options - `cause`: its exception, or the heartbeat timeout.
   */
  constructor(participantId: string, options?: { cause?: unknown }) {
    const reason = options?.cause instanceof Error ? `: ${options.cause.message}` : '.';
    super(`The participant '${participantId}' failed${reason}`, options);
    this.participantId = participantId;
  }
}

/** Publishing a federation message failed; the message did not reach `receiver`. */
export class FederationPublishFailed extends FederationError {
  /** The receiver the message was for. */
  readonly receiver: string;

  /** @param receiver - The receiver. @param options - `cause`: the transport's error. */
  constructor(receiver: string, options?: { cause?: unknown }) {
    super(`A federation message to '${receiver}' could not be published.`, options);
    this.receiver = receiver;
  }
}

/** The federation was closed (its analysis ended) while something waited on it. */
export class FederationClosed extends FederationError {}

/**
 * The analysis finished (this participant received `analysis_finished`, or called `analysisFinished()`): pending and
 * later waits end with this. A federated app may simply let it propagate: the federation runtime tells the Runner that
 * it ends the app normally, so the question is answered rather than failed.
 */
export class AnalysisFinished extends FederationClosed {
  /** The analysis that finished. */
  readonly analysisId: string;

  /** @param analysisId - The analysis. */
  constructor(analysisId: string) {
    super(`The federated analysis '${analysisId}' has finished.`);
    this.analysisId = analysisId;
  }
}
