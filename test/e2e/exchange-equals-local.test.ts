import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '../../index.js';
import { Sluice, Window, col, count, countDistinct, lag, max, min, rowNumber, sessionWindow, sum, udf, window } from '../../index.js';
import { normalizeRows } from '../helpers/normalize-rows.js';
import type { ColumnVector } from '../../common/column-vector.js';
import { valueAt } from '../../common/vector-value-at.js';
import type { Expr } from '../../dataframe/expr/expr.js';
import { hashPartitionIds } from '../../engine/exchange/partitioning.js';
import type { ShuffleExchangeExec } from '../../engine/exchange/shuffle-exchange-exec.js';
import type { PhysicalOperator } from '../../engine/physical/physical-operator.js';

const colExpr = (name: string): Expr => ({ kind: 'col', name, qualifier: null });

/**
 * Every shape that the exchange moves onto the workers (final aggregation, distinct,
 * sliding-window aggregation, session windows, window functions, shuffled joins) gives the
 * same rows with the exchange (`sluice.sql.shuffle.minInputBytes` 0: every input is
 * shuffled) as the plan without one (the merge on the driver), on seeded data with null
 * keys and one hot key holding ~40 % of the rows.
 */
let sluice: Sluice;
let tx: DataFrame;
let dim: DataFrame;
const N = 16_000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).config('sluice.sql.shuffle.partitions', 5).config('sluice.sql.autoBroadcastJoinThreshold', -1).getOrCreate();
  const r = rng(7);
  const rows = [];
  for (let i = 0; i < N; i++) {
    const x = r();
    const k = x < 0.4 ? 'hot' : x < 0.45 ? null : `k${Math.floor(r() * 700)}`;
    const g = r() < 0.05 ? null : Math.floor(r() * 9);
    rows.push({ k, g, t: new Date(1_700_000_000_000 + Math.floor(r() * 6 * 3_600_000)), v: r() < 0.03 ? null : Math.round(r() * 1000) / 10 });
  }
  tx = sluice.createDataFrame(rows, 'k string, g int, t timestamp, v double');
  const dimRows = [];
  for (let i = 0; i < 900; i++) dimRows.push({ k: i % 50 === 0 ? null : i < 3 ? 'hot' : `k${i}`, label: `L${i % 13}` });
  dim = sluice.createDataFrame(dimRows, 'k string, label string');
});

afterAll(async () => {
  await sluice?.stop();
});

/** Rows of `df` with and without exchanges, and the physical plan with them. */
async function bothWays(df: DataFrame, columns: string[], ordered = false): Promise<{ shuffled: unknown[]; local: unknown[]; plan: string }> {
  sluice.conf.set('sluice.sql.shuffle.minInputBytes', 0);
  const plan = sluice.executor.explain(df.plan, 'simple');
  const shuffled = normalizeRows(await df.toArray(), columns, { ordered });
  sluice.conf.set('sluice.sql.shuffle.minInputBytes', 1e15);
  const local = normalizeRows(await df.toArray(), columns, { ordered });
  sluice.conf.set('sluice.sql.shuffle.minInputBytes', 0);
  return { shuffled, local, plan };
}

