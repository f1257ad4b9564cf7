import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStream } from '../../../../sources/memory/memory-stream.js';
import { StreamTest } from '../../../helpers/stream-test.js';
import type { DataFrame } from '../../../../index.js';
import { Sluice, avg, col, count, field, lit, max, min, schemaOf, struct, sum, types, unixMillis, window, windowTime } from '../../../../index.js';

const M = 60_000;
let sluice: Sluice;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
});
afterAll(async () => {
  await sluice.stop();
});

const tsSchema = schemaOf([field('t', types.timestamp('ms')), field('k', types.utf8), field('v', types.int64)]);

function frame(rows: { t: number | null; k?: string; v?: number }[]): DataFrame {
  return sluice.createDataFrame(
    rows.map((r) => ({ t: r.t === null ? null : new Date(r.t), k: r.k ?? 'a', v: r.v ?? 1 })),
    tsSchema,
  );
}

/** [start ms, end ms] of each row's window, in output order. */
async function windows(df: DataFrame, name = 'window'): Promise<[number, number][]> {
  return (await df.toArray()).map((r) => {
    const w = r[name] as { start: Date; end: Date };
    return [w.start.getTime(), w.end.getTime()];
  });
}

describe('window() tumbling', () => {
  it('puts a row exactly at a window end into the next window; null times are dropped', async () => {
    const df = frame([{ t: 0 }, { t: 10 * M - 1 }, { t: 10 * M }, { t: null }]);
    expect(await windows(df.select(window('t', '10 minutes')))).toEqual([
      [0, 10 * M],
      [0, 10 * M],
      [10 * M, 20 * M],
    ]);
  });

  it('aligns negative times to the epoch (non-negative modulo)', async () => {
    const df = frame([{ t: -1 }, { t: -10 * M }, { t: -10 * M - 1 }]);
    expect(await windows(df.select(window('t', '10 minutes')))).toEqual([
      [-10 * M, 0],
      [-10 * M, 0],
      [-20 * M, -10 * M],
    ]);
  });

  it('shifts windows by startTime (positive and negative)', async () => {
    const df = frame([{ t: 0 }, { t: 3 * M }, { t: 2 * M }]);
    expect(await windows(df.select(window('t', '10 minutes', undefined, '3 minutes')))).toEqual([
      [-7 * M, 3 * M],
      [3 * M, 13 * M],
      [-7 * M, 3 * M],
    ]);
    expect(await windows(df.select(window('t', '10 minutes', '10 minutes', '-3 minutes')))).toEqual([
      [-3 * M, 7 * M],
      [-3 * M, 7 * M],
      [-3 * M, 7 * M],
    ]);
  });

  it('keeps the time unit and zone of microsecond timestamps', async () => {
    const df = sluice.createDataFrame([{ t: 1_500_000n }], schemaOf([field('t', types.timestamp('us', 'UTC'))]));
    const w = df.select(window('t', '1 second'));
    expect(w.schema.fields[0]?.type).toEqual(
      types.struct([
        { name: 'start', type: types.timestamp('us', 'UTC'), nullable: true },
        { name: 'end', type: types.timestamp('us', 'UTC'), nullable: true },
      ]),
    );
    const r = await w.select(unixMillis(col('window.start')).alias('s'), unixMillis(col('window.end')).alias('e')).toArray();
    expect(r).toEqual([{ s: 1000n, e: 2000n }]);
  });
});

