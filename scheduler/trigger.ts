import { invalidArgument } from '../common/errors.js';
import { parseInterval } from './parse-interval.js';

/**
 * When a streaming query runs batches; plain data. `processingTime` runs a batch in every
 * interval slot (0: back to back), `once` runs one batch and stops, `availableNow` runs
 * batches until the input available at start is consumed, then stops.
 */
export type Trigger = { readonly kind: 'processingTime'; readonly intervalMs: number } | { readonly kind: 'once' } | { readonly kind: 'availableNow' };

/** Trigger constructors, as in Spark's `Trigger.ProcessingTime(...)`. */
export const Trigger = Object.freeze({
  /** A batch every `interval`: milliseconds, or a string such as '100 milliseconds', '1 second', '5 seconds'. */
  processingTime(interval: number | string): Trigger {
    const intervalMs = typeof interval === 'string' ? parseInterval(interval) : interval;
    if (!Number.isFinite(intervalMs) || intervalMs < 0) throw invalidArgument(`Trigger interval must be >= 0 ms, got ${interval}.`);
    return Object.freeze({ kind: 'processingTime', intervalMs });
  },
  /** One batch, then stop. */
  once(): Trigger {
    return Object.freeze({ kind: 'once' });
  },
  /** Everything available at start, in as many batches as read limits need, then stop. */
  availableNow(): Trigger {
    return Object.freeze({ kind: 'availableNow' });
  },
});
