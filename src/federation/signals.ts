/**
 * In-process wake-ups for mailbox waiters. The route that writes a record and the code waiting for it often share a
 * process (always on the in-memory transport); the writer then wakes the waiters at once instead of leaving them to
 * their next poll. Waiters still re-read the mailbox on waking, so a spurious wake-up costs one read and a missed
 * one (the writer in another process) costs at most one poll interval.
 * @module
 */

const listeners = new Map<string, Set<() => void>>();

/**
 * Registers a wake-up for a mailbox directory.
 * @param key - The mailbox directory's location.
 * @param wake - Called on every write there.
 * @returns A function that removes the registration.
 */
export function onMailboxWrite(key: string, wake: () => void): () => void {
  let set = listeners.get(key);
  if (set === undefined) {
    set = new Set();
    listeners.set(key, set);
  }
  set.add(wake);
  return () => {
    set.delete(wake);
    if (set.size === 0 && listeners.get(key) === set) listeners.delete(key);
  };
}

/**
 * Wakes every waiter of a mailbox directory.
 * @param key - The mailbox directory's location.
 */
export function mailboxWritten(key: string): void {
  for (const wake of [...(listeners.get(key) ?? [])]) wake();
}