describe('window() sliding in select', () => {
  it('gives a row one row per window containing it: ceil(d/s) when aligned, fewer otherwise', async () => {
    // 10 min sliding 5 min: every row is in exactly 2 windows.
    const a = frame([{ t: 7 * M }]);
    expect((await windows(a.select(window('t', '10 minutes', '5 minutes')))).sort((x, y) => x[0] - y[0])).toEqual([
      [0, 10 * M],
      [5 * M, 15 * M],
    ]);
    // 10 min sliding 4 min: ceil(10/4) = 3 candidates; t = 1 min is in [-8,2) and [-4,6) and [0,10).
    const b = frame([{ t: 1 * M }, { t: 3 * M }]);
    const got = (await windows(b.select(col('t'), window('t', '10 minutes', '4 minutes')))).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    // t = 3 min: [-4,6) and [0,10) only ([-8,2) does not contain it).
    expect(got).toEqual([
      [-8 * M, 2 * M],
      [-4 * M, 6 * M],
      [-4 * M, 6 * M],
      [0, 10 * M],
      [0, 10 * M],
    ]);
  });

  it('names the column window (or the alias) and drops null times', async () => {
    const df = frame([{ t: null }, { t: 0 }]);
    const w = df.withColumn('w', window('t', '2 minutes', '1 minute'));
    expect(w.schema.fields.map((f) => f.name)).toEqual(['t', 'k', 'v', 'w']);
    expect((await windows(w, 'w')).sort((x, y) => x[0] - y[0])).toEqual([
      [-1 * M, 1 * M],
      [0, 2 * M],
    ]);
    expect(df.select(window('t', '2 minutes', '1 minute')).schema.fields.map((f) => f.name)).toEqual(['window']);
  });
});

describe('struct fields, windowTime, struct(), display', () => {
  it("resolves col('window.start') as a field when window is a column, and getField", async () => {
    const df = frame([{ t: 90_000 }]).select(window('t', '1 minute'), col('v'));
    const r = await df.select(col('window.start'), col('window').getField('end').alias('e'), windowTime('window').alias('wt')).toArray();
    expect(r).toEqual([{ start: new Date(M), e: new Date(2 * M), wt: new Date(2 * M - 1) }]);
    const wt = df.select(windowTime(col('window')).alias('wt'));
    expect(wt.schema.fields[0]?.type).toEqual(types.timestamp('us'));
    const us = await wt.select(col('wt').cast('string').alias('x')).toArray();
    expect(us).toEqual([{ x: '1970-01-01 00:01:59.999999' }]);
  });

  it('prefers a qualifier over a struct field (Spark rule)', async () => {
    const df = frame([{ t: 0, v: 5 }])
      .select(window('t', '1 minute'), col('v'))
      .alias('window');
    // `window.v` is column v of the DataFrame aliased window, not a field.
    expect(await df.select(col('window.v')).toArray()).toEqual([{ v: 5n }]);
    expect(await df.select(col('window.end')).toArray()).toEqual([{ end: new Date(M) }]);
  });

  it('builds structs and shows them like Spark', async () => {
    const df = frame([{ t: 0, k: 'x', v: 2 }]);
    const s = df.select(struct(col('k'), col('v').alias('n')).alias('s'));
    expect(await s.toArray()).toEqual([{ s: { k: 'x', n: 2n } }]);
    expect(await s.select(col('s.n')).toArray()).toEqual([{ n: 2n }]);
    const text = await df.select(window('t', '1 minute')).show(20, false);
    expect(text).toContain('|{1970-01-01 00:00:00, 1970-01-01 00:01:00}|');
  });

  it('validates the durations, naming the argument and the fix', () => {
    expect(() => window('t', '0 minutes')).toThrow(/windowDuration must be positive/);
    expect(() => window('t', '1 minute', '2 minutes')).toThrow(/slideDuration '2 minutes' is longer than windowDuration/);
    expect(() => window('t', '1 minute', '0 seconds')).toThrow(/slideDuration must be positive/);
    expect(() => window('t', '10 minutes', '5 minutes', '5 minutes')).toThrow(/startTime '5 minutes' must be shorter than the slide/);
    expect(() => window('t', '10 minutes', '5 minutes', '-6 minutes')).toThrow(/startTime/);
    expect(() => window('t', 'ten minutes')).toThrow(/windowDuration 'ten minutes'/);
    const df = frame([{ t: 0 }]);
    expect(() => df.select(window('k', '1 minute'))).toThrow(/needs a timestamp/);
    expect(() => df.select(window('t', '1 microsecond'))).toThrow(/whole milliseconds/);
  });
});

