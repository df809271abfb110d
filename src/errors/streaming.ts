import { SkeinError } from './base';

/** Context shared by streaming errors: which stream, where. */
export interface StreamingErrorContext {
  /** The stream's transaction id, when the error concerns one stream. */
  readonly txId?: string;
  /** The stream's channel, when known. */
  readonly channel?: string;
  /** The stream's topic, when known. */
  readonly topic?: string;
  /** The underlying failure. */
  readonly cause?: unknown;
}

/** Base for failures of object streaming (`skein/streaming`). */
export class StreamingError extends SkeinError {
  /** The stream's transaction id, when the error concerns one stream. */
  readonly txId: string | undefined;
  /** The stream's channel, when known. */
  readonly channel: string | undefined;
  /** The stream's topic, when known. */
  readonly topic: string | undefined;

  /**
   * @param message - What went wrong.
   * @param context - Stream identity and cause.
   */
  constructor(message: string, context: StreamingErrorContext = {}) {
    super(message, { cause: context.cause });
    this.txId = context.txId;
    this.channel = context.channel;
    this.topic = context.topic;
  }
}

/**
 * A chunk (or the context travelling with sequence 0) is over the streaming limit. It is refused before anything is
 * sent: NVFlare learnt (#5068) that an oversized blob otherwise hangs a job instead of failing.
 */
export class ChunkTooLarge extends StreamingError {
  /** What was too large: the chunk's `data` or the stream's JSON `context`. */
  readonly part: 'data' | 'context';
  /** Its size in bytes. */
  readonly sizeBytes: number;
  /** The limit in bytes. */
  readonly limitBytes: number;

  /**
   * @param part - `data` or `context`.
   * @param sizeBytes - The refused size.
   * @param limitBytes - The limit it is over.
   * @param context - Stream identity.
   */
  constructor(part: 'data' | 'context', sizeBytes: number, limitBytes: number, context: StreamingErrorContext = {}) {
    super(
      `The stream's ${part} is ${sizeBytes} bytes, over the ${limitBytes}-byte limit; it was not sent. ` +
        (part === 'data'
          ? 'Produce smaller chunks (the default chunk size is 1 MiB).'
          : 'Keep the stream context small and send bulk data as chunks.'),
      context,
    );
    this.part = part;
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }
}

/** A producer returned something the engine cannot send (not bytes, or a timeout that is not a positive number). */
export class InvalidStreamObject extends StreamingError {}

/** A streaming option is out of range or inconsistent (e.g. a liveness interval not below the idle timeout). */
export class InvalidStreamingOption extends StreamingError {
  /** The option's name. */
  readonly option: string;

  /**
   * @param option - The option's name.
   * @param message - Why its value is refused.
   * @param context - Stream identity, when the option is per stream.
   */
  constructor(option: string, message: string, context: StreamingErrorContext = {}) {
    super(message, context);
    this.option = option;
  }
}

/** A stream feature that is part of the API but not available yet (e.g. `secure` per-recipient encryption). */
export class StreamingFeatureUnavailable extends StreamingError {}

/** The streamer was shut down: no new streams start and running ones end with TASK_ABORTED. */
export class StreamerShutDown extends StreamingError {}
