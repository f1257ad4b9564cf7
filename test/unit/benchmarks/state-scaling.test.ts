import { mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnVector } from '../../../common/column-vector.js';
import { makeBatch } from '../../../common/columnar-batch.js';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import { readManifest } from '../../../benchmarks/data/dataset-manifest.js';
import { ensureDataset } from '../../../benchmarks/data/write-dataset.js';
import { readParquetSql } from '../../../benchmarks/engines/duckdb-runner.js';
import { CheckpointBytesScanner } from '../../../benchmarks/stream/checkpoint-bytes.js';
import { KeyedBatchSource } from '../../../benchmarks/stream/keyed-batch-source.js';
import { FLUSH_AFTER_MS, FLUSH_FILE, makeFlushedReplayInput } from '../../../benchmarks/stream/replay-input.js';
import { replayQuery } from '../../../benchmarks/stream/replay-queries.js';
import { runStreamBenchmark } from '../../../benchmarks/stream/run-stream-bench.js';
import { parseStreamBenchArgs } from '../../../benchmarks/stream/stream-bench-options.js';
import { finalStreamRows } from '../../../benchmarks/stream/stream-replay.js';
import type { StreamRecord } from '../../../benchmarks/stream/stream-record.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-state-scaling-test-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const nums = (r: StreamRecord, key: string): number[] => {
  const v = r[key];
  if (!Array.isArray(v)) throw new Error(`field ${key} is ${JSON.stringify(v)}, not a list`);
  return v as number[];
};

describe('KeyedBatchSource', () => {
  it('fills every key once in key order, then draws steady keys deterministically', async () => {
    const s = new KeyedBatchSource({ keys: 2500, fillRows: 1000, steadyBatches: 2, steadyRows: 300, seed: 7 });
    expect([s.fillBatches, s.totalBatches]).toEqual([3, 5]);
    expect(Array.from(s.batchKeys(0).subarray(0, 3))).toEqual([0, 1, 2]);
    expect(Array.from(s.batchKeys(2))).toEqual(Array.from({ length: 500 }, (_, i) => 2000 + i));
    const steady = s.batchKeys(3);
    expect(steady.length).toBe(300);
    expect(Array.from(steady)).toEqual(Array.from(s.batchKeys(3)));
    expect(Array.from(steady)).not.toEqual(Array.from(s.batchKeys(4)));
    expect(steady.every((k) => Number.isInteger(k) && k >= 0 && k < 2500)).toBe(true);
    expect(await s.latestOffset(4, {})).toBe(5);
    expect(await s.latestOffset(5, {})).toBe(5);
    const plan = await s.getBatch(2, 3);
    if (plan.kind !== 'local') throw new Error('expected a local relation');
    const b = plan.batches[0];
    if (b === undefined) throw new Error('expected one batch');
    expect(b.numRows).toBe(500);
    expect((b.columns[0] as ColumnVector).values[0]).toBe(2000n);
    expect((b.columns[1] as ColumnVector).values[3]).toBe(0.75);
  });
});

describe('CheckpointBytesScanner', () => {
  it('counts new and grown files once, by kind, and skips temporary files', () => {
    const ck = join(dir, 'ck-scan');
    mkdirSync(join(ck, 'state', '0', '1'), { recursive: true });
    mkdirSync(join(ck, 'offsets'), { recursive: true });
    const scanner = new CheckpointBytesScanner(ck);
    writeFileSync(join(ck, 'state', '0', '1', '1.delta'), Buffer.alloc(100));
    writeFileSync(join(ck, 'offsets', '0'), Buffer.alloc(10));
    writeFileSync(join(ck, 'metadata'), Buffer.alloc(5));
    writeFileSync(join(ck, 'state', '0', '1', '2.snapshot.sluice-tmp'), Buffer.alloc(999));
    expect(scanner.scan()).toEqual({ deltaBytes: 100, snapshotBytes: 0, logBytes: 10, otherBytes: 5, deltaFiles: 1, snapshotFiles: 0 });
    writeFileSync(join(ck, 'state', '0', '1', '2.snapshot'), Buffer.alloc(300));
    writeFileSync(join(ck, 'offsets', '0'), Buffer.alloc(12));
    expect(scanner.scan()).toEqual({ deltaBytes: 0, snapshotBytes: 300, logBytes: 12, otherBytes: 0, deltaFiles: 0, snapshotFiles: 1 });
    expect(scanner.scan().deltaBytes + scanner.scan().logBytes).toBe(0);
  });
});

