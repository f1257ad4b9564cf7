import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../../../common/errors.js';
import { col, struct, window } from '../../../../dataframe/expr/functions.js';
import { Sluice } from '../../../../engine/session/sluice.js';
import { MemoryStream } from '../../../../sources/memory/memory-stream.js';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';

let sluice: Sluice;
let dir: string;
beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-partition-cols-'));
});
afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

function thrown(f: () => unknown): SluiceError {
  try {
    f();
  } catch (e) {
    if (e instanceof SluiceError) return e;
    throw e;
  }
  throw new Error('expected a SluiceError');
}

describe('partitionBy refuses non-atomic columns', () => {
  it('batch write: a struct (window) column is refused before anything is written; a field of it works', async () => {
    const df = sluice
      .createDataFrame(
        [
          { t: new Date(0), v: 1 },
          { t: new Date(90_000), v: 2 },
        ],
        't TIMESTAMP, v BIGINT',
      )
      .groupBy(window(col('t'), '1 minute'))
      .count();
    const out = join(dir, 'batch');
    const e = thrown(() => df.write.partitionBy('window'));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain("partitionBy(): column 'window' is struct<start:timestamp[ms],end:timestamp[ms]>");
    expect(e.message).toContain("col('window.start')");
    expect(e.message).not.toContain('[object Object]');
    expect(existsSync(out)).toBe(false);
    const arr = sluice.createDataFrame([{ k: 1 }], 'k BIGINT').select(struct(col('k')).alias('s'));
    expect(() => arr.write.partitionBy('s')).toThrow(/column 's' is struct/);
    await df.withColumn('window_start', col('window.start')).drop('window').write.partitionBy('window_start').parquet(out);
    const folders = readdirSync(out)
      .filter((n) => n.startsWith('window_start='))
      .sort();
    expect(folders).toHaveLength(2);
    expect(folders.every((n) => !n.includes('object'))).toBe(true);
    const back = await sluice.read.parquet(out);
    expect((await back.orderBy('count').toArray()).map((r) => Number(r.count))).toEqual([1, 1]);
  });

  it('streaming parquet sink: start() rejects a struct partition column, before any batch', async () => {
    const input = new MemoryStream(schemaOf([field('t', types.timestamp('ms', null)), field('v', types.int64)]));
    input.addData([{ t: new Date(0), v: 1n }]);
    const df = sluice.readStream.fromSource(input).select(window(col('t'), '1 minute').alias('w'), col('v'));
    const out = join(dir, 'stream');
    await expect(df.writeStream.format('parquet').option('partitionBy', 'w').option('checkpointLocation', join(dir, 'ckpt')).start(out)).rejects.toThrow(
      /parquet sink partitionBy: column 'w' is struct<start:timestamp\[ms\],end:timestamp\[ms\]>; partition columns must be of an atomic type/,
    );
    expect(existsSync(join(out, '_sluice_metadata'))).toBe(false);
  });
});
