import { ParticipantFailed } from '../errors';

/**
 * What this participant knows of the others' liveness (status sync): a participant whose question failed (its
 * exception event) or went silent (lost heartbeat) is recorded once, and every pending wait is woken so that it ends
 * at once instead of running to its timeout.
 */
export class ParticipantStatus {
  private readonly failures = new Map<string, ParticipantFailed>();
  private readonly listeners = new Set<() => void>();
  private closedError: Error | undefined;

  /**
   * Records a participant's failure and wakes the waits.
   * @param participantId - The failed participant.
   * @param cause - Its exception or the heartbeat timeout.
   */
  fail(participantId: string, cause: unknown): void {
    if (this.failures.has(participantId)) return;
    this.failures.set(participantId, new ParticipantFailed(participantId, { cause }));
    this.wakeAll();
  }

  /**
   * Ends every wait with `error` (the federation is closing).
   * @param error - What the waits end with.
   */
  close(error: Error): void {
    this.closedError ??= error;
    this.wakeAll();
  }

  /** @returns The failure of a participant, if it failed. */
  failureOf(participantId: string): ParticipantFailed | undefined {
    return this.failures.get(participantId);
  }

  /** @throws The closing error, when the federation has closed. */
  assertOpen(): void {
    if (this.closedError !== undefined) throw this.closedError;
  }

  /**
   * Subscribes a wait to failures and closing.
   * @param wake - Called on each.
   * @returns The unsubscribe function.
   */
  subscribe(wake: () => void): () => void {
    this.listeners.add(wake);
    return () => this.listeners.delete(wake);
  }

  private wakeAll(): void {
    for (const wake of [...this.listeners]) wake();
  }
}
