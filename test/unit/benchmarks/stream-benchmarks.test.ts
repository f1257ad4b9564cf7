import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile, roundTo } from '../../../benchmarks/stream/percentile.js';
import { runStreamBenchmark } from '../../../benchmarks/stream/run-stream-bench.js';
import { isStreamBenchName, parseStreamBenchArgs, rowsLabel } from '../../../benchmarks/stream/stream-bench-options.js';
import { overheadWarmupBatches, rssCheckBatch } from '../../../benchmarks/stream/stream-overhead.js';
import { int64At, WallClockRateSource, wallClockMicros } from '../../../benchmarks/stream/wall-clock-rate-source.js';
import type { StreamRecord } from '../../../benchmarks/stream/stream-record.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-stream-bench-test-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const PHASES = ['latestOffset', 'walCommit', 'getBatch', 'queryPlanning', 'addBatch', 'commitOffsets'];

/** Runs a benchmark with results and checkpoints in the test folder; checks the appended line equals the returned record. */
async function run(args: string[]): Promise<StreamRecord> {
  const results = join(dir, 'results');
  const { record, status } = await runStreamBenchmark([...args, '--results-dir', results, '--checkpoint-dir', join(dir, 'ckpt'), '--workers', '1'], 'abc1234');
  expect(record.error).toBeUndefined();
  expect(status).toBe(0);
  const lines = readdirSync(results).flatMap((f) => readFileSync(join(results, f), 'utf8').trim().split('\n'));
  expect(JSON.parse(lines[lines.length - 1] as string)).toEqual(record);
  expect(record.commit).toBe('abc1234');
  expect(record.workers).toBe(1);
  return record;
}

const num = (r: StreamRecord, key: string): number => {
  const v = r[key];
  if (typeof v !== 'number') throw new Error(`field ${key} is ${JSON.stringify(v)}, not a number`);
  return v;
};

describe('streaming benchmark helpers', () => {
  it('computes nearest-rank percentiles and rounds for JSON', () => {
    const xs = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 99)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
    expect(roundTo(1.23456, 2)).toBe(1.23);
    expect(roundTo(Number.NaN, 2)).toBeNull();
  });

  it('parses options with per-benchmark defaults and rejects unknown names', () => {
    expect(isStreamBenchName('stream-latency')).toBe(true);
    expect(isStreamBenchName('W2')).toBe(false);
    const overhead = parseStreamBenchArgs(['stream-overhead']);
    expect([overhead.rows, overhead.batches, overhead.throughput]).toEqual([100, 2000, true]);
    const latency = parseStreamBenchArgs(['stream-latency', '--batches', '20', '--trigger-ms', '50']);
    expect([latency.rows, latency.batches, latency.triggerMs]).toEqual([100_000, 20, 50]);
    const replay = parseStreamBenchArgs(['stream-replay', '--rows', '1000000']);
    expect(replay.dataDir).toBe('.bench-data/tx1m');
    const executors = parseStreamBenchArgs(['replay-executors']);
    expect([executors.rows, executors.dataDir, executors.queries]).toEqual([1_000_000, '.bench-data/tx1m', ['W4', 'W6']]);
    expect(rowsLabel(12_345)).toBe('12345');
    expect(() => parseStreamBenchArgs(['stream-nope'])).toThrow(/stream-overhead, stream-latency, stream-replay/);
    expect(() => parseStreamBenchArgs(['stream-overhead', '--batches', '0'])).toThrow(/--batches/);
    expect([overheadWarmupBatches(2000), overheadWarmupBatches(30), rssCheckBatch(2000), rssCheckBatch(30)]).toEqual([20, 3, 200, 3]);
  });

  it('stamps each wall-clock rate row with its creation instant', async () => {
    const source = new WallClockRateSource(1000);
    const before = wallClockMicros();
    expect(await source.initialOffset()).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    const end = Number(await source.latestOffset(0, {}));
    expect(end).toBeGreaterThanOrEqual(15);
    const plan = await source.getBatch(0, 5);
    if (plan.kind !== 'local') throw new Error('expected a local relation');
    const batch = plan.batches[0];
    const stamps = batch?.columns[0]?.values;
    const values = batch?.columns[1]?.values;
    if (!(stamps instanceof BigInt64Array) || !(values instanceof BigInt64Array)) throw new Error('expected int64 columns');
    expect([...values]).toEqual([0n, 1n, 2n, 3n, 4n]);
    const halves = new Int32Array(stamps.buffer);
    const t = [0, 1, 2, 3, 4].map((i) => int64At(halves, i));
    for (let i = 1; i < 5; i++) expect((t[i] as number) - (t[i - 1] as number)).toBe(1000);
    expect(t[0] as number).toBeGreaterThanOrEqual(before + 1000);
    expect(t[0] as number).toBeLessThan(before + 20_000);
    expect(Number(await source.latestOffset(10_000_000, {}))).toBe(10_000_000);
    expect((await source.getBatch(7, 7)).kind).toBe('local');
  });
});

