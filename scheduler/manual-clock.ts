import type { Clock } from './clock.js';

interface Sleeper {
  readonly wakeAt: number;
  readonly resolve: (completed: boolean) => void;
}

/**
 * A {@link Clock} that moves only when told to: `advance(ms)` moves time forward and wakes
 * every sleeper whose time has come. `waitForSleepers(n)` lets a test wait until the code
 * under test is blocked in `sleep`, so each step of a test is deterministic.
 */
export class ManualClock implements Clock {
  private time: number;
  private sleepers: Sleeper[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(startMs = 0) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        wakeAt: this.time + ms,
        resolve: (completed) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(completed);
        },
      };
      const onAbort = (): void => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        sleeper.resolve(false);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.notifyWaiters();
    });
  }

  /** Moves time forward by `ms` and wakes the sleepers that are due. */
  advance(ms: number): void {
    this.setTime(this.time + ms);
  }

  /** Moves time forward to `ms` (never backwards) and wakes the sleepers that are due. */
  setTime(ms: number): void {
    this.time = Math.max(this.time, ms);
    const due = this.sleepers.filter((s) => s.wakeAt <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.wakeAt > this.time);
    for (const s of due) s.resolve(true);
  }

  /** Number of pending sleeps. */
  get sleeperCount(): number {
    return this.sleepers.length;
  }

  /** The earliest time a pending sleep wakes at, or undefined. */
  get nextWakeAt(): number | undefined {
    return this.sleepers.length === 0 ? undefined : Math.min(...this.sleepers.map((s) => s.wakeAt));
  }

  /** Resolves once at least `count` sleeps are pending. */
  waitForSleepers(count = 1): Promise<void> {
    if (this.sleepers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private notifyWaiters(): void {
    const ready = this.waiters.filter((w) => this.sleepers.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.sleepers.length < w.count);
    for (const w of ready) w.resolve();
  }
}
