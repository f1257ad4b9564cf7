import { describe, expect, it } from 'vitest';
import type { ColumnarBatch } from '../../../../common/column-vector.js';
import { types } from '../../../../common/data-type.js';
import { valueAt } from '../../../../common/vector-value-at.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import { hashPartitionIds, splitByPartition } from '../../../../engine/exchange/partitioning.js';
import type { Partitioning } from '../../../../engine/exchange/partitioning.js';
import { rangeBounds } from '../../../../engine/exchange/range-bounds.js';
import { ShuffleExchangeExec } from '../../../../engine/exchange/shuffle-exchange-exec.js';
import { batchOf, c, order, schemaFor, scanOf } from '../join/exec-test-kit.js';

const COLS = [
  ['k', types.utf8],
  ['n', types.int64],
  ['i', types.int32],
] as const;
const schema = schemaFor(COLS);

/** 2,000 rows: keys with nulls and one hot key, a distinct row number `i`. */
function rows(): JsValue[][] {
  const out: JsValue[][] = [];
  for (let i = 0; i < 2000; i++) out.push([i % 7 === 0 ? null : i % 3 === 0 ? 'hot' : `k${i % 101}`, i % 11 === 0 ? null : BigInt(i % 37), i]);
  return out;
}

function rowsIn(b: ColumnarBatch): JsValue[][] {
  const out: JsValue[][] = [];
  for (let r = 0; r < b.numRows; r++) out.push(b.columns.map((v) => valueAt(v, r)));
  return out;
}

const isShared = (b: ColumnarBatch): boolean => b.columns.every((v) => v.values.buffer instanceof SharedArrayBuffer);

describe('hash partitioning', () => {
  const input = batchOf(schema, rows());

  it('puts every row in exactly one of n partitions, on shared memory, keeping input order within a partition', () => {
    const parts = splitByPartition([input], { kind: 'hash', keys: [c('k'), c('n')], n: 6 }, schema);
    expect(parts).toHaveLength(6);
    const seen = parts.flatMap((p) => rowsIn(p).map((r) => r[2] as number));
    expect(seen.slice().sort((a, b) => a - b)).toEqual(rows().map((r) => r[2]));
    for (const p of parts) {
      expect(isShared(p)).toBe(true);
      const ids = rowsIn(p).map((r) => r[2] as number);
      expect(ids).toEqual(ids.slice().sort((a, b) => a - b));
    }
  });

  it('sends equal keys (null equal to null) to one partition', () => {
    const parts = splitByPartition([input], { kind: 'hash', keys: [c('k')], n: 5 }, schema);
    const home = new Map<string, number>();
    parts.forEach((p, idx) => {
      for (const r of rowsIn(p)) {
        const key = String(r[0]);
        expect(home.get(key) ?? idx).toBe(idx);
        home.set(key, idx);
      }
    });
    expect(home.has('null')).toBe(true);
    expect(home.size).toBe(103);
  });

  it('keeps empty partitions when there are more partitions than keys', () => {
    const few = batchOf(schema, [
      ['a', 1n, 0],
      ['a', 2n, 1],
      [null, 3n, 2],
    ]);
    const parts = splitByPartition([few], { kind: 'hash', keys: [c('k')], n: 16 }, schema);
    expect(parts).toHaveLength(16);
    expect(parts.filter((p) => p.numRows > 0).length).toBeLessThanOrEqual(2);
    expect(parts.reduce((s, p) => s + p.numRows, 0)).toBe(3);
    const empty = splitByPartition([], { kind: 'hash', keys: [c('k')], n: 4 }, schema);
    expect(empty.map((p) => p.numRows)).toEqual([0, 0, 0, 0]);
  });

  it('spreads keys over partitions independently of the hash table slots (no clustering)', () => {
    const ids = hashPartitionIds(input, [c('i')], 8);
    const counts = new Array(8).fill(0);
    for (const x of ids) counts[x]++;
    for (const n of counts) expect(n).toBeGreaterThan(150);
  });

  it('round robin deals rows evenly', () => {
    const parts = splitByPartition([input], { kind: 'roundRobin', n: 3 }, schema);
    expect(parts.map((p) => p.numRows)).toEqual([667, 667, 666]);
  });
});

describe('range partitioning', () => {
  const input = batchOf(schema, rows());
  const orders = [order(c('n'), false, false), order(c('i'))];

  it('partitions concatenated in order are sorted; ties land in one partition', () => {
    const bounds = rangeBounds(schema, [input], [order(c('n'), false, false)], 4);
    expect(bounds.numRows).toBe(3);
    const p: Partitioning = { kind: 'range', orders: [order(c('n'), false, false)], bounds, n: 4 };
    const parts = splitByPartition([input], p, schema);
    expect(parts).toHaveLength(4);
    expect(parts.reduce((s, x) => s + x.numRows, 0)).toBe(2000);
    // Descending, nulls last: rank = value, null = -Infinity; every rank of an earlier
    // partition is above every rank of a later one (so ties share a partition).
    const rank = (v: JsValue): number => (v === null ? Number.NEGATIVE_INFINITY : Number(v));
    const ranges = parts.filter((x) => x.numRows > 0).map((x) => rowsIn(x).map((r) => rank(r[1] as JsValue)));
    for (let k = 1; k < ranges.length; k++) expect(Math.min(...(ranges[k - 1] as number[]))).toBeGreaterThan(Math.max(...(ranges[k] as number[])));
    expect(parts.filter((x) => x.numRows > 0).length).toBeGreaterThan(2);
  });

  it('bounds of an empty input give one partition of nothing', () => {
    const bounds = rangeBounds(schema, [], orders, 4);
    const parts = splitByPartition([], { kind: 'range', orders, bounds, n: 4 }, schema);
    expect(parts.map((x) => x.numRows)).toEqual([0, 0, 0, 0]);
  });
});

describe('ShuffleExchangeExec', () => {
  it('cuts a driver-side child by hash and describes itself as Spark does', async () => {
    const ex = new ShuffleExchangeExec(scanOf(COLS, rows(), 300), { kind: 'hash', keys: [c('k')], n: 3 });
    expect(ex.describe()).toBe('hashpartitioning(k, 3)');
    const parts = await ex.partitions({ batchSize: 128 });
    expect(parts).toHaveLength(3);
    expect(parts.flat().reduce((s, b) => s + b.numRows, 0)).toBe(2000);
    expect(ex.metrics.extra.partitions).toBe(3);
  });
});