describe('state-scaling', () => {
  it('parses its options', () => {
    const o = parseStreamBenchArgs(['state-scaling']);
    expect([o.keys, o.fillRows, o.steadyBatches, o.steadyRows]).toEqual([[100_000, 1_000_000, 10_000_000], 1_000_000, 20, 100_000]);
    expect(parseStreamBenchArgs(['state-scaling', '--keys', '10,20']).keys).toEqual([10, 20]);
    expect(() => parseStreamBenchArgs(['state-scaling', '--keys', '10,0'])).toThrow(/--keys/);
  });

  it('fills the state, then writes deltas proportional to the keys each batch changed', async () => {
    const results = join(dir, 'results');
    const { records, status } = await runStreamBenchmark(
      [
        'state-scaling',
        ...['--keys', '3000,6000', '--fill-rows', '1000', '--steady-batches', '12', '--steady-rows', '500'],
        ...['--results-dir', results, '--checkpoint-dir', join(dir, 'ckpt'), '--workers', '1'],
      ],
      'abc1234',
    );
    expect(status).toBe(0);
    expect(records.map((r) => [r.keys, r.fillBatches, r.stateRowsAfterFill, r.error])).toEqual([
      [3000, 3, 3000, undefined],
      [6000, 6, 6000, undefined],
    ]);
    const perKey: number[] = [];
    for (const r of records) {
      const fill = r.fillBatches as number;
      const updated = nums(r, 'updatedRows');
      const delta = nums(r, 'deltaBytes');
      expect(nums(r, 'stateRows')).toEqual(Array.from({ length: fill + 12 }, (_, i) => Math.min(i + 1, fill) * 1000));
      expect(updated.slice(0, fill)).toEqual(Array(fill).fill(1000));
      // 500 random keys of 3000 or 6000: some repeat within a batch.
      for (const u of updated.slice(fill)) expect(u).toBeGreaterThan(400);
      expect(updated.slice(fill).every((u) => u <= 500)).toBe(true);
      // Every batch writes one delta per partition (4): a 40-byte frame each plus a fixed
      // record size per changed key, whatever the total state.
      expect(nums(r, 'deltaFiles')).toEqual(Array(fill + 12).fill(4));
      const sizes = delta.map((d, i) => (d - 4 * 40) / (updated[i] as number));
      expect(new Set(sizes).size).toBe(1);
      perKey.push(sizes[0] as number);
      expect(r.deltaBytesPerUpdatedKey).toBe(sizes[0]);
      expect(nums(r, 'batchMs').every((ms) => ms > 0)).toBe(true);
      expect(nums(r, 'logBytes').every((b) => b > 0)).toBe(true);
      // The default snapshot interval (10) is reached within the 12 steady batches.
      expect(r.steadySnapshotBytes).toBeGreaterThan(0);
      expect(r.stateMemoryBytesAfterFill).toBeGreaterThan(0);
      expect(r.fitsMemoryBudget).toBe(true);
    }
    expect(perKey[0]).toBe(perKey[1]);
  }, 60_000);
});

describe('stream-replay helpers', () => {
  it('builds the stream result from update batches by key and from append batches by concatenation', () => {
    const schema = schemaOf([field('window_start_ms', types.int64), field('country', types.utf8), field('n', types.int64), field('sum_amount', types.float64)]);
    const batch = (starts: bigint[], n: bigint[]) =>
      makeBatch(
        schema,
        [
          { type: types.int64, length: starts.length, validity: null, values: BigInt64Array.from(starts) },
          {
            type: types.utf8,
            length: starts.length,
            validity: null,
            values: new TextEncoder().encode('US'.repeat(starts.length)),
            offsets: Int32Array.from({ length: starts.length + 1 }, (_, i) => 2 * i),
          },
          { type: types.int64, length: starts.length, validity: null, values: BigInt64Array.from(n) },
          { type: types.float64, length: starts.length, validity: null, values: new Float64Array(starts.length) },
        ],
        starts.length,
      );
    const batches = [batch([0n, 60000n], [1n, 2n]), batch([0n], [5n])];
    expect(finalStreamRows(replayQuery('W3'), batches).map((r) => [r.window_start_ms, r.n])).toEqual([
      [0n, 5n],
      [60000n, 2n],
    ]);
    expect(replayQuery('W4').outputMode).toBe('append');
    expect(finalStreamRows({ ...replayQuery('W3'), upsertKeys: null }, batches)).toHaveLength(3);
    expect(() => replayQuery('W9')).toThrow(/W3, W4, W5, W6/);
    expect(parseStreamBenchArgs(['stream-replay', '--query', 'W3,W6']).queries).toEqual(['W3', 'W6']);
    expect(() => parseStreamBenchArgs(['stream-replay', '--query', 'W7'])).toThrow(/--query/);
  });

  it('makes an append replay input: links to the parts plus one flush row a day past the data', async () => {
    const data = join(dir, 'tx-flush');
    await ensureDataset({ out: data, rows: 3000, files: 3, seed: 3, cards: 100, merchants: 50, rowGroupRows: 1024 });
    const out = join(dir, 'replay-in');
    expect(await makeFlushedReplayInput(data, out)).toBe(4);
    const names = (await readdir(out)).sort();
    expect(names).toEqual(['part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet', FLUSH_FILE]);
    expect(readlinkSync(join(out, 'part-00001.parquet'))).toBe(join(data, 'part-00001.parquet'));
    const maxEvent = Math.max(...((await readManifest(data))?.transactionFiles ?? []).map((f) => f.maxEventMs ?? 0));
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const r = (
      await conn.runAndReadAll(`SELECT count(*) AS n, max(epoch_ms(event_time)) AS t, min(card_id) AS c FROM ${readParquetSql(out)}`)
    ).getRowObjectsJS()[0];
    conn.closeSync();
    db.closeSync();
    expect([Number(r?.n), Number(r?.t), Number(r?.c)]).toEqual([3001, maxEvent + FLUSH_AFTER_MS, -1]);
  });
});
