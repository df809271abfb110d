/**
 * Serializes async tasks per key: tasks with the same key run one after another in call order, tasks with different
 * keys run concurrently. Used by the local store so that a check-then-write (a generation precondition, a metadata
 * merge) cannot interleave with another write to the same object in this process.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Runs `task` once every earlier task with the same key has settled.
   * @param key - What to serialize on, e.g. an object's location.
   * @param task - The work to do.
   * @returns The task's result.
   */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const tail = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
    this.tails.set(key, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      // Forget the key once nothing is queued behind this task, so the map does not grow with every object touched.
      if (this.tails.get(key) === tail) {
        this.tails.delete(key);
      }
    }
  }
}
