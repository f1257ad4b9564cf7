import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice, SluiceError, col, count, sum, udf, udfFromModule, vectorizedUdf } from '../../../index.js';
import type { DataFrame } from '../../../index.js';

const MODULE = new URL('./udf-functions.ts', import.meta.url).href;

let sluice: Sluice;
let tx: DataFrame;

const rows = Array.from({ length: 5000 }, (_, i) => ({
  id: i,
  name: i % 10 === 0 ? null : ` Name${i % 7} `,
  amount: i % 13 === 0 ? null : (i % 200) + 0.5,
}));

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
  tx = sluice.createDataFrame(rows);
});

afterAll(async () => {
  await sluice.stop();
});

async function errorOf(fn: () => unknown): Promise<SluiceError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    return e as SluiceError;
  }
  throw new Error('expected an error');
}

describe('row UDFs from a module', () => {
  const normalise = udf({ module: MODULE, export: 'normalise' }, 'string');

  it('run in the worker threads and give each row its value; null arguments arrive as null', async () => {
    const threadOf = udfFromModule(MODULE, 'threadOf', 'int');
    const out = await tx
      .select(col('id'), normalise(col('name')).alias('n'), threadOf('id').alias('t'))
      .orderBy('id')
      .toArray();
    expect(out).toHaveLength(5000);
    for (const r of out) {
      const src = rows[r.id as number] as (typeof rows)[number];
      expect(r.n).toBe(src.name === null ? null : src.name.trim().toLowerCase());
    }
    // Every row was computed in a worker thread, none on the driver (thread 0).
    expect(out.every((r) => (r.t as number) > 0)).toBe(true);
    expect(tx.select(normalise(col('name'))).columns).toEqual(['normalise(name)']);
  });

  it('may turn null arguments into values', async () => {
    const withFee = udf({ module: MODULE, export: 'withFee' }, 'double');
    const out = await tx
      .filter(col('id').lt(3))
      .select('id', withFee('amount', col('amount')).alias('f'))
      .orderBy('id')
      .toArray();
    // row 0 has a null amount: (null ?? 0) + (null ?? 1) = 1
    expect(out).toEqual([
      { id: 0n, f: 1 },
      { id: 1n, f: 3 },
      { id: 2n, f: 5 },
    ]);
  });

  it('work in filters, group keys and aggregates', async () => {
    const out = await tx
      .filter(normalise(col('name')).isNotNull())
      .groupBy(normalise(col('name')).alias('k'))
      .agg(count().alias('n'))
      .orderBy('k')
      .toArray();
    const expected = new Map<string, number>();
    for (const r of rows) if (r.name !== null) expected.set(r.name.trim().toLowerCase(), (expected.get(r.name.trim().toLowerCase()) ?? 0) + 1);
    expect(out).toEqual([...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => ({ k, n: BigInt(n) })));
  });

  it('a result of the wrong type fails the query with TYPE_MISMATCH naming the UDF', async () => {
    const wrong = udf({ module: MODULE, export: 'wrongType' }, 'double');
    const e = await errorOf(() => tx.select(wrong(col('amount'))).toArray());
    expect(e.code).toBe('TYPE_MISMATCH');
    expect(e.message).toContain("UDF 'wrongType' returned string 'value null' for row 0");
    expect(e.message).toContain('declared return type is double');
  });

  it('an error thrown by the function fails the query with UDF_FAILED naming the UDF', async () => {
    const fails = udf({ module: MODULE, export: 'failsOnNegative' }, 'double');
    const e = await errorOf(() => tx.select(fails(col('amount').minus(100))).toArray());
    expect(e.code).toBe('UDF_FAILED');
    expect(e.message).toMatch(/UDF 'failsOnNegative' threw on row \d+: negative input/);
  });

  it('a wrong export name fails before any batch, naming the closest export', async () => {
    const typo = udf({ module: MODULE, export: 'normalize' }, 'string');
    const e = await errorOf(() => tx.select(typo(col('name'))).toArray());
    expect(e.message).toContain("has no exported function 'normalize'. Did you mean 'normalise'?");
  });
});

