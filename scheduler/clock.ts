/**
 * The source of time for triggers and batch timestamps, injected so tests run on a
 * {@link ManualClock} deterministically.
 *
 * Contract: `now()` is milliseconds since the epoch and never goes backwards.
 * `sleep(ms, signal)` resolves true once `now()` has advanced by at least `ms`, or false
 * as soon as `signal` aborts (at once if it already has); it never rejects and never
 * busy-waits.
 */
export interface Clock {
  /** Current time, ms since the epoch. */
  now(): number;
  /** Waits `ms`; false when cut short by `signal`. */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
}
