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

/**
 * Returns a function that runs tasks with at most `limit` of them in
 * flight; tasks beyond that wait in arrival order. Use it when work arrives
 * over time (regions listed one after another) but the cap is global.
 */
export function createLimiter(
  limit: number,
): <R>(task: () => Promise<R>) => Promise<R> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(
      `concurrency limit must be a whole number >= 1, got ${limit}`,
    );
  }
  let active = 0;
  const waiting: Array<() => void> = [];

  // A finished task hands its slot straight to the next waiter, so a
  // caller arriving in between cannot take it as well.
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) active -= 1;
    else next();
  };

  return async <R>(task: () => Promise<R>): Promise<R> => {
    if (active >= limit) {
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      active += 1;
    }
    try {
      return await task();
    } finally {
      release();
    }
  };
}
