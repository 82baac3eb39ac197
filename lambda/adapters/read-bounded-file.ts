import { readFileSync, statSync } from 'node:fs';

/**
 * Largest input file read: a kubeconfig of thousands of clusters or a CA
 * bundle is far smaller, and a bound keeps `/dev/zero` or a huge file from
 * exhausting memory.
 */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/**
 * Reads a regular file of at most {@link MAX_INPUT_BYTES}.
 *
 * Devices, FIFOs and folders are refused before they are opened (reading a
 * FIFO would wait for a writer for ever).
 *
 * @throws Error whose message says what the path is and the rule.
 */
export function readBoundedFile(path: string): Buffer {
  const stats = statSync(path);
  if (!stats.isFile()) {
    throw new Error('it is not a regular file');
  }
  if (stats.size > MAX_INPUT_BYTES) {
    throw new Error(
      `it holds ${stats.size} bytes, more than the ${MAX_INPUT_BYTES} read at most`,
    );
  }
  const bytes = readFileSync(path);
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new Error(`it grew past ${MAX_INPUT_BYTES} bytes while being read`);
  }
  return bytes;
}
