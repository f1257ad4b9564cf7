import { describe, expect, it } from 'vitest';
import type { OutputRow } from '../../../benchmarks/kafka/latency-attribution.js';
import { CompletionTracker } from '../../../benchmarks/kafka/completion-tracker.js';
import { attributeLatencies, weightedPercentile } from '../../../benchmarks/kafka/latency-attribution.js';

const W = 60_000;

describe('kafka-e2e latency attribution', () => {
  it('gives each record the first output row whose count includes it, splitting a tick read by two batches', () => {
    // partition 0, window W: tick at 1000 makes 3 records, tick at 1010 makes 2.
    const log = Float64Array.from([1000, 0, W, 3, 1010, 0, W, 2]);
    const outputs: OutputRow[] = [
      { w: W, p: 0, n: 2, visibleMs: 1100 }, // batch 1 read 2 of the first tick
      { w: W, p: 0, n: 5, visibleMs: 1200 }, // batch 2 read the rest
    ];
    const a = attributeLatencies(log, outputs, 0, 10_000);
    expect(Array.from(a.latencies)).toEqual([100, 200, 190]);
    expect(Array.from(a.weights)).toEqual([2, 1, 2]);
    expect(a.measuredRecords).toBe(5);
    expect(a.missingRecords).toBe(0);
    expect(a.countMismatches).toBe(0);
  });

  it('keeps partitions and windows apart, takes the earliest copy of a replayed row, and counts what is missing', () => {
    const log = Float64Array.from([1000, 0, W, 1, 1000, 1, W, 1, 1000, 0, 2 * W, 4]);
    const outputs: OutputRow[] = [
      { w: W, p: 1, n: 1, visibleMs: 1300 },
      { w: W, p: 0, n: 1, visibleMs: 1500 },
      { w: W, p: 0, n: 1, visibleMs: 1050 }, // an earlier copy of the same row (at-least-once replay)
      { w: 2 * W, p: 0, n: 3, visibleMs: 1400 },
    ];
    const a = attributeLatencies(log, outputs, 0, 10_000);
    expect(Array.from(a.latencies)).toEqual([50, 300, 400]);
    expect(Array.from(a.weights)).toEqual([1, 1, 3]);
    expect(a.missingRecords).toBe(1);
    expect(a.countMismatches).toBe(1);
    expect(a.keys).toBe(3);
  });

  it('measures only records produced in the span but ranks every record', () => {
    const log = Float64Array.from([500, 0, W, 2, 1000, 0, W, 2]);
    const outputs: OutputRow[] = [
      { w: W, p: 0, n: 2, visibleMs: 600 },
      { w: W, p: 0, n: 4, visibleMs: 1020 },
    ];
    const a = attributeLatencies(log, outputs, 900, 2000);
    expect(Array.from(a.latencies)).toEqual([20]);
    expect(Array.from(a.weights)).toEqual([2]);
    expect(a.measuredRecords).toBe(2);
  });

  it('weighted percentiles by nearest rank', () => {
    const v = Float64Array.from([30, 10, 20]);
    const w = Float64Array.from([1, 98, 1]);
    expect(weightedPercentile(v, w, 50)).toBe(10);
    expect(weightedPercentile(v, w, 99)).toBe(20);
    expect(weightedPercentile(v, w, 100)).toBe(30);
    expect(weightedPercentile(new Float64Array(0), new Float64Array(0), 50)).toBeNaN();
  });
});

describe('kafka-e2e completion tracker', () => {
  it('is complete once every (window, partition) reached its produced count, at the row that got the last one there', () => {
    const log = Float64Array.from([1000, 0, W, 3, 1000, 1, W, 1, 1005, 0, W, 1]);
    const t = new CompletionTracker(log);
    const rows: OutputRow[] = [
      { w: W, p: 0, n: 3, visibleMs: 1100 },
      { w: W, p: 1, n: 1, visibleMs: 1110 },
    ];
    expect(t.update(rows)).toBe(false);
    expect(t.pending).toBe(1);
    rows.push({ w: W, p: 0, n: 4, visibleMs: 1200 }, { w: W, p: 0, n: 4, visibleMs: 1300 });
    expect(t.update(rows)).toBe(true);
    expect(t.completedAtMs).toBe(1200);
  });
});
