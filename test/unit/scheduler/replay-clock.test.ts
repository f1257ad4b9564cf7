import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../common/errors.js';
import { ReplayClock } from '../../../scheduler/replay-clock.js';

describe('ReplayClock', () => {
  it('moves only in sleeps, by exactly the slept time, at speed max', async () => {
    const clock = new ReplayClock({ startMs: 1_000_000, speed: 'max' });
    expect(clock.now()).toBe(1_000_000);
    expect(await clock.sleep(60_000)).toBe(true);
    expect(clock.now()).toBe(1_060_000);
    expect(await clock.sleep(0)).toBe(true);
    expect(clock.now()).toBe(1_060_000);
  });

  it('paces simulated time at speed N against the wall clock, counting time spent between sleeps', async () => {
    let wall = 5_000;
    const clock = new ReplayClock({ startMs: 0, speed: 60_000, wallNow: () => wall });
    // 60 s of event time per wall ms: a 1-minute slot costs 1 wall ms, so the wait is at most 1 ms.
    const t0 = performance.now();
    expect(await clock.sleep(60_000)).toBe(true);
    expect(clock.now()).toBe(60_000);
    // The wall clock ran ahead by 10 ms (a slow batch): the next sleeps need no wait at all.
    wall += 10;
    expect(await clock.sleep(60_000)).toBe(true);
    expect(clock.now()).toBe(120_000);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('waits the wall time that the speed asks for', async () => {
    const clock = new ReplayClock({ startMs: 0, speed: 1_000 });
    const t0 = performance.now();
    await clock.sleep(100_000); // 100 s of event time at 1000x: 100 ms
    expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
  });

  it('takes its start from the earliest range its sources report, and holds one slot after the end', async () => {
    const clock = new ReplayClock({ speed: 'max' });
    clock.includeRange(2_000, 5_000);
    clock.includeRange(1_000, 3_000);
    expect(clock.now()).toBe(1_000);
    clock.includeRange(0, 9_000); // too late to move the start; the end still widens
    let ended = false;
    void clock.reachedEnd.then(() => {
      ended = true;
    });
    const ctl = new AbortController();
    for (const t of [5_000, 9_000]) {
      expect(await clock.sleep(4_000, ctl.signal)).toBe(true);
      expect(clock.now()).toBe(t);
    }
    // 9 000 is the end: one more slot runs...
    expect(await clock.sleep(4_000, ctl.signal)).toBe(true);
    expect(clock.now()).toBe(13_000);
    // ...then the clock holds until the query stops.
    const held = clock.sleep(4_000, ctl.signal);
    await clock.reachedEnd;
    expect(ended).toBe(true);
    ctl.abort();
    expect(await held).toBe(false);
    expect(clock.now()).toBe(13_000);
  });

  it('rejects a bad speed and a clock read without a start', () => {
    expect(() => new ReplayClock({ speed: 0 })).toThrow(/positive number or 'max'/);
    expect(() => new ReplayClock({ speed: Number.NaN })).toThrow(SluiceError);
    expect(() => new ReplayClock({ speed: 'max' }).now()).toThrow(/no start time/);
  });
});