describe('streaming benchmarks, smallest sizes', () => {
  it('stream-overhead reports batch times, phases, memory and throughput', async () => {
    const r = await run(['stream-overhead', '--batches', '40', '--throughput-rows', '20000', '--throughput-batches', '3', '--group-keys', '100']);
    expect(r.workload).toBe('stream-overhead');
    expect([r.batches, r.rowsPerBatch, r.warmupBatches, r.rssCheckBatch]).toEqual([40, 100, 4, 4]);
    const median = num(r, 'medianBatchMs');
    expect(median).toBeGreaterThan(0);
    expect(num(r, 'p99BatchMs')).toBeGreaterThanOrEqual(median);
    for (const key of ['phasesMedianMs', 'phasesP99Ms']) {
      const phases = r[key] as Record<string, number>;
      expect(Object.keys(phases)).toEqual(PHASES);
      for (const p of PHASES) expect(phases[p]).toBeGreaterThanOrEqual(0);
      expect((phases.walCommit as number) > 0 && (phases.commitOffsets as number) > 0).toBe(true);
    }
    expect(num(r, 'sinkRows')).toBeGreaterThanOrEqual(40 * 100);
    expect(num(r, 'peakRssMb')).toBeGreaterThanOrEqual(num(r, 'rssEndMb'));
    expect(num(r, 'rssAtCheckMb')).toBeGreaterThan(10);
    expect(typeof r.rssGrowthPct).toBe('number');
    expect(num(r, 'statelessRowsPerSecond')).toBeGreaterThan(1000);
    expect(num(r, 'groupedCountRowsPerSecond')).toBeGreaterThan(1000);
    expect([r.throughputRowsPerBatch, r.throughputBatches, r.groupKeys]).toEqual([20000, 3, 100]);
  });

  it('stream-latency reports creation-to-sink percentiles at the requested rate and trigger', async () => {
    const r = await run(['stream-latency', '--rows', '20000', '--trigger-ms', '50', '--batches', '12', '--warmup-batches', '3']);
    expect([r.workload, r.inputRowsPerSecond, r.triggerMs, r.targetP99Ms, r.batches]).toEqual(['stream-latency', 20000, 50, 80, 12]);
    const p50 = num(r, 'p50LatencyMs');
    const p99 = num(r, 'p99LatencyMs');
    expect(p50).toBeGreaterThan(0);
    expect(p99).toBeGreaterThanOrEqual(p50);
    expect(num(r, 'maxLatencyMs')).toBeGreaterThanOrEqual(p99);
    expect(num(r, 'minLatencyMs')).toBeGreaterThanOrEqual(0);
    expect(num(r, 'rowsMeasured')).toBeGreaterThan(0);
    expect(num(r, 'measuredInputRowsPerSecond')).toBeGreaterThan(20000 * 0.5);
    expect(num(r, 'measuredInputRowsPerSecond')).toBeLessThan(20000 * 1.5);
    expect(typeof r.meetsTarget).toBe('boolean');
  });

  it('stream-replay runs W3 as a batch query and as a file stream and gets the same result', async () => {
    const r = await run(['stream-replay', '--rows', '20000', '--files', '2', '--runs', '1', '--data', join(dir, 'tx20k')]);
    expect([r.workload, r.query, r.rows, r.files, r.streamBatches, r.runs]).toEqual(['stream-replay', 'W3', 20000, 2, 2, 1]);
    expect(num(r, 'streamSeconds')).toBeGreaterThan(0);
    expect(num(r, 'batchSeconds')).toBeGreaterThan(0);
    expect(num(r, 'streamToBatchRatio')).toBeCloseTo(num(r, 'streamSeconds') / num(r, 'batchSeconds'), 1);
    expect(num(r, 'outputRows')).toBeGreaterThan(0);
    expect(r.resultsMatch).toBe(true);
  });
});
