import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../common/errors.js';
import type { Column, DataFrame } from '../../index.js';
import { Sluice, Window, col, count, expr, lag, lead, rowNumber, sessionWindow, sum, udf, upper, window } from '../../index.js';
import { normalizeRows } from '../helpers/normalize-rows.js';

let sluice: Sluice;
let dir: string;
let t: DataFrame;
let d: DataFrame;

const T0 = Date.UTC(2024, 0, 1);

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-sql-session-'));
  const rows = Array.from({ length: 60 }, (_, i) => ({
    id: i,
    k: i % 7 === 0 ? null : ['a', 'b', 'c'][i % 3],
    x: i % 5 === 0 ? null : (i * 37) % 101,
    ts: new Date(T0 + ((i * 7919) % 3600) * 1000),
  }));
  t = sluice.createDataFrame(rows, 'id BIGINT, k STRING, x BIGINT, ts TIMESTAMP');
  d = sluice.createDataFrame(
    [
      { k: 'a', name: 'Alpha' },
      { k: 'b', name: 'Beta' },
      { k: 'z', name: 'Zed' },
    ],
    'k STRING, name STRING',
  );
  t.createOrReplaceTempView('t');
  d.createOrReplaceTempView('d');
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(df: DataFrame, ordered = false): Promise<unknown[][]> {
  return normalizeRows(await df.toArray(), df.columns, { ordered });
}

function errorOf(f: () => Promise<unknown>): Promise<SluiceError> {
  return f().then(
    () => {
      throw new Error('expected an error');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(SluiceError);
      return e as SluiceError;
    },
  );
}

describe('SQL and the equivalent DataFrame code', () => {
  const pairs: { name: string; sql: string; df: () => DataFrame; ordered?: boolean }[] = [
    {
      name: 'filter and projection',
      sql: 'SELECT id, x * 2 AS y, upper(k) AS uk FROM t WHERE x > 10 AND k IS NOT NULL',
      df: () =>
        t
          .alias('t')
          .filter(col('x').gt(10).and(col('k').isNotNull()))
          .select(col('id'), col('x').multiply(2).alias('y'), upper('k').alias('uk')),
    },
    {
      name: 'grouped aggregation',
      sql: 'SELECT k, count(*) AS n, sum(x) AS s FROM t GROUP BY k',
      df: () => t.alias('t').groupBy('k').agg(count().alias('n'), sum('x').alias('s')),
    },
    {
      name: 'tumbling window aggregation',
      sql: "SELECT window(ts, '10 minutes'), k, count(*) AS n FROM t GROUP BY window(ts, '10 minutes'), k",
      df: () => t.alias('t').groupBy(window('ts', '10 minutes'), 'k').agg(count().alias('n')),
    },
    {
      name: 'session window aggregation',
      sql: "SELECT session_window(ts, '3 minutes'), k, count(*) AS n FROM t GROUP BY session_window(ts, '3 minutes'), k",
      df: () => t.alias('t').groupBy(sessionWindow('ts', '3 minutes'), 'k').agg(count().alias('n')),
    },
    {
      name: 'join, order and limit',
      sql: 'SELECT t.id, d.name FROM t JOIN d ON t.k = d.k ORDER BY t.id DESC LIMIT 5',
      df: () =>
        t
          .alias('t')
          .join(d.alias('d'), col('t.k').eq(col('d.k')))
          .select(col('t.id'), col('d.name'))
          .orderBy(col('t.id').desc())
          .limit(5),
      ordered: true,
    },
    {
      name: 'ranking and offset window functions',
      sql: 'SELECT k, x, row_number() OVER (PARTITION BY k ORDER BY x) AS rn, lag(x) OVER (PARTITION BY k ORDER BY x) AS px, lead(x, 2, -1) OVER (ORDER BY id) AS nx FROM t',
      df: () =>
        t
          .alias('t')
          .select(
            col('k'),
            col('x'),
            rowNumber().over(Window.partitionBy('k').orderBy('x')).alias('rn'),
            lag('x').over(Window.partitionBy('k').orderBy('x')).alias('px'),
            lead('x', 2, -1).over(Window.orderBy('id')).alias('nx'),
          ),
    },
    {
      name: 'window function',
      sql: 'SELECT id, sum(x) OVER (PARTITION BY k ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s2 FROM t',
      df: () => t.alias('t').select(col('id'), sum('x').over(Window.partitionBy('k').orderBy('id').rowsBetween(-1, Window.currentRow)).alias('s2')),
    },
  ];

  for (const p of pairs) {
    it(`${p.name}: same plan and rows`, async () => {
      const q = await sluice.sql(p.sql);
      const ref = p.df();
      expect(q.explain('extended')).toBe(ref.explain('extended'));
      expect(q.columns).toEqual(ref.columns);
      const got = await rows(q, p.ordered);
      expect(got.length).toBeGreaterThan(0);
      expect(got).toEqual(await rows(ref, p.ordered));
    });
  }
});

