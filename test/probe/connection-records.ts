import type { TlsConnectionRecord } from '../../lambda/demo/local-tls-server.js';

/** Collects what a local TLS server saw, and waits for the next one. */
export interface ConnectionRecords {
  /** Pass to the server's `onConnectionClosed`. */
  readonly onConnectionClosed: (record: TlsConnectionRecord) => void;
  /** Resolves with the records once `count` connections have closed. */
  waitFor(count: number): Promise<readonly TlsConnectionRecord[]>;
  readonly all: readonly TlsConnectionRecord[];
}

/** Creates an empty collector. */
export function connectionRecords(): ConnectionRecords {
  const all: TlsConnectionRecord[] = [];
  let waiters: { count: number; wake: () => void }[] = [];
  return {
    all,
    onConnectionClosed: (record) => {
      all.push(record);
      const ready = waiters.filter((waiter) => waiter.count <= all.length);
      waiters = waiters.filter((waiter) => waiter.count > all.length);
      for (const waiter of ready) waiter.wake();
    },
    waitFor: (count) =>
      new Promise((resolve) => {
        const wake = () => resolve(all.slice(0, count));
        if (all.length >= count) wake();
        else waiters.push({ count, wake });
      }),
  };
}
