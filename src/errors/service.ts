import { SkeinError, SkeinValidationError } from './base';
import type { ValidationFailure } from './base';

// Names match Octue's `octue.twined.exceptions` where Octue has a peer, so errors cross to Python services by class
// name (see the exception codec in src/core/events/exception-codec.ts).

/** Context carried by errors about one service. */
export interface ServiceErrorContext {
  /** The service id or SRUID concerned, e.g. `acme/child:2.1.0`. */
  readonly serviceId?: string;
  /** The underlying failure. */
  readonly cause?: unknown;
}

/** Base of the service-identity errors below; carries the service id concerned. */
export class ServiceIdentityError extends SkeinError {
  /** The service id or SRUID concerned, when known. */
  readonly serviceId: string | undefined;

  /**
   * @param message - What was wrong and what to do about it.
   * @param context - The service id and cause.
   */
  constructor(message: string, context: ServiceErrorContext = {}) {
    super(message, { cause: context.cause });
    this.serviceId = context.serviceId;
  }
}

/** A service id, SRUID or one of its parts (namespace, name, revision tag) is malformed (Octue's `InvalidServiceID`). */
export class InvalidServiceID extends ServiceIdentityError {}

/** No service with the given id exists, e.g. the services topic or a registry entry is missing. */
export class ServiceNotFound extends ServiceIdentityError {}

/** A service id was needed but none was given (Octue's `MissingServiceID`). */
export class MissingServiceID extends ServiceIdentityError {}

/** A service with the given id is already being served, e.g. its subscription already exists. */
export class ServiceAlreadyExists extends ServiceIdentityError {}

/** A service backend that Skein does not know was named (Octue's `BackendNotFound`). */
export class BackendNotFound extends SkeinError {
  /** The backend name that was given. */
  readonly backendName: string | undefined;

  /**
   * @param message - Which backend was asked for and which exist.
   * @param context - The backend name and cause.
   */
  constructor(message: string, context: { backendName?: string; cause?: unknown } = {}) {
    super(message, { cause: context.cause });
    this.backendName = context.backendName;
  }
}

/** Waiting was attempted on a subscription that pushes its messages rather than being pulled. */
export class NotAPullSubscription extends SkeinError {
  /** The subscription's name. */
  readonly subscription: string | undefined;

  /**
   * @param message - Which subscription and why it cannot be pulled.
   * @param context - The subscription name and cause.
   */
  constructor(message: string, context: { subscription?: string; cause?: unknown } = {}) {
    super(message, { cause: context.cause });
    this.subscription = context.subscription;
  }
}

/** An event or its attributes break the service-communication format; `failures` point into `{event, attributes}`. */
export class InvalidEvent extends SkeinValidationError {
  /** The event's kind, when it had a readable one. */
  readonly kind: string | undefined;

  /**
   * @param message - Summary; the failures are appended one per line.
   * @param context - The failures, the event kind and the cause (such as Ajv's error list).
   */
  constructor(
    message: string,
    context: { failures?: readonly ValidationFailure[]; kind?: string; cause?: unknown } = {},
  ) {
    super(message, { failures: context.failures, cause: context.cause, strand: 'service-communication' });
    this.kind = context.kind;
  }
}

/**
 * A question broke the service-communication schema (its manifest a string, its datasets an array, a child without an
 * id, …). A service sends it back to the parent, when the question's attributes are enough to route a response, so
 * the parent does not wait until its timeout. It crosses the wire as `ValidationError`, the class (jsonschema's) that
 * Octue raises for an event that breaks the schema; `failures` point into `{event, attributes}`.
 */
export class InvalidQuestion extends InvalidEvent {
  /** The name this error has on the wire (jsonschema's, which Octue raises), used by the exception codec. */
  static readonly wireName = 'ValidationError';
}

/**
 * No final result (or no heartbeat) arrived from a child in time. It crosses the wire as Python's built-in
 * `TimeoutError`, which is what Octue raises in the same situation.
 */
export class QuestionTimeout extends SkeinError {
  /** The name this error has on the wire (Python's built-in), used by the exception codec. */
  static readonly wireName = 'TimeoutError';

  /** The question waited for, when known. */
  readonly questionUuid: string | undefined;
  /** The limit that was exceeded, in seconds, when known. */
  readonly timeoutSeconds: number | undefined;

  /**
   * @param message - What was waited for and for how long.
   * @param context - The question UUID, the limit and cause.
   */
  constructor(message: string, context: { questionUuid?: string; timeoutSeconds?: number; cause?: unknown } = {}) {
    super(message, { cause: context.cause });
    this.questionUuid = context.questionUuid;
    this.timeoutSeconds = context.timeoutSeconds;
  }
}

/** Context of an error raised by a remote service and re-created here. */
export interface RemoteExceptionContext {
  /** The remote error's type name as sent (`exception_type`), e.g. `ValueError`. */
  readonly exceptionType?: string;
  /** The SRUID of the service that raised it. */
  readonly sender?: string;
  /** The remote traceback as sent (`exception_traceback`). */
  readonly remoteTraceback?: readonly string[];
}

