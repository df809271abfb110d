import { mapWithConcurrency } from '../../../apps/shared/concurrency';
import { InvalidInputException } from '../../../src/errors';

/** A promise the test settles by hand. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

describe('Function: mapWithConcurrency', () => {
  it('runs at most the limit at once and returns the results in item order', async () => {
    const gates = [gate(), gate(), gate(), gate(), gate()];
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const done = mapWithConcurrency([0, 1, 2, 3, 4], 2, async (item) => {
      started.push(item);
      running += 1;
      most = Math.max(most, running);
      await gates[item]?.promise;
      running -= 1;
      return item * 10;
    });

    await settle();
    expect(started).toEqual([0, 1]);
    gates[1]?.open();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    for (const { open } of gates) open();

    await expect(done).resolves.toEqual([0, 10, 20, 30, 40]);
    expect(most).toBe(2);
  });

  it('starts nothing after a failure, waits for the running tasks, then throws the first error', async () => {
    const slow = gate();
    let slowFinished = false;
    const started: number[] = [];
    const done = mapWithConcurrency([0, 1, 2, 3], 2, async (item) => {
      started.push(item);
      if (item === 0) {
        await slow.promise;
        slowFinished = true;
        return item;
      }
      throw new Error(`task ${item} failed`);
    });
    const outcome = done.catch((error: unknown) => error);

    await settle();
    slow.open();

    await expect(outcome).resolves.toEqual(new Error('task 1 failed'));
    expect(started).toEqual([0, 1]);
    expect(slowFinished).toBe(true);
  });

  it('returns an empty list for no items', async () => {
    await expect(mapWithConcurrency([], 3, async () => 1)).resolves.toEqual([]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the limit %p with a typed error', async (limit) => {
    await expect(mapWithConcurrency([1], limit, async () => 1)).rejects.toThrow(InvalidInputException);
  });
});
