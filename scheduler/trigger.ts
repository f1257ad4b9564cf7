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

const TRIGGER_FORMS = "Trigger.processingTime('1 second'), Trigger.once() or Trigger.availableNow()";

/**
 * Checks a trigger given as plain data (as `writeStream.trigger(...)` accepts it) and
 * returns it normalised: a `processingTime` interval may be a number of milliseconds or a
 * duration string ('5 seconds'), and must be finite and >= 0. Throws INVALID_ARGUMENT
 * naming the bad value and the accepted forms, so `start()` rejects before any batch runs.
 */
export function checkTrigger(trigger: unknown): Trigger {
  const kind = typeof trigger === 'object' && trigger !== null ? (trigger as { kind?: unknown }).kind : undefined;
  switch (kind) {
    case 'once':
      return Trigger.once();
    case 'availableNow':
      return Trigger.availableNow();
    case 'processingTime': {
      const raw = (trigger as { intervalMs?: unknown }).intervalMs;
      if (typeof raw !== 'number' && typeof raw !== 'string')
        throw invalidArgument(`Trigger interval must be a number of milliseconds or a duration such as '1 second', got ${String(raw)}. Use ${TRIGGER_FORMS}.`);
      if (typeof raw === 'string') {
        try {
          return Trigger.processingTime(raw);
        } catch (e) {
          throw invalidArgument(`Bad trigger interval: ${(e as Error).message} Use ${TRIGGER_FORMS}.`);
        }
      }
      if (!Number.isFinite(raw) || raw < 0)
        throw invalidArgument(`Trigger interval must be a finite number of milliseconds >= 0, got ${raw}. Use ${TRIGGER_FORMS}.`);
      return Trigger.processingTime(raw);
    }
    default:
      throw invalidArgument(
        `Unknown trigger ${JSON.stringify(trigger) ?? String(trigger)}: its kind must be processingTime, once or availableNow. Use ${TRIGGER_FORMS}.`,
      );
  }
}
