import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice, avg, col, lit, max, min, sum, types } from '../../index.js';
import { DuckDbClient } from '../helpers/duckdb-client.js';
import { runPython } from './python-interop.js';

/** Parquet decimals written by pyarrow are read exactly as decimal(p,s) and written back as decimals. */
const dir = mkdtempSync(join(tmpdir(), 'sluice-interop-decimal-'));
let sluice: Sluice;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
});
afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

const WRITE = `
import sys, json, decimal as d
import pyarrow as pa, pyarrow.parquet as pq
out = sys.argv[1]
D = d.Decimal
t = pa.table({
  'id': pa.array([1, 2, 3, 4, 5], pa.int64()),
  'price': pa.array([D('12.30'), D('-0.05'), None, D('99999999.99'), D('0.10')], pa.decimal128(10, 2)),
  'big': pa.array([D('123456789012345678'), D('-999999999999999999'), D('0'), None, D('1')], pa.decimal128(18, 0)),
  'rate': pa.array([D('0.0001'), D('1.2345'), D('-3.0000'), D('0.5000'), None], pa.decimal128(5, 4)),
})
pq.write_table(t, out + '/dec.parquet')
n = 2000
amt = [None if i % 17 == 0 else D(i * 7919 % 200001 - 100000).scaleb(-2) for i in range(n)]
qty = [None if i % 23 == 0 else D(i * 31 % 1001 - 500).scaleb(-3) for i in range(n)]
g = pa.table({
  'k': pa.array(['k%d' % (i % 7) for i in range(n)]),
  'amt': pa.array(amt, pa.decimal128(9, 2)),
  'qty': pa.array(qty, pa.decimal128(6, 3)),
  'n': pa.array([i % 50 - 25 for i in range(n)], pa.int32()),
})
pq.write_table(g, out + '/groups.parquet', row_group_size=500)
avgs = {}
for i in range(n):
  if amt[i] is not None: avgs.setdefault('k%d' % (i % 7), []).append(amt[i])
exact = {k: str((sum(v) / len(v)).quantize(D('0.000001'), rounding=d.ROUND_HALF_UP)) for k, v in avgs.items()}
pq.write_table(pa.table({'wide': pa.array([D('1.5')], pa.decimal128(20, 1))}), out + '/wide.parquet')
print(json.dumps({'avg': exact}))
`;

const READ_BACK = `
import sys, json, glob
import pyarrow.parquet as pq
t = pq.read_table(sorted(glob.glob(sys.argv[1] + '/*.parquet')))
rows = sorted([[None if v is None else str(v) for v in r.values()] for r in t.to_pylist()], key=lambda r: int(r[0]))
print(json.dumps({'types': [f.name + ':' + str(f.type) for f in t.schema], 'rows': rows}))
`;

let exactAvg: Record<string, string>;

