import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice, SluiceError, approxCountDistinct, avg, col, collectSet, count, first, last, lit, max, min, sum, types, field, schemaOf } from '../../index.js';
import type { DataFrame } from '../../index.js';

let sluice: Sluice;
let dir: string;
let people: DataFrame;

const rows = [
  { id: 1, name: 'ann', dept: 'eng', salary: 100.5, age: 30 },
  { id: 2, name: 'bob', dept: 'eng', salary: null, age: 40 },
  { id: 3, name: null, dept: 'ops', salary: 80, age: null },
  { id: 4, name: 'dan', dept: null, salary: 70.25, age: 25 },
  { id: 5, name: 'eve', dept: 'ops', salary: 90, age: 35 },
];

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-api-'));
  people = sluice.createDataFrame(rows);
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
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

describe('createDataFrame and schema', () => {
  it('infers types from JS values', () => {
    expect(people.schema.fields.map((f) => [f.name, f.type.kind])).toEqual([
      ['id', 'int64'],
      ['name', 'utf8'],
      ['dept', 'utf8'],
      ['salary', 'float64'],
      ['age', 'int64'],
    ]);
    expect(people.printSchema()).toContain(' |-- salary: double (nullable = true)');
  });

  it('accepts an explicit DDL schema and array rows', async () => {
    const df = sluice.createDataFrame(
      [
        [1, 'a'],
        [2, null],
      ],
      'k INT, v STRING',
    );
    expect(df.schema.fields.map((f) => f.type.kind)).toEqual(['int32', 'utf8']);
    expect(await df.toArray()).toEqual([
      { k: 1, v: 'a' },
      { k: 2, v: null },
    ]);
  });

  it('accepts an Arrow table', async () => {
    const t = tableFromArrays({ a: Float64Array.from([1.5, 2.5]), b: Int32Array.from([7, 8]) });
    const df = sluice.createDataFrame(t);
    expect(await df.select(col('a').plus(col('b')).alias('c')).toArray()).toEqual([{ c: 8.5 }, { c: 10.5 }]);
  });

  it('empty DataFrame with a schema', async () => {
    const df = sluice.createDataFrame([], schemaOf([field('x', types.int64)]));
    expect(await df.count()).toBe(0);
    expect(await df.agg(count().alias('n'), sum('x').alias('s')).toArray()).toEqual([{ n: 0n, s: null }]);
  });
});

