import type { Clock } from '../service';
import { onMailboxWrite } from './signals';

/** What {@link waitForMailbox} needs. */
export interface MailboxWait<T> {
  /** Reads the mailbox: a value ends the wait, `undefined` keeps waiting. May throw to end the wait with an error. */
  readonly check: () => Promise<T | undefined>;
  /** The mailbox directory whose writes wake the wait at once. */
  readonly directory: string;
  /** Epoch milliseconds after which the wait gives up (after one last check). */
  readonly deadline: number;
  readonly clock: Clock;
  /** How often to re-read the mailbox for writes by other processes. */
  readonly pollIntervalMs: number;
  /** Further wake-ups (e.g. a participant failing or the federation closing); returns its unsubscribe function. */
  readonly onInterrupt?: (wake: () => void) => () => void;
}

/**
 * Waits until `check` finds what it wants, re-reading the mailbox whenever this process writes to it (at once), on
 * every poll (writes by other processes) and on interrupts. Wake-ups compare what is stored, never counts, so no
 * arrival is missed however the mailbox changes in between.
 * @param wait - The check, the mailbox, the deadline and the timers.
 * @returns The check's value, or `undefined` when the deadline passed first.
 */
export async function waitForMailbox<T>(wait: MailboxWait<T>): Promise<T | undefined> {
  const { clock } = wait;
  let wakeUp: (() => void) | undefined;
  let dirty = false;
  const wake = (): void => {
    dirty = true;
    wakeUp?.();
  };
  const stopWrites = onMailboxWrite(wait.directory, wake);
  const stopInterrupts = wait.onInterrupt?.(wake);
  const poll = clock.setInterval(wake, wait.pollIntervalMs);
  try {
    for (;;) {
      dirty = false;
      const found = await wait.check();
      if (found !== undefined) return found;
      if (clock.now().getTime() >= wait.deadline) return undefined;
      if (!dirty) {
        await new Promise<void>((resolve) => {
          wakeUp = resolve;
          // One-shot deadline timer, made from the clock's repeating timer so tests can drive it.
          const remaining = Math.max(1, wait.deadline - clock.now().getTime());
          const timer = clock.setInterval(() => {
            clock.clearInterval(timer);
            resolve();
          }, remaining);
          const previous = resolve;
          wakeUp = () => {
            clock.clearInterval(timer);
            previous();
          };
        });
        wakeUp = undefined;
      }
    }
  } finally {
    clock.clearInterval(poll);
    stopWrites();
    stopInterrupts?.();
  }
}

/**
 * Sleeps on the clock (so tests drive it), e.g. FLAME's 1 s between ready-check rounds or a publish retry's backoff.
 * @param clock - The clock.
 * @param ms - How long.
 */
export async function pause(clock: Clock, ms: number): Promise<void> {
  await waitForMailbox({
    check: async () => undefined,
    // No mailbox is written here: only the clock ends the pause.
    directory: '',
    deadline: clock.now().getTime() + ms,
    clock,
    pollIntervalMs: ms,
  });
}
