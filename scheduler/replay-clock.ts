import { invalidArgument } from '../common/errors.js';
import type { Clock } from './clock.js';

/** Options of {@link ReplayClock}. */
export interface ReplayClockOptions {
  /**
   * Simulated time at the start, ms since the epoch. Default: the first release time of the
   * replay sources of the query (each calls {@link ReplayClock.includeRange} when created).
   */
  readonly startMs?: number;
  /** Simulated ms per wall ms (60: one hour of event time per minute), or `'max'`: no waiting at all. */
  readonly speed: number | 'max';
  /** Wall clock for pacing (tests inject one); default `Date.now`. */
  readonly wallNow?: () => number;
}

/**
 * The simulated processing time of a replay: a {@link Clock} whose time starts at the
 * replay's first event time and moves only when the query sleeps. `sleep(ms)` moves the
 * simulated time forward by exactly `ms` (so every trigger slot, batch timestamp,
 * processing-time timer and idle timeout falls where it would have fallen live), and
 * before doing so waits until the wall clock has caught up with the pace: at speed N the
 * simulated time T is reached at wall time `wallStart + (T - startMs) / N`. Time spent
 * processing counts towards that wait, so a replay runs at N times real time as long as
 * batches keep up; a replay that falls behind does not wait at all. At speed `'max'`
 * sleeps end on the next turn of the event loop.
 *
 * Because time moves only in sleeps, `now()` is constant during a batch: the simulated
 * times, and therefore the batches a replay produces, do not depend on how long the
 * batches take or on the speed. That is what makes two replays of the same input give
 * identical batches.
 *
 * End: the replay sources report their time span through {@link includeRange}. Once a
 * trigger has run at or after the last release time, the clock allows one more trigger
 * slot (for the batch without new data that emits what the last watermark finalised and
 * fires due timers); at the sleep after that, {@link reachedEnd} resolves and the sleep
 * waits until aborted, so the caller stops the query (`await clock.reachedEnd; await
 * query.stop()`). {@link holdAfter} sets the end explicitly.
 *
 * Use one clock per replay run, with a processing-time trigger whose interval is > 0 (with
 * back-to-back batches the clock only moves by the engine's idle polling delay).
 */
export class ReplayClock implements Clock {
  readonly speed: number | 'max';
  private time: number;
  private readonly wallNow: () => number;
  private wallStart: number | null = null;
  private startMs: number;
  private endMs = Number.NEGATIVE_INFINITY;
  private used = false;
  /** Simulated time of the first sleep at or after `endMs`, or null. */
  private lastSlotMs: number | null = null;
  private endReached: (() => void) | null = null;
  /** Resolves when the query first sleeps past the time given to {@link holdAfter}. */
  readonly reachedEnd: Promise<void>;

  constructor(options: ReplayClockOptions) {
    const { speed, startMs } = options;
    if (speed !== 'max' && !(Number.isFinite(speed) && speed > 0))
      throw invalidArgument(`Replay speed must be a positive number or 'max', got '${String(speed)}'.`);
    if (startMs !== undefined && !Number.isFinite(startMs)) throw invalidArgument(`Replay start time must be a finite number of ms, got ${startMs}.`);
    this.speed = speed;
    this.time = startMs ?? Number.POSITIVE_INFINITY;
    this.startMs = this.time;
    this.wallNow = options.wallNow ?? Date.now;
    this.reachedEnd = new Promise((resolve) => {
      this.endReached = resolve;
    });
  }

  now(): number {
    if (!this.used) {
      this.used = true;
      if (!Number.isFinite(this.time))
        throw invalidArgument('This ReplayClock has no start time: give it startMs, or use it for a query that reads a replay source.');
    }
    return this.time;
  }

  /**
   * Widens the replay's span to include `[startMs, endMs]` (called by each replay source
   * when the query creates it). The start moves only before the clock is first read.
   */
  includeRange(startMs: number, endMs: number): void {
    if (!this.used && startMs < this.time) {
      this.time = startMs;
      this.startMs = startMs;
    }
    if (endMs > this.endMs) this.endMs = endMs;
  }

  /** Ends the replay at `ms`: one trigger slot after the first sleep at or after it, the clock holds. */
  holdAfter(ms: number): void {
    this.endMs = ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return false;
    const now = this.now();
    if (Number.isFinite(this.endMs) && now >= this.endMs) {
      if (this.lastSlotMs === null) this.lastSlotMs = now;
      else if (now > this.lastSlotMs) {
        this.endReached?.();
        return waitForAbort(signal);
      }
    }
    const target = now + Math.max(0, ms);
    const wait = this.wallWait(target);
    if (!(await delay(wait, signal))) return false;
    this.time = target;
    return true;
  }

  /** Wall ms to wait before the simulated time may reach `target`. */
  private wallWait(target: number): number {
    if (this.speed === 'max') return 0;
    const wall = this.wallNow();
    if (this.wallStart === null) this.wallStart = wall;
    return Math.max(0, this.wallStart + (target - this.startMs) / this.speed - wall);
  }
}

/** Waits `ms` wall ms (0: the next macrotask); false when `signal` aborts first. */
function delay(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = (): void => {
      clearTimeout(timer);
      done(false);
    };
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function waitForAbort(signal: AbortSignal | undefined): Promise<boolean> {
  if (signal === undefined) return new Promise(() => {});
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(false), { once: true }));
}