describe('transformations', () => {
  it('select, filter, where', async () => {
    const r = await people.filter(col('salary').gt(75)).where(col('dept').eq('ops')).select('id', 'name').toArray();
    expect(r).toEqual([
      { id: 3n, name: null },
      { id: 5n, name: 'eve' },
    ]);
  });

  it('withColumn adds and replaces in place; withColumnRenamed; drop', async () => {
    const df = people
      .withColumn('age', col('age').plus(1))
      .withColumn('bonus', col('salary').multiply(0.1))
      .withColumnRenamed('name', 'who')
      .drop('dept', 'salary');
    expect(df.columns).toEqual(['id', 'who', 'age', 'bonus']);
    const r = await df.filter(col('id').le(2)).toArray();
    expect(r[0]).toMatchObject({ id: 1n, who: 'ann', age: 31n });
    expect(r[0]?.bonus).toBeCloseTo(10.05, 10);
    expect(r[1]).toMatchObject({ id: 2n, age: 41n, bonus: null });
  });

  it('groupBy().agg() with nulls as a group', async () => {
    const r = await people
      .groupBy('dept')
      .agg(count().alias('n'), count('salary').alias('ns'), sum('salary').alias('s'), avg('age').alias('a'), min('name').alias('mn'), max('name').alias('mx'))
      .orderBy(col('dept').asc())
      .toArray();
    expect(r).toEqual([
      { dept: null, n: 1n, ns: 1n, s: 70.25, a: 25, mn: 'dan', mx: 'dan' },
      { dept: 'eng', n: 2n, ns: 1n, s: 100.5, a: 35, mn: 'ann', mx: 'bob' },
      { dept: 'ops', n: 2n, ns: 2n, s: 170, a: 35, mn: 'eve', mx: 'eve' },
    ]);
  });

  it('first, last, collectSet, approxCountDistinct', async () => {
    const r = await people
      .agg(
        first('name').alias('f'),
        last('name').alias('l'),
        first('name', true).alias('fi'),
        collectSet('dept').alias('ds'),
        approxCountDistinct('dept').alias('ad'),
      )
      .toArray();
    expect(r[0]?.f).toBe('ann');
    expect(r[0]?.l).toBe('eve');
    expect(r[0]?.fi).toBe('ann');
    expect([...((r[0]?.ds ?? []) as string[])].sort()).toEqual(['eng', 'ops']);
    expect(r[0]?.ad).toBe(2n);
  });

  it('orderBy with directions and null placement; limit', async () => {
    const r = await people.orderBy(col('salary').desc(), col('id').asc()).select('id').toArray();
    expect(r.map((x) => x.id)).toEqual([1n, 5n, 3n, 4n, 2n]);
    const r2 = await people.orderBy(col('salary').ascNullsLast()).limit(2).select('id').toArray();
    expect(r2.map((x) => x.id)).toEqual([4n, 3n]);
    expect(await people.limit(0).count()).toBe(0);
  });

  it('distinct and dropDuplicates', async () => {
    expect(await people.select('dept').distinct().count()).toBe(3);
    const r = await people.dropDuplicates(['dept']).select('id').orderBy('id').toArray();
    expect(r.map((x) => x.id)).toEqual([1n, 3n, 4n]);
  });

  it('union and unionByName with missing columns', async () => {
    const a = people.select('id', 'name');
    expect(await a.union(a).count()).toBe(10);
    const b = sluice.createDataFrame([{ name: 'zed' }]);
    const r = await a.filter(col('id').eq(1)).unionByName(b, true).toArray();
    expect(r).toEqual([
      { id: 1n, name: 'ann' },
      { id: null, name: 'zed' },
    ]);
  });

  it('joins: inner, left, right, full, semi, anti, cross', async () => {
    const depts = sluice.createDataFrame([
      { dept: 'eng', floor: 3 },
      { dept: 'hr', floor: 1 },
    ]);
    const ids = async (df: DataFrame) => (await df.toArray()).map((r) => r.id ?? null).sort();
    expect(await ids(people.join(depts, 'dept'))).toEqual([1n, 2n]);
    expect((await people.join(depts, 'dept', 'left').toArray()).length).toBe(5);
    expect(await people.join(depts, 'dept', 'right').filter(col('dept').eq('hr')).select('floor', 'id').toArray()).toEqual([{ floor: 1n, id: null }]);
    expect((await people.join(depts, 'dept', 'full').toArray()).length).toBe(6);
    expect(await ids(people.join(depts, 'dept', 'semi'))).toEqual([1n, 2n]);
    expect(await ids(people.join(depts, 'dept', 'anti'))).toEqual([3n, 4n, 5n]);
    expect(await people.crossJoin(depts).count()).toBe(10);
  });

  it('join on an expression with aliases', async () => {
    const a = people.alias('a');
    const b = people.alias('b');
    const r = await a
      .join(
        b,
        col('a.dept')
          .eq(col('b.dept'))
          .and(col('a.id').lt(col('b.id'))),
      )
      .select(col('a.id').alias('x'), col('b.id').alias('y'))
      .orderBy('x')
      .toArray();
    expect(r).toEqual([
      { x: 1n, y: 2n },
      { x: 3n, y: 5n },
    ]);
  });
});

