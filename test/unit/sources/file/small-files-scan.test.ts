import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBatch } from '../../../../common/columnar-batch.js';
import { types } from '../../../../common/data-type.js';
import { mapLimit } from '../../../../common/map-limit.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { sum } from '../../../../dataframe/expr/functions.js';
import { Sluice } from '../../../../engine/session/sluice.js';
import { Trigger } from '../../../../scheduler/trigger.js';
import { writeParquetFile } from '../../../../sinks/file/parquet-writer.js';
import type { FileSplit } from '../../../../sources/file/file-split.js';
import { packSplits, planFileSplits } from '../../../../sources/file/file-split.js';
import { listFiles } from '../../../../sources/file/list-files.js';
import { readParquetFooter } from '../../../../sources/file/parquet-footer.js';
import { readSplit } from '../../../../sources/file/read-split.js';
import { makeScan } from './scan-fixture.js';

const schema = schemaOf([field('id', types.int64), field('k', types.utf8)]);
let dir: string;
let sluice: Sluice;
const FILES = 120;

async function writeFile(path: string, from: number, rows: number): Promise<void> {
  const ids = Array.from({ length: rows }, (_, i) => BigInt(from + i));
  await writeParquetFile(path, schema, [
    makeBatch(schema, [
      vectorFromValues(types.int64, ids),
      vectorFromValues(
        types.utf8,
        ids.map((i) => `k${i % 3n}`),
      ),
    ]),
  ]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-small-files-'));
  await mapLimit(
    Array.from({ length: FILES }, (_, i) => i),
    16,
    (i) => writeFile(join(dir, 'in', `part-${String(i).padStart(4, '0')}.parquet`), i * 10, 10),
  );
  sluice = await Sluice.builder().workers(2).getOrCreate();
});
afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('scans of many small files', () => {
  it('packs consecutive splits into about the target number of groups, in order; big splits stay alone', () => {
    const s = (path: string, weight: number): FileSplit => ({ path, rowGroups: null, partitionValues: {}, weight });
    const small = Array.from({ length: 100 }, (_, i) => s(`f${i}`, 10));
    const groups = packSplits(small, 8);
    expect(groups.length).toBeGreaterThanOrEqual(8);
    expect(groups.length).toBeLessThanOrEqual(9);
    expect(groups.flat().map((x) => x.path)).toEqual(small.map((x) => x.path));
    const mixed = [s('big1', 1000), s('a', 1), s('b', 1), s('big2', 1000)];
    const packed = packSplits(mixed, 2).map((g) => g.map((x) => x.path));
    expect(packed.flat()).toEqual(['big1', 'a', 'b', 'big2']);
    expect(packed.findIndex((g) => g.includes('big1'))).not.toBe(packed.findIndex((g) => g.includes('big2')));
    expect(packSplits([], 4)).toEqual([]);
  });

  it('a scan that needs no column counts rows from the footers without opening the files again', async () => {
    const files = await listFiles(join(dir, 'in'));
    const scan = makeScan('parquet', files.slice(0, 3), schema, {}, []);
    const { splits } = await planFileSplits(scan, 1);
    expect(splits.map((x) => x.rows)).toEqual([10, 10, 10]);
    const moved = join(dir, 'gone.parquet');
    await writeFile(moved, 0, 1);
    // Reading the split of a file that no longer exists still gives its rows: the count came from the plan.
    const ghost: FileSplit = { ...(splits[0] as FileSplit), path: moved };
    rmSync(moved);
    let rows = 0;
    for await (const b of readSplit(scan, ghost)) rows += b.numRows;
    expect(rows).toBe(10);
  });

  it('caches footers by path, size and mtime, and reads a rewritten file again', async () => {
    const path = join(dir, 'cached.parquet');
    await writeFile(path, 0, 5);
    const st = statSync(path);
    const first = await readParquetFooter(path, { size: st.size, mtimeMs: st.mtimeMs });
    expect(first.numRows).toBe(5);
    writeFileSync(path, 'garbage that is not parquet at all');
    // Same size and mtime claimed: the cached footer answers (no read).
    expect(await readParquetFooter(path, { size: st.size, mtimeMs: st.mtimeMs })).toBe(first);
    await writeFile(path, 0, 7);
    utimesSync(path, st.atime, new Date(st.mtimeMs + 5000));
    const st2 = statSync(path);
    expect((await readParquetFooter(path, { size: st2.size, mtimeMs: st2.mtimeMs })).numRows).toBe(7);
  });

  it('batch count, aggregation and a stream trigger over 120 files agree with the data', async () => {
    const df = await sluice.read.parquet(join(dir, 'in'));
    expect(await df.count()).toBe(FILES * 10);
    const byKey = await df.groupBy('k').count().orderBy('k').toArray();
    expect(byKey.map((r) => [r.k, Number(r.count)])).toEqual([
      ['k0', 400],
      ['k1', 400],
      ['k2', 400],
    ]);
    const [total] = await df.agg(sum('id').alias('s')).toArray();
    expect(Number(total?.s)).toBe(((FILES * 10 - 1) * FILES * 10) / 2);
    const counts: number[] = [];
    const stream = (await sluice.readStream.format('parquet').schema(schema).load(join(dir, 'in'))).groupBy('k').count();
    const q = await stream.writeStream
      .outputMode('complete')
      .trigger(Trigger.availableNow())
      .foreachBatch(async (b) => {
        counts.push(...(await b.toArray()).map((r) => Number(r.count)));
      })
      .start();
    expect(await q.awaitTermination(60_000)).toBe(true);
    expect(counts.sort()).toEqual([400, 400, 400]);
  });

  it('a streaming count reads no column, as the batch count does (a mistyped unused column fails neither)', async () => {
    const ddl = 'id STRING, k STRING';
    expect(await (await sluice.read.schema(ddl).parquet(join(dir, 'in'))).count()).toBe(FILES * 10);
    const counts: number[] = [];
    const q = await (await sluice.readStream.format('parquet').schema(ddl).load(join(dir, 'in')))
      .groupBy()
      .count()
      .writeStream.outputMode('complete')
      .trigger(Trigger.availableNow())
      .foreachBatch(async (b) => {
        counts.push(...(await b.toArray()).map((r) => Number(r.count)));
      })
      .start();
    await q.awaitTermination(60_000);
    expect(q.exception).toBeNull();
    expect(counts).toEqual([FILES * 10]);
  });
});
