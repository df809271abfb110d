import type { Clock } from '../service/clock';

/**
 * Calls `callback` once after `delayMs` on the injected clock (which offers only repeating timers, so tests can drive
 * every timeout without waiting).
 * @param clock - The clock.
 * @param delayMs - The delay.
 * @param callback - Called once, unless cancelled first.
 * @returns A function that cancels the call.
 */
export function callOnceAfter(clock: Clock, delayMs: number, callback: () => void): () => void {
  let done = false;
  const handle = clock.setInterval(
    () => {
      // A clock may fire a late interval several times at once; only the first counts.
      if (done) return;
      done = true;
      clock.clearInterval(handle);
      callback();
    },
    Math.max(1, delayMs),
  );
  return () => {
    done = true;
    clock.clearInterval(handle);
  };
}

/**
 * Runs async tasks one after another per key (per stream), so one process never handles two events of the same stream
 * at once; different streams run concurrently.
 */
export class PerKeyQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /**
   * @param key - The stream's transaction id.
   * @param task - The work.
   * @returns The task's result, once every earlier task of the key has settled.
   */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/** A limit on how many tasks run at once; the rest wait in call order (the `streamNoWait` pool). */
export class TaskPool {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  /** @param size - Tasks allowed to run at once. */
  constructor(private readonly size: number) {}

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }

  /** Tasks waiting for a place. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * @param task - The work.
   * @returns Its result, once it had a place and ran.
   */
  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its place straight to the next waiter, so a new caller can never slip in between.
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