describe('timestamp +/- INTERVAL', () => {
  it('adds calendar intervals (Spark CalendarInterval semantics)', async () => {
    const sql = "SELECT id, ts, ts + INTERVAL 1 HOUR 30 MINUTES AS later, ts - INTERVAL '1 day' AS earlier FROM t";
    const got = await (await sluice.sql(sql)).toArray();
    expect(got).toHaveLength(60);
    for (const r of got) {
      const ms = (r.ts as Date).getTime();
      expect((r.later as Date).getTime()).toBe(ms + 90 * 60_000);
      expect((r.earlier as Date).getTime()).toBe(ms - 86_400_000);
    }
  });
});

describe('INTERSECT and EXCEPT', () => {
  it('use DataFrame.intersect/except when this build has them, else say what is missing', async () => {
    const sql = 'SELECT k FROM t INTERSECT SELECT k FROM d';
    if (typeof (t as unknown as Record<string, unknown>).intersect !== 'function') {
      const e = await errorOf(() => sluice.sql(sql));
      expect(e.code).toBe('UNSUPPORTED');
      expect(e.message).toContain('INTERSECT needs DataFrame.intersect()');
      return;
    }
    expect(normalizeRows(await (await sluice.sql(sql)).toArray(), ['k'])).toEqual([['a'], ['b']]);
  });
});

describe('ROLLUP / CUBE / GROUPING SETS', () => {
  it('use DataFrame.rollup/cube/groupingSets when this build has them, else say what is missing', async () => {
    const sql = 'SELECT k, count(*) AS n FROM t GROUP BY ROLLUP(k)';
    if (typeof (t as unknown as Record<string, unknown>).rollup !== 'function') {
      const e = await errorOf(() => sluice.sql(sql));
      expect(e.code).toBe('UNSUPPORTED');
      expect(e.message).toContain('GROUP BY ROLLUP needs DataFrame.rollup()');
      return;
    }
    const got = normalizeRows(await (await sluice.sql(sql)).toArray(), ['k', 'n']);
    expect(got).toContainEqual([null, 60]);
  });
});

describe('explain() of a query over a view', () => {
  it('shows the physical plan of the DataFrame code without the view alias', async () => {
    const q = await sluice.sql('SELECT k, count(*) AS n FROM t WHERE x > 3 GROUP BY k ORDER BY n DESC');
    const ref = t.filter(col('x').gt(3)).groupBy('k').agg(count().alias('n')).orderBy(col('n').desc());
    expect(q.explain()).toBe(ref.explain());
    expect(q.explain()).toContain('HashAggregateExec');
  });
});