/**
 * An error raised by a remote service whose type has no class here. The exception codec makes one subclass per type
 * name (e.g. a class named `ValueError`), so `error.name` is the remote type and `instanceof` works per name.
 */
export class RemoteException extends SkeinError {
  /** The remote error's type name as sent. */
  readonly exceptionType: string | undefined;
  /** The SRUID of the service that raised it. */
  readonly sender: string | undefined;
  /** The remote traceback as sent. */
  readonly remoteTraceback: readonly string[];

  /**
   * @param message - The remote message, with the remote traceback appended.
   * @param context - The remote type name, sender and traceback.
   */
  constructor(message: string, context: RemoteExceptionContext = {}) {
    super(message);
    this.exceptionType = context.exceptionType;
    this.sender = context.sender;
    this.remoteTraceback = context.remoteTraceback ?? [];
  }
}

/**
 * A service's app could not be found: its directory has no app module (`app.js`, `app.cjs`, `app.mjs` or `app.ts`),
 * or the module failed to load. It crosses the wire as Python's `ModuleNotFoundError`, which Octue raises then.
 */
export class AppNotFound extends SkeinError {
  /** The name this error has on the wire (Python's built-in), used by the exception codec. */
  static readonly wireName = 'ModuleNotFoundError';

  /** The app source that was searched, e.g. the app directory. */
  readonly appSource: string | undefined;

  /**
   * @param message - Where the app was looked for and how to fix it.
   * @param context - The app source and cause.
   */
  constructor(message: string, context: { appSource?: string; cause?: unknown } = {}) {
    super(message, { cause: context.cause });
    this.appSource = context.appSource;
  }
}

/** An app was found but is not usable: it exports no `App` class, `run` function or default export Skein can run. */
export class InvalidApp extends SkeinError {
  /** The app source concerned. */
  readonly appSource: string | undefined;

  /**
   * @param message - What the app exports and what it should export.
   * @param context - The app source and cause.
   */
  constructor(message: string, context: { appSource?: string; cause?: unknown } = {}) {
    super(message, { cause: context.cause });
    this.appSource = context.appSource;
  }
}

/** Context of a {@link SecretAccessError}. */
export interface SecretAccessErrorContext {
  /** The secret's name, e.g. `MYAPI_SECRET_KEY`. */
  readonly secretName?: string;
  /** The Google Cloud project the secret was read from. */
  readonly projectId?: string;
  /** The secret client's error, when there was one. */
  readonly cause?: unknown;
}

/**
 * A secret exists (or may exist) but could not be read: permission denied, the service unavailable, a disabled
 * version, or a payload that arrived corrupted or is not UTF-8 text. (A secret that does not exist is not an error:
 * the twine's credential check then names it.)
 */
export class SecretAccessError extends SkeinError {
  /** The secret's name, when known. */
  readonly secretName: string | undefined;
  /** The project the secret was read from, when known. */
  readonly projectId: string | undefined;

  /**
   * @param message - Which secret could not be read, why, and what to do about it.
   * @param context - The secret name, project and cause.
   */
  constructor(message: string, context: SecretAccessErrorContext = {}) {
    super(message, { cause: context.cause });
    this.secretName = context.secretName;
    this.projectId = context.projectId;
  }
}

/**
 * A Cloud Function refused a Pub/Sub delivery so that Pub/Sub delivers it again: the question could not be claimed
 * (e.g. the claims store failed), no response could be sent, or the service could not be built. Thrown by function
 * handlers so that functions-framework answers 5xx; `cause` is the underlying failure.
 */
export class RedeliveryRequested extends SkeinError {
  /** The Pub/Sub message id of the refused delivery, when known. */
  readonly messageId: string | undefined;
  /** The question's uuid, when it could be read. */
  readonly questionUuid: string | undefined;

  /**
   * @param message - Why the delivery was refused.
   * @param context - The message id, question uuid and cause.
   */
  constructor(message: string, context: { messageId?: string; questionUuid?: string; cause?: unknown } = {}) {
    super(message, { cause: context.cause });
    this.messageId = context.messageId;
    this.questionUuid = context.questionUuid;
  }
}

/**
 * A question's claim object holds something Skein did not write (not a claim, nor a claim of an older Skein), so
 * whether its question may run cannot be decided. The delivery is refused so that nothing is lost; remove or repair
 * the object.
 */
export class ClaimUnreadable extends SkeinError {
  /** The claim object's location. */
  readonly location: string | undefined;

  /**
   * @param message - Which claim could not be read and why.
   * @param context - The claim's location and cause.
   */
  constructor(message: string, context: { location?: string; cause?: unknown } = {}) {
    super(message, { cause: context.cause });
    this.location = context.location;
  }
}