describe('exchange results equal the plan without exchange', () => {
  it('grouped aggregation (final merge per partition), null and hot keys', async () => {
    const df = tx.groupBy('k', 'g').agg(count().alias('n'), sum('v').alias('s'), min('t').alias('lo'), max('v').alias('hi'), countDistinct('g').alias('dg'));
    const { shuffled, local, plan } = await bothWays(df, ['k', 'g', 'n', 's', 'lo', 'hi', 'dg']);
    expect(plan).toMatch(/Exchange hashpartitioning\(k, g, 5\)/);
    expect(plan).toContain('ShuffledStageExec');
    expect(shuffled.length).toBeGreaterThan(4000);
    expect(shuffled).toEqual(local);
    // Under sluice.sql.shuffle.minInputBytes the merge stays on the driver, without an exchange.
    sluice.conf.set('sluice.sql.shuffle.minInputBytes', 1e15);
    expect(sluice.executor.explain(df.plan, 'simple')).not.toContain('Exchange');
    sluice.conf.set('sluice.sql.shuffle.minInputBytes', 0);
  });

  it('an inline UDF closure over a shuffled aggregation still runs on the driver', async () => {
    const half = udf((x: number | null) => (x === null ? null : x / 2), 'double');
    const df = tx
      .groupBy('k')
      .agg(sum('v').alias('s'))
      .select(col('k'), half(col('s')).alias('h'));
    const { shuffled, local, plan } = await bothWays(df, ['k', 'h']);
    expect(plan).toMatch(/Exchange hashpartitioning\(k, 5\)/);
    expect(shuffled.length).toBeGreaterThan(500);
    expect(shuffled).toEqual(local);
  });

  it('distinct and dropDuplicates', async () => {
    const a = await bothWays(tx.select('k', 'g').distinct(), ['k', 'g']);
    expect(a.plan).toMatch(/Exchange hashpartitioning/);
    expect(a.shuffled.length).toBeGreaterThan(1000);
    expect(a.shuffled).toEqual(a.local);
    // dropDuplicates keeps the first row of each key in input order: with the exchange too.
    const b = await bothWays(tx.dropDuplicates(['k']), ['k', 'g', 't', 'v']);
    expect(b.shuffled).toEqual(b.local);
  });

  it('sliding windows by key (pane merge per partition)', async () => {
    const df = tx.groupBy(col('k'), window('t', '10 minutes', '1 minute')).agg(count().alias('n'), sum('v').alias('s'));
    const having = df.where(col('n').geq(3)).select(col('k'), col('window.start').alias('ws'), col('n'), col('s'));
    const { shuffled, local, plan } = await bothWays(having, ['k', 'ws', 'n', 's']);
    expect(plan).toMatch(/Exchange hashpartitioning\(k, 5\)/);
    // The HAVING filter and the projection run in the merge tasks, not on the driver.
    expect(plan).toMatch(/ShuffledStageExec 5 partition\(s\), cap paneFinal, then project/);
    expect(shuffled.length).toBeGreaterThan(1000);
    expect(shuffled).toEqual(local);
  });

  it('session windows by key', async () => {
    const df = tx
      .groupBy(col('k'), sessionWindow(col('t'), '2 minutes').alias('s'))
      .agg(count().alias('n'), sum('v').alias('sv'))
      .select(col('k'), col('s.start').alias('st'), col('s.end').alias('en'), col('n'), col('sv'));
    const { shuffled, local, plan } = await bothWays(df, ['k', 'st', 'en', 'n', 'sv']);
    expect(plan).toMatch(/Exchange hashpartitioning\(k, 5\)/);
    expect(shuffled.length).toBeGreaterThan(5000);
    expect(shuffled).toEqual(local);
  });

  it('window functions partitioned by key', async () => {
    const w = Window.partitionBy('k').orderBy('t').rowsBetween(-3, 0);
    const byTime = Window.partitionBy('k').orderBy('t', 'v');
    const df = tx.select(
      col('k'),
      col('t'),
      col('v'),
      sum('v').over(w).alias('run'),
      count().over(Window.partitionBy('k', 'g')).alias('n'),
      rowNumber().over(byTime).alias('rn'),
      lag('v', 1).over(byTime).alias('prev'),
    );
    const { shuffled, local, plan } = await bothWays(df, ['k', 't', 'v', 'run', 'n', 'rn', 'prev']);
    expect(plan).toMatch(/Exchange hashpartitioning/);
    expect(shuffled.length).toBe(N);
    expect(shuffled).toEqual(local);
  });

  it('global sort: range-partitioned, same order exactly (stable ties, nulls first/last, desc)', async () => {
    const df = tx.orderBy(col('g').descNullsLast(), col('k'), col('v').ascNullsLast());
    const { shuffled, local, plan } = await bothWays(df, ['k', 'g', 't', 'v'], true);
    expect(plan).toMatch(/Exchange rangepartitioning\(.*, 5\)/);
    expect(shuffled.length).toBe(N);
    expect(shuffled).toEqual(local);
    // Ties on the sort keys keep input order (a stable sort), across partitions too.
    const ties = await bothWays(tx.orderBy('g'), ['k', 'g', 't', 'v'], true);
    expect(ties.shuffled).toEqual(ties.local);
  });

  for (const how of ['inner', 'left', 'right', 'full', 'semi', 'anti'] as const) {
    it(`shuffled hash join (${how}) of two inputs over the broadcast threshold`, async () => {
      const df = tx.join(dim, 'k', how);
      const cols = how === 'semi' || how === 'anti' ? ['k', 'g', 't', 'v'] : ['k', 'g', 't', 'v', 'label'];
      const { shuffled, local, plan } = await bothWays(df, cols);
      expect(plan).toMatch(/Exchange hashpartitioning/);
      expect(shuffled).toEqual(local);
    });
  }
});