describe('decimal columns in Parquet', () => {
  beforeAll(() => {
    exactAvg = runPython<{ avg: Record<string, string> }>(dir, 'write_dec.py', WRITE, [dir]).avg;
  });

  it('reads pyarrow decimals exactly (values as strings) and writes them back as decimals', async () => {
    const df = await sluice.read.parquet(join(dir, 'dec.parquet'));
    expect(df.schema.fields.map((f) => f.type)).toEqual([types.int64, types.decimal(10, 2), types.decimal(18, 0), types.decimal(5, 4)]);
    const rows = await df.orderBy('id').toArray();
    expect(rows.map((r) => [r.price, r.big, r.rate])).toEqual([
      ['12.30', '123456789012345678', '0.0001'],
      ['-0.05', '-999999999999999999', '1.2345'],
      [null, '0', '-3.0000'],
      ['99999999.99', null, '0.5000'],
      ['0.10', '1', null],
    ]);
    const out = join(dir, 'out');
    await df.write.parquet(out);
    const back = runPython<{ types: string[]; rows: (string | null)[][] }>(dir, 'read_dec.py', READ_BACK, [out]);
    expect(back.types).toEqual(['id:int64', 'price:decimal128(10, 2)', 'big:decimal128(18, 0)', 'rate:decimal128(5, 4)']);
    expect(back.rows).toEqual([
      ['1', '12.30', '123456789012345678', '0.0001'],
      ['2', '-0.05', '-999999999999999999', '1.2345'],
      ['3', null, '0', '-3.0000'],
      ['4', '99999999.99', null, '0.5000'],
      ['5', '0.10', '1', null],
    ]);
  });

  it('casts decimals to and from double, int and string', async () => {
    const df = await sluice.read.parquet(join(dir, 'dec.parquet'));
    const rows = await df
      .orderBy('id')
      .select(
        col('price').cast('double').alias('d'),
        col('price').cast('int').alias('i'),
        col('price').cast('string').alias('s'),
        col('price').cast('decimal(4,1)').alias('p41'),
        col('rate').cast('DECIMAL(10, 2)').alias('r2'),
        col('id').cast('decimal(5,2)').alias('id52'),
      )
      .toArray();
    expect(rows).toEqual([
      { d: 12.3, i: 12, s: '12.30', p41: '12.3', r2: '0.00', id52: '1.00' },
      { d: -0.05, i: 0, s: '-0.05', p41: '-0.1', r2: '1.23', id52: '2.00' },
      { d: null, i: null, s: null, p41: null, r2: '-3.00', id52: '3.00' },
      { d: 99999999.99, i: 99999999, s: '99999999.99', p41: null, r2: '0.50', id52: '4.00' },
      { d: 0.1, i: 0, s: '0.10', p41: '0.1', r2: null, id52: '5.00' },
    ]);
  });

  it('refuses decimals wider than 18 digits, naming the column and suggesting a cast', async () => {
    await expect(async () => (await sluice.read.parquet(join(dir, 'wide.parquet'))).toArray()).rejects.toThrow(
      /Column 'wide'.*decimal\(20,1\).*18 digits.*double/,
    );
  });

  it('sums, averages, min/max and arithmetic match DuckDB (values as strings) with Spark result types', async () => {
    const df = await sluice.read.parquet(join(dir, 'groups.parquet'));
    const agg = df.groupBy('k').agg(sum('amt').alias('s'), avg('amt').alias('a'), min('amt').alias('lo'), max('qty').alias('hi')).orderBy('k');
    expect(agg.schema.fields.map((f) => f.type)).toEqual([types.utf8, types.decimal(18, 2), types.decimal(13, 6), types.decimal(9, 2), types.decimal(6, 3)]);
    const got = await agg.toArray();
    const duck = await DuckDbClient.open();
    try {
      const src = `read_parquet('${join(dir, 'groups.parquet')}')`;
      const want = await duck.query(`SELECT k, sum(amt)::VARCHAR AS s, min(amt)::VARCHAR AS lo, max(qty)::VARCHAR AS hi FROM ${src} GROUP BY k ORDER BY k`);
      expect(got.map((r) => ({ k: r.k, s: r.s, lo: r.lo, hi: r.hi }))).toEqual(want);
      // DuckDB's avg over decimals is a double; the exact half-up average comes from Python's decimal module.
      expect(Object.fromEntries(got.map((r) => [r.k, r.a]))).toEqual(exactAvg);

      const arith = df.select(
        col('amt').plus(col('qty')).alias('p'),
        col('amt').minus(col('qty')).alias('m'),
        col('amt').multiply(col('qty')).alias('x'),
        col('amt').plus(col('n')).alias('pn'),
        col('amt').multiply(lit(3)).alias('x3'),
        col('amt').gt(lit(100)).alias('gt'),
        col('amt').leq(col('qty')).alias('le'),
        col('amt').eqNullSafe(col('amt')).alias('same'),
      );
      expect(arith.schema.fields.map((f) => f.type)).toEqual([
        types.decimal(11, 3),
        types.decimal(11, 3),
        types.decimal(16, 5),
        types.decimal(13, 2),
        types.decimal(11, 2),
        types.boolean,
        types.boolean,
        types.boolean,
      ]);
      const mine = await arith.toArray();
      const theirs = await duck.query(
        `SELECT (amt + qty)::VARCHAR AS p, (amt - qty)::VARCHAR AS m, (amt * qty)::VARCHAR AS x, (amt + n)::VARCHAR AS pn,
           (amt * 3)::VARCHAR AS x3, amt > 100 AS gt, amt <= qty AS le, amt IS NOT DISTINCT FROM amt AS same FROM ${src}`,
      );
      expect(mine).toEqual(theirs);
    } finally {
      duck.close();
    }
  });
});
