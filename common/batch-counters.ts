import { AsyncLocalStorage } from 'node:async_hooks';

const STORE = new AsyncLocalStorage<Record<string, number>>();

/**
 * Runs `fn` with `counters` as the current batch's counters: everything `fn` does (across
 * awaits) that calls {@link addBatchCounter} adds to them. A streaming query runs each
 * micro-batch this way and reports the counters in its progress (`metrics`), e.g. the
 * records `fromJson` could not parse; a worker task runs its fragment this way and sends
 * the counters back with its result, where they are added to the caller's counters.
 */
export function runWithBatchCounters<T>(counters: Record<string, number>, fn: () => Promise<T>): Promise<T> {
  return STORE.run(counters, fn);
}

/** Adds `n` to the current batch's counter `name`; does nothing outside {@link runWithBatchCounters}. */
export function addBatchCounter(name: string, n: number): void {
  if (n === 0) return;
  const c = STORE.getStore();
  if (c !== undefined) c[name] = (c[name] ?? 0) + n;
}
