import { InvalidInputException } from '../../src/errors';

/**
 * Runs an async task for each item with at most `limit` running at once, and collects the results in item order.
 * After a task fails no further task starts; the ones already running are waited for (so nothing is left running
 * unobserved) and then the first failure is thrown.
 * @param items - The items.
 * @param limit - The most tasks running at once (a whole number of at least 1).
 * @param task - Runs one item; gets the item and its index.
 * @returns The results, in the order of `items`.
 * @throws InvalidInputException for a bad `limit`; the first error a task threw.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InvalidInputException(`The concurrency limit must be a whole number of at least 1; received ${limit}.`);
  }
  const results = new Array<R>(items.length);
  const failures: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (failures.length === 0 && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T, index);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  if (failures.length > 0) throw failures[0];
  return results;
}
