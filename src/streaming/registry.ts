import type { ConsumerFactory, ObjectConsumer, StreamContext, StreamProcessingOptions } from './types';

/** A (channel, topic) pair's factory and callbacks. */
export interface Registration {
  readonly factory: ConsumerFactory;
  readonly options: StreamProcessingOptions;
}

/** A consumer this process holds, with the context it was given and the last sequence it consumed. */
export interface HeldConsumer {
  readonly consumer: ObjectConsumer;
  readonly ctx: StreamContext;
  readonly seq: number;
}

/**
 * The factories registered per (channel, topic). Names come from received messages, so they are looked up in a Map
 * (never as object keys), and a pair registers once.
 */
export class StreamRegistry {
  private readonly registrations = new Map<string, Registration>();

  /**
   * Registers (or replaces) the factory of a channel and topic.
   * @param channel - The channel.
   * @param topic - The topic.
   * @param registration - The factory and its callbacks.
   */
  register(channel: string, topic: string, registration: Registration): void {
    this.registrations.set(JSON.stringify([channel, topic]), registration);
  }

  /** @returns The registration of a channel and topic, if any. */
  get(channel: string, topic: string): Registration | undefined {
    return this.registrations.get(JSON.stringify([channel, topic]));
  }
}