describe('vectorized UDFs', () => {
  it('compute amount * 1.1 + 3 like the built-in expression, nulls where the argument is null', async () => {
    const scale = vectorizedUdf({ module: MODULE, export: 'scaleAmount' }, 'double');
    const out = await tx
      .select(col('id'), scale(col('amount')).alias('u'), col('amount').multiply(1.1).plus(3).alias('b'))
      .orderBy('id')
      .toArray();
    expect(out).toHaveLength(5000);
    for (const r of out) expect(r.u).toBe(r.b);
    expect(out.filter((r) => r.u === null)).toHaveLength(rows.filter((r) => r.amount === null).length);
  });

  it('may return a plain array with its own nulls', async () => {
    const label = vectorizedUdf({ module: MODULE, export: 'sizeLabel' }, 'string');
    const out = await tx
      .groupBy(label(col('amount')).alias('size'))
      .agg(count().alias('n'))
      .orderBy('size')
      .toArray();
    const big = rows.filter((r) => r.amount !== null && r.amount > 100).length;
    const nulls = rows.filter((r) => r.amount === null).length;
    expect(out).toEqual([
      { size: null, n: BigInt(nulls) },
      { size: 'big', n: BigInt(big) },
      { size: 'small', n: BigInt(5000 - big - nulls) },
    ]);
  });

  it('receive dictionary-encoded strings (a cached DataFrame) as Arrow vectors and may return an Arrow Vector', async () => {
    const upper = vectorizedUdf({ module: MODULE, export: 'upperVector' }, 'string');
    const cached = await tx.cache();
    const plan = cached.plan as { kind: string; batches?: readonly { columns: readonly { dictionary?: unknown }[] }[] };
    expect(plan.kind).toBe('local');
    expect(plan.batches?.[0]?.columns[1]?.dictionary).toBeDefined();
    const out = await cached
      .select(col('id'), upper(col('name')).alias('u'))
      .orderBy('id')
      .toArray();
    expect(out).toHaveLength(5000);
    for (const r of out) {
      const src = rows[Number(r.id)] as (typeof rows)[number];
      expect(r.u).toBe(src.name === null ? null : src.name.toUpperCase());
    }
  });

  it('a typed array of the wrong kind is TYPE_MISMATCH naming the UDF', async () => {
    const bad = vectorizedUdf({ module: MODULE, export: 'int32Result' }, 'double');
    const e = await errorOf(() => tx.select(bad(col('amount'))).toArray());
    expect(e.code).toBe('TYPE_MISMATCH');
    expect(e.message).toContain("Vectorized UDF 'int32Result' returned a Int32Array");
    expect(e.message).toContain('return a Float64Array');
  });
});

describe('inline closures', () => {
  it('are refused when the query would run them in the worker threads, saying how to define them', async () => {
    const shout = udf(function shout(s: string | null) {
      return s === null ? null : s.toUpperCase();
    }, 'string');
    const e = await errorOf(() => tx.select(shout(col('name'))).toArray());
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain("UDF 'shout' is a closure defined inline, and this query would run it in the worker threads");
    expect(e.message).toContain("udf({ module: new URL('./udfs.js', import.meta.url).href, export: 'shout' }");
  });

  it('run where the driver evaluates them (over an aggregate the driver finishes)', async () => {
    const half = udf((x: bigint | null) => (x === null ? null : Number(x) / 2), 'double');
    const out = await tx
      .groupBy(col('id').mod(2).alias('k'))
      .agg(sum('id').alias('s'))
      .select('k', half(col('s')).alias('h'))
      .orderBy('k')
      .toArray();
    const s0 = rows.filter((r) => r.id % 2 === 0).reduce((a, r) => a + r.id, 0);
    const s1 = rows.filter((r) => r.id % 2 === 1).reduce((a, r) => a + r.id, 0);
    expect(out).toEqual([
      { k: 0n, h: s0 / 2 },
      { k: 1n, h: s1 / 2 },
    ]);
  });
});

describe('registration for SQL', () => {
  it('sluice.udf.register makes a UDF findable by name (any case), as the SQL front end looks it up', async () => {
    sluice.udf.register('clean_name', udf({ module: MODULE, export: 'normalise' }, 'string'));
    const found = tx.executor.lookupUdf?.('CLEAN_NAME');
    expect(found).toBeDefined();
    const out = await tx
      .filter(col('id').equalTo(1))
      .select((found as NonNullable<typeof found>)(col('name')))
      .toArray();
    expect(out).toEqual([{ 'clean_name(name)': 'name1' }]);
    expect(sluice.udf.lookup('nope')).toBeUndefined();
    expect(() => sluice.udf.get('clean_nam')).toThrow("Unknown function 'clean_nam'. Did you mean 'clean_name'?");
  });
});