describe('groupBy(window) aggregation with panes', () => {
  it('tumbling counts per window with exact boundaries', async () => {
    const df = frame([{ t: 0 }, { t: M - 1 }, { t: M }, { t: -1 }, { t: null }]);
    const r = await df
      .groupBy(window('t', '1 minute'))
      .agg(count().alias('n'))
      .orderBy('window.start')
      .select(unixMillis(col('window.start')).alias('s'), col('n'))
      .toArray();
    expect(r).toEqual([
      { s: BigInt(-M), n: 1n },
      { s: 0n, n: 2n },
      { s: BigInt(M), n: 1n },
    ]);
  });

  it('sliding aggregation equals the naive per-row expansion on random data (workers 2)', async () => {
    let seed = 42;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const rows = Array.from({ length: 3000 }, () => ({
      t: rnd() < 0.02 ? null : Math.floor((rnd() - 0.4) * 90 * M),
      k: rnd() < 0.5 ? 'a' : rnd() < 0.5 ? 'b' : 'c',
      v: Math.floor(rnd() * 1000) - 300,
    }));
    // Through Parquet (several files and row groups) so the pane partials run in several worker tasks.
    const dir = mkdtempSync(join(tmpdir(), 'sluice-window-'));
    await frame(rows).write.partitionBy('k').option('rowGroupSize', 400).mode('overwrite').parquet(dir);
    const df = await sluice.read.parquet(dir);
    const aggs = [count().alias('n'), sum('v').alias('s'), min('v').alias('mn'), max('v').alias('mx'), avg('v').alias('a')];
    for (const [d, s, st] of [
      ['10 minutes', '4 minutes', undefined],
      ['10 minutes', '1 minute', '30 seconds'],
      ['15 minutes', '6 minutes', '-2 minutes'],
      ['5 minutes', '5 minutes', undefined],
    ] as const) {
      const fast = df.groupBy(window('t', d, s, st), col('k')).agg(...aggs);
      const naive = df
        .select(window('t', d, s, st), col('k'), col('v'))
        .groupBy('window', 'k')
        .agg(...aggs);
      const norm = (xs: Record<string, unknown>[]): string[] =>
        xs
          .map((r) => {
            const w = r.window as { start: Date; end: Date };
            return `${w.start.getTime()}|${w.end.getTime()}|${r.k}|${r.n}|${r.s}|${r.mn}|${r.mx}|${(r.a as number).toFixed(9)}`;
          })
          .sort();
      const a = norm(await fast.toArray());
      const b = norm(await naive.toArray());
      expect(a.length).toBeGreaterThan(10);
      expect(a).toEqual(b);
      expect(fast.explain()).toContain('WorkerStageExec');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('manual membership: every window holding the row, with counts', async () => {
    // 3 min windows sliding 2 min, pane = 1 min: rows at 0:30 and 2:30.
    const df = frame([{ t: 30_000 }, { t: 150_000 }]);
    const r = await df
      .groupBy(window('t', '3 minutes', '2 minutes'))
      .agg(count().alias('n'))
      .select(unixMillis(col('window.start')).alias('s'), unixMillis(col('window.end')).alias('e'), col('n'))
      .orderBy('s')
      .toArray();
    expect(r).toEqual([
      { s: BigInt(-2 * M), e: BigInt(M), n: 1n },
      { s: 0n, e: BigInt(3 * M), n: 2n },
      { s: BigInt(2 * M), e: BigInt(5 * M), n: 1n },
    ]);
  });

  it('explains the pane plan and flattens the window key', () => {
    const df = frame([{ t: 0 }])
      .groupBy(window('t', '10 minutes', '5 minutes'), 'k')
      .agg(count().alias('n'));
    expect(df.schema.fields.map((f) => f.name)).toEqual(['window', 'k', 'n']);
    const text = df.explain();
    expect(text).toContain('PaneSlideExec');
    expect(text).not.toContain('PaneExpandExec');
    expect(text).toContain('keys=[window.start, k]');
  });

  it('sliding over sorted panes equals the expansion: null keys, gaps, offsets, every aggregate, HAVING', async () => {
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const schema = schemaOf([field('t', types.timestamp('ms')), field('k', types.utf8, true), field('v', types.int64, true), field('x', types.float64, true)]);
    const rows = Array.from({ length: 2500 }, (_, i) => {
      // Bursts far apart (gaps longer than any window) plus dense stretches.
      const base = (i % 5) * 500 * M + (rnd() < 0.5 ? Math.floor(rnd() * 40 * M) : Math.floor(rnd() * 3 * M));
      return {
        t: rnd() < 0.02 ? null : new Date(base - 1000 * M),
        k: rnd() < 0.1 ? null : `k${Math.floor(rnd() * 7)}`,
        v: rnd() < 0.1 ? null : Math.floor(rnd() * 1000) - 300,
        x: rnd() < 0.1 ? null : Math.floor(rnd() * 64) / 8,
      };
    });
    const df = sluice.createDataFrame(rows, schema);
    const aggs = [
      count().alias('n'),
      count('v').alias('nv'),
      sum('v').alias('s'),
      sum('x').alias('sx'),
      min('v').alias('mn'),
      max('x').alias('mx'),
      avg('v').alias('a'),
    ];
    const norm = (xs: Record<string, unknown>[]): string[] =>
      xs
        .map((r) => {
          const w = r.window as { start: Date; end: Date };
          const a = r.a === null ? 'null' : (r.a as number).toFixed(9);
          return `${w.start.getTime()}|${w.end.getTime()}|${r.k}|${r.n}|${r.nv}|${r.s}|${r.sx}|${r.mn}|${r.mx}|${a}`;
        })
        .sort();
    for (const [d, sl, st] of [
      ['10 minutes', '1 minute', undefined],
      ['10 minutes', '4 minutes', '-3 minutes'],
      ['7 minutes', '3 minutes', '2 minutes'],
      ['3 minutes', '1 minute', '-30 seconds'],
    ] as const) {
      const fast = df.groupBy(col('k'), window('t', d, sl, st)).agg(...aggs);
      const naive = df
        .select(window('t', d, sl, st), col('k'), col('v'), col('x'))
        .groupBy('k', 'window')
        .agg(...aggs);
      const a = norm(await fast.toArray());
      expect(a.length).toBeGreaterThan(50);
      expect(a.some((r) => r.includes('|null|'))).toBe(true);
      expect(a).toEqual(norm(await naive.toArray()));
      expect(fast.explain()).toContain('PaneSlideExec');
      // A HAVING on aggregate values runs inside the slide (before keys are gathered), with the same rows.
      const having = fast.filter(col('n').geq(3).and(col('s').isNotNull()));
      expect(having.explain()).toMatch(/ProjectExec[^\n]*window[\s\S]*PaneSlideExec[^\n]*having=/);
      expect(having.explain()).not.toContain('FilterExec');
      const h = norm(await having.toArray());
      expect(h.length).toBeGreaterThan(5);
      expect(h).toEqual(norm(await naive.filter(col('n').geq(3).and(col('s').isNotNull())).toArray()));
    }
  });

  it('a HAVING that reads a key runs below the window projection as a filter; one on the window stays above', async () => {
    const df = frame([
      { t: 0, k: 'a' },
      { t: 5 * M, k: 'b' },
      { t: 6 * M, k: 'b' },
    ]);
    const byKey = df
      .groupBy(window('t', '10 minutes', '5 minutes'), col('k'))
      .agg(count().alias('n'))
      .filter(col('k').eq('b').and(col('n').geq(2)));
    expect(byKey.explain()).toMatch(/ProjectExec[^\n]*window[\s\S]*FilterExec[\s\S]*PaneSlideExec/);
    const r = await byKey
      .select(unixMillis(col('window.start')).alias('s'), col('k'), col('n'))
      .orderBy('s')
      .toArray();
    expect(r).toEqual([
      { s: 0n, k: 'b', n: 2n },
      { s: BigInt(5 * M), k: 'b', n: 2n },
    ]);
  });

  it('a filter on the window column stays above the window projection', async () => {
    const df = frame([{ t: 0 }, { t: 5 * M }, { t: 12 * M }]);
    const q = df
      .groupBy(window('t', '10 minutes', '5 minutes'))
      .agg(count().alias('n'))
      .filter(col('window.start').geq(new Date(0)));
    expect(q.explain()).toMatch(/FilterExec[\s\S]*ProjectExec[\s\S]*PaneSlideExec/);
    const r = await q
      .orderBy('window.start')
      .select(unixMillis(col('window.start')).alias('s'), col('n'))
      .toArray();
    expect(r).toEqual([
      { s: 0n, n: 2n },
      { s: BigInt(5 * M), n: 2n },
      { s: BigInt(10 * M), n: 1n },
    ]);
  });

  it('one key with panes far apart gives each pane its own windows (no window spans the gap)', async () => {
    const df = frame([{ t: 0 }, { t: 100 * M }, { t: 100 * M + 1 }]);
    const r = await df
      .groupBy(window('t', '2 minutes', '1 minute'))
      .agg(count().alias('n'))
      .select(unixMillis(col('window.start')).alias('s'), col('n'))
      .orderBy('s')
      .toArray();
    expect(r).toEqual([
      { s: BigInt(-M), n: 1n },
      { s: 0n, n: 1n },
      { s: BigInt(99 * M), n: 2n },
      { s: BigInt(100 * M), n: 2n },
    ]);
  });

  it('a streaming sliding-window aggregate (partial states per window from sorted panes) equals the batch result', async () => {
    const input = new MemoryStream(tsSchema, 'slide-events');
    const q = (df: DataFrame): DataFrame =>
      df.groupBy(window('t', '3 minutes', '1 minute'), col('k')).agg(count().alias('n'), sum('v').alias('s'), max('v').alias('mx'));
    const t = new StreamTest(q(sluice.readStream.fromSource(input)), { outputMode: 'complete' });
    await t.start();
    const b1 = [
      { t: new Date(30_000), k: 'a', v: 1n },
      { t: new Date(90_000), k: 'a', v: 5n },
      { t: new Date(90_000), k: 'b', v: 2n },
    ];
    const b2 = [
      { t: new Date(150_000), k: 'a', v: 3n },
      { t: new Date(10 * M), k: 'a', v: 7n },
      { t: new Date(30_001), k: 'b', v: -4n },
    ];
    input.addData(b1);
    await t.processAllAvailable();
    input.addData(b2);
    await t.processAllAvailable();
    const render = (r: Record<string, unknown>): string => {
      const w = r.window as { start: Date; end: Date };
      return `${w.start.getTime()}-${w.end.getTime()}|${r.k}|${r.n}|${r.s}|${r.mx}`;
    };
    const last = Math.max(...t.batches.keys());
    const streamed = (t.batches.get(last) ?? []).map(render).sort();
    const batch = (await q(sluice.createDataFrame([...b1, ...b2], tsSchema)).toArray()).map(render).sort();
    expect(streamed).toEqual(batch);
    // t = 1:30 and 2:30 for key a: the window [1 min, 4 min) holds both, with 0:30 outside.
    expect(streamed).toContain(`${M}-${4 * M}|a|2|8|5`);
    await t.cleanup();
  });

  it('groups by a struct column built earlier (generic flattening)', async () => {
    const df = frame([
      { t: 0, v: 1 },
      { t: 1, v: 2 },
      { t: M, v: 3 },
    ]).select(window('t', '1 minute'), col('v'));
    const r = await df.groupBy('window').agg(sum('v').alias('s')).orderBy('window.start').select(col('s'), lit(1).alias('one')).toArray();
    expect(r).toEqual([
      { s: 3n, one: 1 },
      { s: 3n, one: 1 },
    ]);
  });
});