describe('actions', () => {
  it('count, head, first, isEmpty, collect', async () => {
    expect(await people.count()).toBe(5);
    expect((await people.head(2)).length).toBe(2);
    expect((await people.first())?.id).toBe(1n);
    expect(await people.filter(col('id').gt(99)).isEmpty()).toBe(true);
    const t = await people.collect();
    expect(t.numRows).toBe(5);
    expect(t.getChild('name')?.get(0)).toBe('ann');
  });

  it('show prints a Spark-style table', async () => {
    const text = await people.select('id', 'name', 'salary').show(2);
    expect(text.split('\n')).toEqual([
      '+---+----+------+',
      '| id|name|salary|',
      '+---+----+------+',
      '|  1| ann| 100.5|',
      '|  2| bob|  NULL|',
      '+---+----+------+',
      'only showing top 2 rows',
    ]);
  });

  it('explain shows the optimized and physical plans', () => {
    const text = people
      .filter(col('id').gt(lit(1).plus(1)))
      .groupBy('dept')
      .agg(count().alias('n'))
      .explain('extended');
    expect(text).toContain('== Optimized Logical Plan ==');
    expect(text).toContain('HashAggregateExec');
    expect(text).toContain('WorkerStageExec');
  });
});

describe('errors are thrown when the plan is built', () => {
  it('unknown column lists the columns', async () => {
    const e = await errorOf(() => people.select('nme'));
    expect(e.code).toBe('UNKNOWN_COLUMN');
    expect(e.message).toContain("'nme'");
    expect(e.message).toContain('id, name, dept, salary, age');
  });

  it('sum over a string is a type mismatch', async () => {
    const e = await errorOf(() => people.agg(sum('name')));
    expect(e.code).toBe('TYPE_MISMATCH');
    expect(e.message).toContain('name');
  });

  it('ambiguous column after a self join', async () => {
    const e = await errorOf(() => people.join(people, col('id').eq(col('id'))));
    expect(e.code).toBe('AMBIGUOUS_COLUMN');
  });

  it('non-boolean filter', async () => {
    const e = await errorOf(() => people.filter(col('age')));
    expect(e.code).toBe('TYPE_MISMATCH');
  });
});

describe('Parquet, CSV and JSON through the session', () => {
  it('write parquet with partitionBy and read it back', async () => {
    const out = join(dir, 'people');
    await people.write.mode('overwrite').partitionBy('dept').parquet(out);
    const names = readdirSync(out).sort();
    expect(names).toContain('_SUCCESS');
    expect(names).toContain('dept=eng');
    expect(names).toContain('dept=__HIVE_DEFAULT_PARTITION__');
    const back = await sluice.read.parquet(out);
    const r = await back.select('id', 'dept').orderBy('id').toArray();
    expect(r.map((x) => [x.id, x.dept])).toEqual([
      [1n, 'eng'],
      [2n, 'eng'],
      [3n, 'ops'],
      [4n, null],
      [5n, 'ops'],
    ]);
    const e = await errorOf(() => people.write.parquet(out));
    expect(e.code).toBe('PATH_EXISTS');
    await people.write.mode('append').partitionBy('dept').parquet(out);
    expect(await (await sluice.read.parquet(out)).count()).toBe(10);
  });

  it('csv with header and inferred schema; bad lines by mode', async () => {
    const p = join(dir, 'x.csv');
    writeFileSync(p, 'a,b\n1,x\n2,"y,z"\nnot-a-number,w\n4,\n');
    const df = await sluice.read.option('header', true).option('inferSchema', true).csv(p);
    expect(df.schema.fields.map((f) => f.type.kind)).toEqual(['utf8', 'utf8']);
    const typed = await sluice.read.schema('a INT, b STRING').option('header', true).option('mode', 'DROPMALFORMED').csv(p);
    expect(await typed.toArray()).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y,z' },
      { a: 4, b: null },
    ]);
    const strict = await sluice.read.schema('a INT, b STRING').option('header', true).option('mode', 'FAILFAST').csv(p);
    const e = await errorOf(() => strict.toArray());
    expect(e.code).toBe('MALFORMED_RECORD');
    expect(e.message).toContain('x.csv');
    expect(e.message).toContain('4');
  });

  it('newline-delimited json', async () => {
    const p = join(dir, 'x.json');
    writeFileSync(p, '{"k": 1, "v": "a"}\n{"k": 2}\n{"k": 3, "v": "c"}\n');
    const df = await sluice.read.json(p);
    expect(await df.filter(col('v').isNotNull()).select('k').toArray()).toEqual([{ k: 1n }, { k: 3n }]);
  });
});
