/**
 * Runs `task` over `items` with at most `limit` calls in flight and returns
 * the results in input order.
 *
 * A task that rejects rejects the whole call once the tasks already running
 * have settled; callers that must not lose the other results turn failures
 * into values inside `task`.
 */
export async function mapWithConcurrency<T, R>(
  items: Iterable<T>,
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(
      `concurrency limit must be a whole number >= 1, got ${limit}`,
    );
  }
  const list = [...items];
  const results = new Array<R>(list.length);
  let next = 0;
  let failure: { error: unknown } | null = null;

  async function worker(): Promise<void> {
    while (failure === null && next < list.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await task(list[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  }

  const workers = Array.from({ length: Math.min(limit, list.length) }, worker);
  await Promise.all(workers);
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results;
}