describe('expression strings', () => {
  it('selectExpr, filter(text) and where(text) give the Column API results', async () => {
    const a = t.selectExpr('id', 'x * 2 AS y', 'upper(k) uk').filter('y > 100 AND uk IN (?, ?)'.replace('?, ?', "'A', 'C'")).where('id % 2 = 0');
    const b = t
      .select(col('id'), col('x').multiply(2).alias('y'), upper('k').alias('uk'))
      .filter(col('y').gt(100).and(col('uk').isin('A', 'C')))
      .where(col('id').mod(2).eq(0));
    expect(a.explain()).toBe(b.explain());
    const got = await rows(a);
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(await rows(b));
  });

  it('expr() works in groupBy/agg and over windows', async () => {
    const a = t.groupBy(expr('k')).agg(expr('count(DISTINCT x) AS nx'), expr('max(x) - min(x) AS spread'));
    const got = await rows(a);
    expect(got).toHaveLength(4);
    for (const [k, nx, spread] of got as [string | null, number, number][]) {
      const xs = (await t.filter(k === null ? col('k').isNull() : col('k').eq(k)).toArray())
        .map((r) => r.x)
        .filter((v) => v !== null)
        .map(Number);
      expect(nx).toBe(new Set(xs).size);
      expect(spread).toBe(Math.max(...xs) - Math.min(...xs));
    }
  });

  it('an unknown column in filter(text) names the closest column', () => {
    expect(() => t.filter('xx > 1')).toThrow(/Unknown column 'xx'/);
  });
});

describe('functions registered in the session', () => {
  it('sluice.udf.register makes a module UDF callable from SQL, selectExpr and filter(text)', async () => {
    const module = new URL('../e2e/udf/udf-functions.ts', import.meta.url).href;
    sluice.udf.register('with_fee', udf({ module, export: 'withFee' }, 'double'));
    const q = await sluice.sql('SELECT id, WITH_FEE(CAST(x AS DOUBLE), 2.5) AS f FROM t WHERE with_fee(x::double, 0.0) > 50');
    const want = (await t.toArray()).filter((r) => Number(r.x ?? 0) > 50).map((r) => [Number(r.id), Number(r.x ?? 0) + 2.5]);
    expect(want.length).toBeGreaterThan(0);
    expect(await rows(q)).toEqual(
      normalizeRows(
        want.map(([id, f]) => ({ id, f })),
        ['id', 'f'],
      ),
    );
    expect(await rows(t.selectExpr('with_fee(NULL, NULL) AS one').limit(1))).toEqual([[1]]);
  });

  it('are resolved through the executor lookupUdf hook (sluice.udf.register), before built-ins', async () => {
    type Lookup = (name: string) => ((...args: Column[]) => Column) | undefined;
    const executor = sluice.executor as unknown as { lookupUdf?: Lookup };
    const saved = executor.lookupUdf;
    executor.lookupUdf = (name) =>
      name.toLowerCase() === 'twice' ? (c: Column) => c.multiply(2) : name === 'upper' ? (c: Column) => c : saved?.call(executor, name);
    try {
      const q = await sluice.sql('SELECT id, TWICE(x) AS x2, upper(k) AS k FROM t WHERE twice(id) < 10');
      const direct = t.filter(col('id').multiply(2).lt(10)).select(col('id'), col('x').multiply(2).alias('x2'), col('k'));
      expect(await rows(q)).toEqual(await rows(direct));
      expect(await rows(t.selectExpr('twice(id) AS i2').filter('i2 < 6'))).toEqual([[0], [2], [4]]);
      expect(() => expr('twice(id)')).toThrow(/Unknown function twice/);
    } finally {
      delete executor.lookupUdf;
    }
  });
});

