/**
 * Maps `items` through the async `fn` with at most `limit` calls in flight, and returns the
 * results in input order. The first rejection rejects the whole call (calls already started
 * run to completion; no new ones start). Used for per-file I/O (stat, footer reads) over
 * many small files, where one-at-a-time awaits leave the disk and the CPU idle.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T, i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const n = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: n }, worker));
  return out;
}

/** How many per-file I/O calls (stat, footer reads, schema reads) run at once. */
export const FILE_IO_CONCURRENCY = 32;
