/**
 * Closures given to `udf(fn, type)` live here, in the thread that created them (the
 * driver), under a numeric id that plans carry instead of the function. Worker threads
 * have their own, empty registry: a plan that would run an inline closure there is refused
 * (see engine/udf/check-shippable.ts).
 */
const closures = new Map<number, (...args: never[]) => unknown>();
let nextId = 1;

/** Keeps `fn` for this thread and returns its id. */
export function registerInlineUdf(fn: (...args: never[]) => unknown): number {
  const id = nextId++;
  closures.set(id, fn);
  return id;
}

/** The closure registered under `id` in this thread, or undefined (always, in a worker thread). */
export function inlineUdf(id: number): ((...args: never[]) => unknown) | undefined {
  return closures.get(id);
}
