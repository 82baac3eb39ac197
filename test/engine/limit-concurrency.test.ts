import { describe, expect, it } from 'vitest';
import {
  createLimiter,
  mapWithConcurrency,
} from '../../lambda/engine/limit-concurrency.js';

function tracker() {
  let active = 0;
  let peak = 0;
  return {
    async run<T>(value: T): Promise<T> {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 1));
      active -= 1;
      return value;
    },
    peak: () => peak,
  };
}

describe('mapWithConcurrency', () => {
  it('keeps input order and never exceeds the limit', async () => {
    const work = tracker();

    const results = await mapWithConcurrency(
      Array.from({ length: 40 }, (_, i) => i),
      3,
      (item) => work.run(item * 2),
    );

    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    expect(work.peak()).toBe(3);
  });

  it('rejects with the first failure', async () => {
    const act = mapWithConcurrency([1, 2, 3], 2, async (item) => {
      if (item === 2) throw new Error('boom');
      return item;
    });

    await expect(act).rejects.toThrow('boom');
  });

  it.each([0, 1.5, Number.NaN])('refuses a limit of %s', async (limit) => {
    await expect(
      mapWithConcurrency([1], limit, async (x) => x),
    ).rejects.toThrow(RangeError);
  });
});

describe('createLimiter', () => {
  it('caps tasks that arrive over time', async () => {
    const limit = createLimiter(4);
    const work = tracker();
    const pending: Promise<number>[] = [];

    for (let batch = 0; batch < 5; batch += 1) {
      for (let i = 0; i < 10; i += 1) pending.push(limit(() => work.run(i)));
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const results = await Promise.all(pending);

    expect(results).toHaveLength(50);
    expect(work.peak()).toBe(4);
  });

  it('frees the slot of a task that fails', async () => {
    const limit = createLimiter(1);

    await expect(limit(() => Promise.reject(new Error('no')))).rejects.toThrow(
      'no',
    );
    await expect(limit(() => Promise.resolve(7))).resolves.toBe(7);
  });
});
