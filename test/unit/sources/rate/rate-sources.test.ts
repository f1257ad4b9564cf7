import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFileManager } from '../../../../common/log/local-file-manager.js';
import { ManualClock } from '../../../../scheduler/manual-clock.js';
import { RatePerMicroBatchSource } from '../../../../sources/rate/rate-micro-batch-source.js';
import { RateStreamSource } from '../../../../sources/rate/rate-stream-source.js';
import { planRows } from '../../../contract/local-query-executor.js';

const ts = (ms: number): Date => new Date(ms);

describe('RatePerMicroBatchSource', () => {
  it('gives batch k values [k*rows, (k+1)*rows) stamped startTimestamp + k*advance', async () => {
    const s = new RatePerMicroBatchSource({ rowsPerBatch: '3', startTimestamp: 1000, advanceMillisPerBatch: 50 });
    expect(await s.latestOffset(0, { maxRows: 1 })).toBe(1);
    expect(await planRows(await s.getBatch(0, 1))).toEqual([
      [ts(1000), 0n],
      [ts(1000), 1n],
      [ts(1000), 2n],
    ]);
    expect(await planRows(await s.getBatch(1, 3))).toEqual([
      [ts(1050), 3n],
      [ts(1050), 4n],
      [ts(1050), 5n],
      [ts(1100), 6n],
      [ts(1100), 7n],
      [ts(1100), 8n],
    ]);
    expect(s.schema.fields.map((f) => [f.name, f.type.kind, f.nullable])).toEqual([
      ['timestamp', 'timestamp', false],
      ['value', 'int64', false],
    ]);
  });

  it('splits a batch into numPartitions contiguous ranges', async () => {
    const s = new RatePerMicroBatchSource({ rowsPerBatch: 5, numPartitions: 2 });
    const plan = await s.getBatch(0, 1);
    expect(plan.kind === 'local' && plan.batches.map((b) => b.numRows)).toEqual([2, 3]);
  });

  it('validates options with messages naming the option', () => {
    expect(() => new RatePerMicroBatchSource({})).toThrow(/needs option 'rowsPerBatch'/);
    expect(() => new RatePerMicroBatchSource({ rowsPerBatch: 0 })).toThrow(/'rowsPerBatch'.*positive integer/);
    expect(() => new RatePerMicroBatchSource({ rowsPerBatch: 1, advanceMillisPerBatch: -1 })).toThrow(/non-negative/);
    expect(() => new RatePerMicroBatchSource({ rowsPerBatch: 1, rowsPerSecond: 2 })).toThrow(/Unknown option 'rowsPerSecond'.*rowsPerBatch/);
  });
});

describe('RateStreamSource', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-rate-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('offers whole elapsed seconds and spreads rows evenly over them', async () => {
    const clock = new ManualClock(10_000);
    const s = new RateStreamSource({ rowsPerSecond: 4 }, clock, null);
    expect(await s.initialOffset()).toBe(0);
    clock.advance(999);
    expect(await s.latestOffset(0, {})).toBe(0);
    clock.advance(1501);
    expect(await s.latestOffset(0, {})).toBe(2);
    expect(await planRows(await s.getBatch(1, 2))).toEqual([
      [ts(11_000), 4n],
      [ts(11_250), 5n],
      [ts(11_500), 6n],
      [ts(11_750), 7n],
    ]);
  });

  it('keeps its start time in the metadata path across restarts', async () => {
    const fileManager = new LocalFileManager();
    const meta = { metadataPath: join(dir, 'sources', '0'), fileManager };
    const clock = new ManualClock(50_000);
    const first = new RateStreamSource({ rowsPerSecond: 1 }, clock, meta);
    expect(await first.latestOffset(0, {})).toBe(0);
    clock.advance(3000);
    const rows = await planRows(await first.getBatch(0, 3));
    expect(rows).toEqual([
      [ts(50_000), 0n],
      [ts(51_000), 1n],
      [ts(52_000), 2n],
    ]);
    const later = new ManualClock(90_000);
    const restarted = new RateStreamSource({ rowsPerSecond: 1 }, later, meta);
    expect(await planRows(await restarted.getBatch(0, 3))).toEqual(rows);
    expect(await restarted.latestOffset(3, {})).toBe(40);
  });

  it('validates options', () => {
    const clock = new ManualClock(0);
    expect(() => new RateStreamSource({ rowsPerSecond: 0 }, clock, null)).toThrow(/'rowsPerSecond' of the rate source must be a positive integer, got '0'/);
    expect(() => new RateStreamSource({ rowsPerSecond: '1.5' }, clock, null)).toThrow(/positive integer/);
    expect(() => new RateStreamSource({ numPartitions: 'x' }, clock, null)).toThrow(/'numPartitions'/);
    expect(() => new RateStreamSource({ rampUpTime: '5s' }, clock, null)).toThrow(/Unknown option 'rampUpTime'/);
  });
});