/** The first operator named `name` in a physical plan, depth first. */
function findOp(op: PhysicalOperator, name: string): PhysicalOperator | undefined {
  if (op.name === name) return op;
  for (const c of op.children) {
    const f = findOp(c, name);
    if (f) return f;
  }
  return undefined;
}

describe('repartition and coalesce', () => {
  it('repartition(n, cols) makes n partitions by the hash of the columns; every row exactly once', async () => {
    const df = tx.repartition(4, 'k');
    expect(sluice.executor.explain(df.plan, 'simple')).toMatch(/Exchange hashpartitioning\(k, 4\)/);
    const ex = findOp(sluice.executor.plan(df.plan), 'Exchange') as ShuffleExchangeExec;
    const parts = await ex.partitions({ batchSize: 4096 });
    expect(parts).toHaveLength(4);
    let total = 0;
    const home = new Map<string, number>();
    parts.forEach((blocks, p) => {
      for (const b of blocks) {
        total += b.numRows;
        expect([...hashPartitionIds(b, [colExpr('k')], 4)].every((x) => x === p)).toBe(true);
        for (let r = 0; r < b.numRows; r++) {
          const key = String(valueAt(b.columns[0] as ColumnVector, r));
          expect(home.get(key) ?? p).toBe(p);
          home.set(key, p);
        }
      }
    });
    expect(total).toBe(N);
    expect(await df.count()).toBe(N);
    const cols = ['k', 'g', 't', 'v'];
    expect(normalizeRows(await df.where(col('v').gt(50)).toArray(), cols)).toEqual(normalizeRows(await tx.where(col('v').gt(50)).toArray(), cols));
  });

  it('repartition(n) deals rows round robin; repartition(col) uses sluice.sql.shuffle.partitions; coalesce keeps rows and order', async () => {
    expect(sluice.executor.explain(tx.repartition(3).plan, 'simple')).toContain('Exchange RoundRobinPartitioning(3)');
    expect(await tx.repartition(3).count()).toBe(N);
    expect(sluice.executor.explain(tx.repartition(col('g')).plan, 'simple')).toContain('Exchange hashpartitioning(g, 5)');
    const cols = ['k', 'g', 't', 'v'];
    expect(normalizeRows(await tx.coalesce(1).toArray(), cols, { ordered: true })).toEqual(normalizeRows(await tx.toArray(), cols, { ordered: true }));
  });

  it('refuses a bad partition count or conf value, naming it', async () => {
    expect(() => tx.repartition(0, 'k')).toThrow(/positive whole number of partitions/);
    expect(() => tx.coalesce(1.5)).toThrow(/coalesce\(\) needs a positive whole number/);
    sluice.conf.set('sluice.sql.shuffle.partitions', 'many');
    try {
      expect(() => sluice.executor.plan(tx.groupBy('k').count().plan)).toThrow(/sluice.sql.shuffle.partitions/);
    } finally {
      sluice.conf.set('sluice.sql.shuffle.partitions', 5);
    }
  });
});
