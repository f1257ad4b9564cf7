import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DataFrame } from '../../../dataframe/data-frame.js';
import { count, sum } from '../../../dataframe/expr/functions.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { Trigger } from '../../../scheduler/trigger.js';

// A streaming file source lists its folder once to settle the schema (readStream.load) and
// once per trigger; a query's start() neither lists nor reads footers again, and a file
// that arrives between load() and the first trigger is still read by that trigger.

const listing = vi.hoisted(() => ({ calls: [] as string[] }));

vi.mock('../../../sources/file-stream/list-stream-files.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../sources/file-stream/list-stream-files.js')>();
  return {
    ...real,
    listStreamFiles: (path: string) => {
      listing.calls.push(path);
      return real.listStreamFiles(path);
    },
  };
});

let sluice: Sluice;
let dir: string;
let seq = 0;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-stream-listing-'));
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  listing.calls.length = 0;
});

/** Writes rows k='<tag><i % 3>', v=i (i < n) as one Parquet file `<folder>/<name>`, atomically (rename). */
async function writeParquet(folder: string, name: string, tag: string, n: number): Promise<void> {
  const rows = Array.from({ length: n }, (_, i) => ({ k: `${tag}${i % 3}`, v: BigInt(i) }));
  const tmp = join(dir, `gen-${seq++}`);
  await sluice.createDataFrame(rows).write.parquet(tmp);
  const part = readdirSync(tmp).find((f) => f.endsWith('.parquet')) as string;
  mkdirSync(folder, { recursive: true });
  renameSync(join(tmp, part), join(folder, name));
  rmSync(tmp, { recursive: true });
}

async function runAvailableNow(df: DataFrame, ckpt: string): Promise<Record<string, unknown>[]> {
  let out: Record<string, unknown>[] = [];
  const q = await df.writeStream
    .outputMode('complete')
    .option('checkpointLocation', ckpt)
    .trigger(Trigger.availableNow())
    .foreachBatch(async (b) => {
      out = await b.toArray();
    })
    .start();
  expect(await q.awaitTermination(20_000)).toBe(true);
  expect(q.exception).toBeNull();
  return out;
}

describe('streaming file source listings', () => {
  it('lists once at load() and once at the first trigger, not again at start(), and sees files that arrived after load()', async () => {
    const input = join(dir, 'in-a');
    await writeParquet(input, 'a.parquet', 'a', 10);
    await writeParquet(input, 'b.parquet', 'b', 20);
    const df = await sluice.readStream.format('parquet').load(input);
    expect(listing.calls).toHaveLength(1);
    expect(df.schema.fields.map((f) => f.name)).toEqual(['k', 'v']);

    // Arrives after the schema was settled and before the query starts: the first trigger must take it.
    await writeParquet(input, 'c.parquet', 'c', 5);
    const rows = await runAvailableNow(df.groupBy().agg(count().alias('n'), sum('v').alias('total')), join(dir, 'ckpt-a'));
    expect(rows).toEqual([{ n: 35n, total: 45n + 190n + 10n }]);
    // load() once, the availableNow trigger once; start() did not list.
    expect(listing.calls).toEqual([input, input]);
  });

  it('a second query started from the same DataFrame lists only at its own trigger and reads the new files', async () => {
    const input = join(dir, 'in-b');
    await writeParquet(input, 'a.parquet', 'a', 4);
    const df = await sluice.readStream.format('parquet').load(input);
    const first = await runAvailableNow(df.groupBy().agg(count().alias('n')), join(dir, 'ckpt-b1'));
    expect(first).toEqual([{ n: 4n }]);
    await writeParquet(input, 'b.parquet', 'b', 6);
    listing.calls.length = 0;
    const second = await runAvailableNow(df.groupBy().agg(count().alias('n')), join(dir, 'ckpt-b2'));
    expect(second).toEqual([{ n: 10n }]);
    expect(listing.calls).toEqual([input]);
  });
});
