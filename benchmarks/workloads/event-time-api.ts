import type { Column, ColumnLike } from '../../index.js';
import type { SluiceFunctions } from './bench-query.js';

/** Spark's `window(timeColumn, windowDuration, slideDuration?, startTime?)`: a struct column with `start` and `end`. */
export type WindowFunction = (timeColumn: ColumnLike, windowDuration: string, slideDuration?: string, startTime?: string) => Column;

/** Spark's `session_window(timeColumn, gapDuration)`: a struct column with `start` and `end` (= last event + gap). */
export type SessionWindowFunction = (timeColumn: ColumnLike, gapDuration: string | Column) => Column;

/**
 * The event-time functions of the Sluice package, looked up at run time because they are
 * being added while these workloads are written (issue 4). Each is undefined until the
 * package root exports it.
 */
interface EventTimeApi {
  readonly window?: WindowFunction;
  readonly sessionWindow?: SessionWindowFunction;
}

/** Thrown by a workload whose Sluice side needs an API the package does not export yet. */
export class ApiNotAvailableError extends Error {
  constructor(workload: string, api: string) {
    super(`${workload}: the Sluice side needs '${api}', which the package (index.ts) does not export yet; it is not available yet (issue 4).`);
    this.name = 'ApiNotAvailableError';
  }
}

/** `window` from the package root, or an {@link ApiNotAvailableError} naming the workload. */
export function windowFunction(api: SluiceFunctions, workload: string): WindowFunction {
  const fn = (api as unknown as EventTimeApi).window;
  if (typeof fn !== 'function') throw new ApiNotAvailableError(workload, 'window');
  return fn;
}

/** `sessionWindow` from the package root, or an {@link ApiNotAvailableError} naming the workload. */
export function sessionWindowFunction(api: SluiceFunctions, workload: string): SessionWindowFunction {
  const fn = (api as unknown as EventTimeApi).sessionWindow;
  if (typeof fn !== 'function') throw new ApiNotAvailableError(workload, 'sessionWindow');
  return fn;
}
