import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBatch } from '../../../../common/columnar-batch.js';
import { types } from '../../../../common/data-type.js';
import { SluiceError } from '../../../../common/errors.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import type { DataFrame } from '../../../../dataframe/data-frame.js';
import { col } from '../../../../dataframe/expr/functions.js';
import { Sluice } from '../../../../engine/session/sluice.js';
import { Trigger } from '../../../../scheduler/trigger.js';
import { writeParquetFile } from '../../../../sinks/file/parquet-writer.js';

let sluice: Sluice;
let dir: string;
const input = (): string => join(dir, 'in');
// 1.5 s and -0.0015 s after the epoch, as microseconds in a zoned column.
const MICROS = [1_500_000n, -1_500n];

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-zone-label-'));
  mkdirSync(input());
  const schema = schemaOf([field('ts', types.timestamp('us', 'UTC')), field('v', types.int64)]);
  await writeParquetFile(join(input(), 'part-0.parquet'), schema, [
    makeBatch(schema, [vectorFromValues(schema.fields[0]?.type as never, MICROS), vectorFromValues(types.int64, [1n, 2n])]),
  ]);
});
afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The rows of one availableNow trigger of `build(stream)` in append mode. */
async function streamRows(ddl: string, build: (df: DataFrame) => DataFrame): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  const df = await sluice.readStream.format('parquet').schema(ddl).load(input());
  const q = await build(df)
    .writeStream.trigger(Trigger.availableNow())
    .foreachBatch(async (b) => {
      rows.push(...(await b.toArray()));
    })
    .start();
  await q.awaitTermination(30_000);
  if (q.exception !== null) throw q.exception;
  return rows;
}

describe('timestamp zones are labels when a declared schema meets a file', () => {
  it('reads a timestamp[us, UTC] column as TIMESTAMP (ms, no zone) in batch and stream alike', async () => {
    const ddl = 'ts TIMESTAMP, v BIGINT';
    const batch = await (await sluice.read.schema(ddl).parquet(input())).orderBy('v').toArray();
    expect(batch.map((r) => (r.ts as Date).getTime())).toEqual([1500, -2]);
    const stream = await streamRows(ddl, (df) => df);
    expect(stream.map((r) => (r.ts as Date).getTime()).sort((a, b) => a - b)).toEqual([-2, 1500]);
    // Pruned and not pruned agree: the column is checked either way.
    expect((await (await sluice.read.schema(ddl).parquet(input())).select('v').toArray()).length).toBe(2);
    expect((await streamRows(ddl, (df) => df.select(col('v')))).length).toBe(2);
    const ltz = await (await sluice.read.schema('ts TIMESTAMP_LTZ, v BIGINT').parquet(input())).select('ts').toArray();
    expect(ltz.map((r) => (r.ts as Date).getTime()).sort((a, b) => a - b)).toEqual([-2, 1500]);
  });

  it('a real type mismatch fails the same way whether the column is read or pruned, batch or stream', async () => {
    const ddl = 'ts TIMESTAMP, v STRING';
    const message = /Column 'v' of Parquet file '.*part-0\.parquet' has type bigint, but the schema says string/;
    await expect((await sluice.read.schema(ddl).parquet(input())).select('ts').toArray()).rejects.toThrow(message);
    await expect((await sluice.read.schema(ddl).parquet(input())).select('v').toArray()).rejects.toThrow(message);
    const e = await streamRows(ddl, (df) => df.select(col('ts'))).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SluiceError);
    expect(String((e as Error).message)).toMatch(message);
  });
});
