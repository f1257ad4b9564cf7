import { describe, expect, it } from 'vitest';
import { createTriggerExecutor } from '../../../scheduler/create-trigger-executor.js';
import { ManualClock } from '../../../scheduler/manual-clock.js';
import type { FallingBehind } from '../../../scheduler/processing-time-executor.js';
import { ProcessingTimeExecutor } from '../../../scheduler/processing-time-executor.js';
import { SystemClock } from '../../../scheduler/system-clock.js';
import { Trigger } from '../../../scheduler/trigger.js';

describe('ManualClock', () => {
  it('wakes sleepers when time passes their wake time, and on abort', async () => {
    const clock = new ManualClock(1000);
    const woke: string[] = [];
    const a = clock.sleep(100).then((ok) => woke.push(`a:${ok}`));
    const b = clock.sleep(300).then((ok) => woke.push(`b:${ok}`));
    const ctl = new AbortController();
    const c = clock.sleep(50, ctl.signal).then((ok) => woke.push(`c:${ok}`));
    await clock.waitForSleepers(3);
    expect(clock.nextWakeAt).toBe(1050);
    ctl.abort();
    await c;
    clock.advance(99);
    await Promise.resolve();
    expect(woke).toEqual(['c:false']);
    clock.advance(1);
    await a;
    expect(clock.sleeperCount).toBe(1);
    clock.setTime(5000);
    await b;
    expect(woke).toEqual(['c:false', 'a:true', 'b:true']);
    expect(await clock.sleep(0)).toBe(true);
    expect(await clock.sleep(10, ctl.signal)).toBe(false);
  });

  it('SystemClock sleeps and stops early on abort', async () => {
    const clock = new SystemClock();
    expect(await clock.sleep(1)).toBe(true);
    const ctl = new AbortController();
    const p = clock.sleep(60_000, ctl.signal);
    ctl.abort();
    expect(await p).toBe(false);
  });
});

describe('ProcessingTimeExecutor', () => {
  it('runs the first batch at once, then at epoch-aligned slots', async () => {
    const clock = new ManualClock(1050);
    const starts: number[] = [];
    const ctl = new AbortController();
    const exec = new ProcessingTimeExecutor(100, clock);
    const done = exec.execute(async () => {
      starts.push(clock.now());
      clock.advance(10);
      return true;
    }, ctl.signal);
    for (const slot of [1100, 1200, 1300]) {
      await clock.waitForSleepers(1);
      expect(clock.nextWakeAt).toBe(slot);
      clock.setTime(slot);
    }
    await clock.waitForSleepers(1);
    ctl.abort();
    await done;
    expect(starts).toEqual([1050, 1100, 1200, 1300]);
    expect(clock.sleeperCount).toBe(0);
  });

  it('starts the next batch at once after an overrun and reports falling behind', async () => {
    const clock = new ManualClock(0);
    const starts: number[] = [];
    const behind: FallingBehind[] = [];
    const durations = [250, 30, 30];
    const ctl = new AbortController();
    const exec = new ProcessingTimeExecutor(100, clock, { onFallingBehind: (f) => behind.push(f) });
    const done = exec.execute(async () => {
      starts.push(clock.now());
      clock.advance(durations[starts.length - 1] ?? 0);
      return starts.length < 3;
    }, ctl.signal);
    await clock.waitForSleepers(1);
    expect(clock.nextWakeAt).toBe(300);
    clock.setTime(300);
    await done;
    expect(starts).toEqual([0, 250, 300]);
    expect(behind).toEqual([{ batchStartMs: 0, batchEndMs: 250, intervalMs: 100 }]);
  });

  it('stops on abort while waiting, without another batch', async () => {
    const clock = new ManualClock(0);
    let batches = 0;
    const ctl = new AbortController();
    const done = new ProcessingTimeExecutor(1000, clock).execute(async () => {
      batches++;
      return true;
    }, ctl.signal);
    await clock.waitForSleepers(1);
    ctl.abort();
    await done;
    expect(batches).toBe(1);
  });

  it('runs back to back with interval 0 until the batch says stop, and propagates batch errors', async () => {
    const clock = new ManualClock(0);
    let n = 0;
    await new ProcessingTimeExecutor(0, clock).execute(async () => ++n < 5, new AbortController().signal);
    expect(n).toBe(5);
    await expect(new ProcessingTimeExecutor(10, clock).execute(() => Promise.reject(new Error('boom')), new AbortController().signal)).rejects.toThrow('boom');
    expect(() => new ProcessingTimeExecutor(-1, clock)).toThrow(/>= 0/);
  });
});

describe('Once and AvailableNow executors', () => {
  it('Once runs one batch whatever it returns; not at all when already stopped', async () => {
    const clock = new ManualClock();
    let n = 0;
    await createTriggerExecutor(Trigger.once(), clock).execute(async () => ++n > 0, new AbortController().signal);
    expect(n).toBe(1);
    const ctl = new AbortController();
    ctl.abort();
    await createTriggerExecutor(Trigger.once(), clock).execute(async () => ++n > 0, ctl.signal);
    expect(n).toBe(1);
  });

  it('AvailableNow repeats until no more data, or until stopped', async () => {
    const clock = new ManualClock();
    let left = 3;
    let runs = 0;
    await createTriggerExecutor(Trigger.availableNow(), clock).execute(async () => {
      runs++;
      return --left > 0;
    }, new AbortController().signal);
    expect(runs).toBe(3);
    const ctl = new AbortController();
    let m = 0;
    await createTriggerExecutor(Trigger.availableNow(), clock).execute(async () => {
      if (++m === 2) ctl.abort();
      return true;
    }, ctl.signal);
    expect(m).toBe(2);
    expect(createTriggerExecutor(Trigger.processingTime('1 second'), clock)).toBeInstanceOf(ProcessingTimeExecutor);
  });
});
