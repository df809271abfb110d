/** An opaque handle for a repeating timer. */
export type TimerHandle = unknown;

/**
 * Time and repeating timers, injectable so heartbeats and periodic monitor messages can be tested without waiting
 * (a test clock, or jest's fake timers with {@link systemClock}).
 */
export interface Clock {
  /** The current time. */
  now(): Date;
  /**
   * Calls `callback` every `intervalMs` milliseconds, first after one interval (as Octue's `RepeatingTimer`).
   * @returns A handle for {@link Clock.clearInterval}.
   */
  setInterval(callback: () => void, intervalMs: number): TimerHandle;
  /** Stops a repeating timer; unknown or already stopped handles are ignored. */
  clearInterval(handle: TimerHandle): void;
}

/**
 * The real clock. Timers are looked up on the global object at call time (so jest's fake timers apply) and unref'd,
 * so a forgotten heartbeat never keeps the process alive.
 */
export const systemClock: Clock = {
  now: () => new Date(),
  setInterval: (callback, intervalMs) => {
    const handle = setInterval(callback, intervalMs);
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as Parameters<typeof clearInterval>[0]),
};
