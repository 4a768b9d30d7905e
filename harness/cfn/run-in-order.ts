/** Runs a list of resource operations the way the model schedules them: in list order, a bounded number at a time. */

/**
 * Runs `run` for each item in order, at most `concurrency` at a time (1: one after the other). Before each
 * item starts, `shouldStop()` is asked: once it says true no further item starts, and the ones in flight
 * finish, as CloudFormation lets in-progress operations finish before it rolls back.
 */
export async function runInOrder<T>(
  items: readonly T[],
  concurrency: number,
  run: (item: T) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !shouldStop()) {
      const item = items[next++];
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(items.length, 1)) }, worker));
}
