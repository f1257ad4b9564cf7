import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeValue } from '../../../common/describe-value.js';
import { SluiceError } from '../../../common/errors.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { DataType } from '../../../common/data-type.js';
import { col, dateTrunc, lit, sessionWindow, struct, window } from '../../../dataframe/expr/functions.js';
import { Sluice } from '../../../engine/session/sluice.js';

let sluice: Sluice;
beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
});
afterAll(async () => {
  await sluice.stop();
});

/** The SluiceError `f` throws (sync or async); fails when it throws anything else. */
async function errorOf(f: () => unknown): Promise<SluiceError> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(SluiceError);
    expect((e as Error).message).not.toContain('[object');
    return e as SluiceError;
  }
  throw new Error('expected an error');
}

// biome-ignore lint/suspicious/noExplicitAny: the point is to pass values the types forbid, as JS users can.
const loose = (v: unknown): any => v;

describe('error messages name things as the user writes them', () => {
  it('describes values without [object Object]', () => {
    expect(describeValue({ a: 1, b: 2n })).toBe('object {"a":1,"b":"2n"}');
    expect(describeValue([1, 'x'])).toBe('array [1,"x"]');
    expect(describeValue(new Map())).toBe('Map object');
    expect(describeValue(new Date(0))).toBe('Date 1970-01-01T00:00:00.000Z');
    expect(describeValue('x'.repeat(50))).toBe(`string '${'x'.repeat(40)}...'`);
    expect(describeValue(5n)).toBe('bigint 5n');
  });

  it('window() and sessionWindow() suggest toTimestamp, the exported name', async () => {
    const df = sluice.createDataFrame([{ a: 1 }]);
    const e = await errorOf(() => df.select(window(col('a'), '1 minute')));
    expect(e.message).toBe(
      "window() needs a timestamp time column, but a is bigint. Convert it first, e.g. toTimestamp(col('a')) or col('a').cast('timestamp').",
    );
    const s = await errorOf(() => df.groupBy(sessionWindow(col('a'), '1 minute')).count());
    expect(s.message).toContain("toTimestamp(col('a'))");
    expect(s.message).not.toContain('to_timestamp');
    const ts = sluice.createDataFrame([{ t: new Date(0) }]);
    const g = await errorOf(() => ts.select(sessionWindow(col('t'), '5 minutes').alias('s')).toArray());
    expect(g.message).toMatch(/^sessionWindow\(\) can only be used as a grouping key/);
  });

  it('function type errors use the exported function name, not the Spark SQL one', async () => {
    const df = sluice.createDataFrame([{ s: 'x' }]);
    const e = await errorOf(() => df.select(dateTrunc('day', col('s').cast('int'))));
    expect(e.message).toMatch(/^dateTrunc\('day', /);
    expect(e.message).not.toContain('date_trunc');
  });

  it('orderBy on a struct or array is refused when the plan is built, suggesting a field', async () => {
    const df = sluice.createDataFrame([{ a: 1 }]).select(struct(col('a')).alias('s'));
    const e = await errorOf(() => df.orderBy('s'));
    expect(e.code).toBe('TYPE_MISMATCH');
    expect(e.message).toBe("orderBy() cannot sort by column 's' of type struct<a:bigint>. Sort by one of its fields instead, e.g. orderBy(col('s.a')).");
    expect(e.message).not.toContain('first element');
  });

  it('createDataFrame and schema errors name the value, field and fix', async () => {
    expect((await errorOf(() => sluice.createDataFrame([{ a: { x: 1 } }], 'a BIGINT'))).message).toBe(
      'Cannot store object {"x":1} in column \'a\' of type int64. Give an integer, bigint.',
    );
    expect((await errorOf(() => sluice.createDataFrame([{ a: { x: 1 } }], 'a STRING'))).message).toContain(
      'Cannot store object {"x":1} in string column \'a\'',
    );
    expect((await errorOf(() => sluice.createDataFrame([{ a: { x: 1 } }]))).message).toBe(
      'Cannot infer a type for object {"x":1} in column \'a\'. Pass a schema.',
    );
    expect((await errorOf(() => sluice.createDataFrame(loose({ a: 1 })))).message).toContain('createDataFrame() needs an array of rows');
    const badType = schemaOf([field('a', loose('int') as DataType)]);
    expect((await errorOf(() => sluice.createDataFrame([{ a: 1 }], badType))).message).toContain(
      "createDataFrame(): schema field 'a' has no valid type: string 'int' is not a type",
    );
    expect((await errorOf(() => sluice.read.schema(loose({ a: 1 })))).message).toContain(
      'read.schema(): the schema must be a Schema or a DDL string, got object {"a":1}',
    );
  });

  it('non-Column arguments give INVALID_ARGUMENT naming the call, not a TypeError', async () => {
    const df = sluice.createDataFrame([{ a: 1 }]);
    expect((await errorOf(() => df.filter(loose({})))).message).toBe("filter() needs a Column such as col('x'), lit(1) or col('a').gt(1), got object {}.");
    expect((await errorOf(() => df.withColumn('b', loose({})))).message).toContain("withColumn('b', ...) needs a Column");
    expect((await errorOf(() => df.select(loose({ name: 'a' })))).message).toBe(
      'Expected a column name or a Column such as col(\'x\') or lit(1), got object {"name":"a"}.',
    );
    expect((await errorOf(() => df.agg(loose('a')))).message).toContain("agg() needs a Column such as col('x'), lit(1) or col('a').gt(1), got string 'a'");
    expect((await errorOf(() => df.limit(loose({})))).message).toBe('limit() needs a non-negative integer, got object {}.');
    expect((await errorOf(() => df.select(col('a').cast(loose({}))))).message).toContain('Unknown type object {} in cast');
    expect((await errorOf(() => df.select(lit(loose({ x: 1 }))))).message).toContain('lit() cannot make a literal of object {"x":1}');
  });
});