describe('SQL errors point at the SQL', () => {
  it('an unknown column: line, column, caret and the closest name', async () => {
    const e = await errorOf(() => sluice.sql('SELECT k,\n       nmae\nFROM d'));
    expect(e.code).toBe('UNKNOWN_COLUMN');
    expect(e.message).toContain("Unknown column 'nmae' in SELECT. Did you mean 'name'? Columns are: k, name (line 2, column 8)");
    expect(e.message.split('\n').slice(-2)).toEqual(['         nmae', '         ^^^^']);
  });

  it('an unknown qualified column in WHERE', async () => {
    const e = await errorOf(() => sluice.sql('SELECT * FROM t WHERE t.idd > 3'));
    expect(e.message).toContain("Unknown column 't.idd' in WHERE. Did you mean 'id'?");
    expect(e.message).toContain('(line 1, column 23)');
  });

  it('a column missing from GROUP BY, in the canonical and the general shape', async () => {
    const e1 = await errorOf(() => sluice.sql('SELECT k, x, count(*) FROM t GROUP BY k'));
    expect(e1.code).toBe('INVALID_PLAN');
    expect(e1.message).toContain(
      "Column 'x' is neither in GROUP BY nor inside an aggregate function. Add x to GROUP BY, or aggregate it, e.g. first(x) (line 1, column 11)",
    );
    const e2 = await errorOf(() => sluice.sql('SELECT count(*) AS n, x FROM t GROUP BY k'));
    expect(e2.message).toContain("Column 'x' is neither in GROUP BY nor inside an aggregate function");
    expect(e2.message).toContain('(line 1, column 23)');
  });

  it('an unknown view names the registered ones', async () => {
    const e = await errorOf(() => sluice.sql('SELECT * FROM tt'));
    expect(e.message).toContain("Unknown table or view 'tt'. Did you mean 't'?");
  });

  it('a missing file points at the relation', async () => {
    const e = await errorOf(() => sluice.sql(`SELECT * FROM parquet.\`${join(dir, 'nope')}\``));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toContain('(line 1, column 15)');
  });

  it('a type error keeps its code and points at the clause', async () => {
    const e = await errorOf(() => sluice.sql('SELECT id FROM t WHERE k + 1 > 2'));
    expect(e.code).toBe('TYPE_MISMATCH');
    expect(e.message).toContain('(in WHERE) (line 1, column 24)');
  });
});

describe('temporary views', () => {
  it('are case-insensitive, replaceable and droppable', async () => {
    t.filter('id < 3').createOrReplaceTempView('Small');
    expect(await (await sluice.sql('SELECT count(*) AS n FROM SMALL')).toArray()).toEqual([{ n: 3n }]);
    t.filter('id < 5').createOrReplaceTempView('small');
    expect(await (await sluice.sql('SELECT count(*) AS n FROM small')).toArray()).toEqual([{ n: 5n }]);
    expect(() => t.createTempView('SMALL')).toThrow(/Temporary view 'SMALL' already exists/);
    expect(() => t.createTempView('bad-name')).toThrow(/needs a name of letters, digits and _/);
    expect(sluice.dropTempView('SMALL')).toBe(true);
    expect(sluice.dropTempView('SMALL')).toBe(false);
    await expect(sluice.sql('SELECT * FROM small')).rejects.toThrow(/Unknown table or view 'small'/);
  });

  it('reads csv and json files named in FROM', async () => {
    // As in Spark, csv.`path` reads without a header: the columns are _c0, _c1 (strings).
    writeFileSync(join(dir, 'p.csv'), 'a,1\nb,2\na,3\n');
    writeFileSync(join(dir, 'p.json'), '{"k":"a","w":10}\n{"k":"b","w":20}\n');
    const q = await sluice.sql(
      `SELECT c._c0 AS k, sum(CAST(c._c1 AS INT)) AS sv, max(j.w) AS w FROM csv.\`${join(dir, 'p.csv')}\` c JOIN json.\`${join(dir, 'p.json')}\` j ON c._c0 = j.k GROUP BY c._c0 ORDER BY k`,
    );
    expect(normalizeRows(await q.toArray(), ['k', 'sv', 'w'], { ordered: true })).toEqual([
      ['a', 4, 10],
      ['b', 2, 20],
    ]);
  });
});
