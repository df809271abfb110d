import { SkeinError } from './base';

/** Base for failures of the event transport (Pub/Sub or in-memory); wraps the client's error as `cause`. */
export class TransportError extends SkeinError {}

/** A message is over Pub/Sub's 10 MB limit; it was refused before publishing (the emulator would hang on it). */
export class MessageTooLarge extends TransportError {
  /** Size of the refused message in bytes. */
  readonly sizeBytes: number;
  /** The limit in bytes. */
  readonly limitBytes: number;

  /**
   * @param sizeBytes - Size of the refused message.
   * @param limitBytes - The transport's limit.
   */
  constructor(sizeBytes: number, limitBytes: number) {
    super(
      `The message is ${sizeBytes} bytes, over the ${limitBytes}-byte Pub/Sub limit; ` +
        'send large data as a dataset (in an input or output manifest) instead of in values.',
    );
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }
}

/** A message with empty data was refused (Pub/Sub push and functions-framework drop empty messages). */
export class EmptyMessage extends TransportError {}

/** The subscription already exists and `allowExisting` was not given. */
export class SubscriptionAlreadyExists extends TransportError {
  /** The subscription's name. */
  readonly subscriptionName: string;

  /**
   * @param subscriptionName - The existing subscription.
   * @param options - `cause`: the client's error, when there is one.
   */
  constructor(subscriptionName: string, options?: { cause?: unknown }) {
    super(`The subscription '${subscriptionName}' already exists.`, options);
    this.subscriptionName = subscriptionName;
  }
}

/** The topic does not exist. */
export class TopicNotFound extends TransportError {
  /** The topic's name. */
  readonly topicName: string;

  /**
   * @param topicName - The missing topic.
   * @param options - `cause`: the client's error, when there is one.
   */
  constructor(topicName: string, options?: { cause?: unknown }) {
    super(
      `The topic '${topicName}' does not exist; deploy the services (or run 'skein emulators start') first.`,
      options,
    );
    this.topicName = topicName;
  }
}

/** The subscription does not exist (subscribing needs an existing subscription). */
export class SubscriptionNotFound extends TransportError {
  /** The subscription's name. */
  readonly subscriptionName: string;

  /**
   * @param subscriptionName - The missing subscription.
   * @param options - `cause`: the client's error, when there is one.
   */
  constructor(subscriptionName: string, options?: { cause?: unknown }) {
    super(`The subscription '${subscriptionName}' does not exist; create it before subscribing.`, options);
    this.subscriptionName = subscriptionName;
  }
}

/** A topic or subscription name that Pub/Sub would refuse. */
export class InvalidResourceName extends TransportError {
  /** What was being named. */
  readonly resourceKind: 'topic' | 'subscription';
  /** The refused name. */
  readonly resourceName: string;

  /**
   * @param resourceKind - `topic` or `subscription`.
   * @param resourceName - The refused name.
   * @param detail - Why it was refused; defaults to Pub/Sub's naming rule.
   */
  constructor(resourceKind: 'topic' | 'subscription', resourceName: string, detail?: string) {
    super(
      `'${resourceName}' is not a valid Pub/Sub ${resourceKind} name. ` +
        (detail ??
          "Names start with a letter, are 3-255 characters of letters, digits and '-_.~+%', and do not start " +
            "with 'goog'."),
    );
    this.resourceKind = resourceKind;
    this.resourceName = resourceName;
  }
}

/**
 * A live subscription stopped delivering for good: it was deleted under its subscriber (e.g. the Pub/Sub emulator
 * restarted empty), or its stream ended with an error the client does not retry. Serving either re-creates it or
 * ends with this error.
 */
export class SubscriptionLost extends TransportError {
  /** The subscription's name. */
  readonly subscriptionName: string;

  /**
   * @param subscriptionName - The lost subscription.
   * @param detail - What happened, as a sentence; a default is used when omitted.
   * @param options - `cause`: the client's error, or the last error of a failed recovery.
   */
  constructor(subscriptionName: string, detail?: string, options?: { cause?: unknown }) {
    super(
      `The subscription '${subscriptionName}' stopped delivering messages` +
        (detail === undefined ? ' (it was deleted, or its connection ended for good).' : `: ${detail}`),
      options,
    );
    this.subscriptionName = subscriptionName;
  }
}

/** Publishing a message kept timing out or finding Pub/Sub unavailable, after every retry. */
export class PublishFailed extends TransportError {
  /** The topic published to. */
  readonly topicName: string;
  /** How many times the message was sent. */
  readonly attempts: number;

  /**
   * @param topicName - The topic.
   * @param attempts - How many attempts were made.
   * @param options - `cause`: the last attempt's error.
   */
  constructor(topicName: string, attempts: number, options?: { cause?: unknown }) {
    const reason = options?.cause instanceof Error ? `: ${options.cause.message}` : '.';
    super(`Publishing to '${topicName}' failed ${attempts} times${reason}`, options);
    this.topicName = topicName;
    this.attempts = attempts;
  }
}
