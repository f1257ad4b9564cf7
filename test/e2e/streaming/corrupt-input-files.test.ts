import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../../common/errors.js';
import type { StreamingQuery } from '../../../dataframe/streaming-query.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { Trigger } from '../../../scheduler/trigger.js';

// Unreadable input files name the file, the row group, the column and the operator (not a
// dead worker or the sink), and the way out the message gives for a stream really works.

let sluice: Sluice;
let dir: string;
let seq = 0;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-corrupt-input-'));
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes rows k='<tag><i>', v=i (i < n) as one Parquet file `path`, modified at `mtimeS` (seconds). */
async function writeParquet(path: string, tag: string, n: number, mtimeS: number): Promise<void> {
  const rows = Array.from({ length: n }, (_, i) => ({ k: `${tag}${i % 7}`, v: BigInt(i) }));
  const tmp = join(dir, `gen-${seq++}`);
  await sluice.createDataFrame(rows).write.parquet(tmp);
  const part = readdirSync(tmp).find((f) => f.endsWith('.parquet')) as string;
  mkdirSync(join(path, '..'), { recursive: true });
  renameSync(join(tmp, part), path);
  rmSync(tmp, { recursive: true });
  utimesSync(path, mtimeS, mtimeS);
}

/** Overwrites the whole column chunk of column `v` (row group 0) with garbage, keeping the footer intact. */
function garbleColumnV(path: string): void {
  const bytes = readFileSync(path);
  const md = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const chunk = md.row_groups[0]?.columns.find((c) => c.meta_data?.path_in_schema[0] === 'v')?.meta_data;
  if (chunk === undefined) throw new Error('no column v');
  const start = Number(chunk.dictionary_page_offset ?? chunk.data_page_offset);
  for (let i = start; i < start + Number(chunk.total_compressed_size); i++) bytes[i] = (i * 131 + 7) & 255;
  writeFileSync(path, bytes);
}

async function errorOf(p: Promise<unknown>): Promise<SluiceError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SluiceError);
  return e as SluiceError;
}

function start(input: string, ckpt: string, out: string, options: Record<string, boolean> = {}): Promise<StreamingQuery> {
  return sluice.readStream
    .format('parquet')
    .options({ maxFilesPerTrigger: 1, ...options })
    .load(input)
    .then((df) => df.writeStream.format('parquet').option('checkpointLocation', ckpt).trigger(Trigger.availableNow()).start(out));
}

async function keys(out: string): Promise<string[]> {
  return [...new Set((await (await sluice.read.parquet(out)).toArray()).map((r) => String(r.k)))].sort();
}

/** An input folder with good file a (older), a file b garbled in column v, and good file c (newer). */
async function streamCase(): Promise<{ input: string; ckpt: string; out: string; bad: string }> {
  const base = join(dir, `case-${seq++}`);
  const input = join(base, 'in');
  const t = Math.floor(Date.now() / 1000) - 100;
  await writeParquet(join(input, 'a.parquet'), 'a', 50, t);
  await writeParquet(join(input, 'b.parquet'), 'b', 1000, t + 1);
  garbleColumnV(join(input, 'b.parquet'));
  utimesSync(join(input, 'b.parquet'), t + 1, t + 1);
  await writeParquet(join(input, 'c.parquet'), 'c', 50, t + 2);
  return { input, ckpt: join(base, 'ckpt'), out: join(base, 'out'), bad: join(input, 'b.parquet') };
}

describe('a Parquet file with garbage in a data page', () => {
  it('fails a batch read with CORRUPT_FILE naming the file, row group, column and operator; the session keeps working', async () => {
    const path = join(dir, 'batch', 'bad.parquet');
    await writeParquet(path, 'x', 1000, 1_700_000_000);
    garbleColumnV(path);
    const e = await errorOf((await sluice.read.parquet(path)).toArray());
    expect(e.code).toBe('CORRUPT_FILE');
    expect(e.message).toContain(`FileScanExec (parquet scan) failed: Cannot read Parquet file '${path}' (row group 0, column 'v')`);
    expect(e.message).not.toContain('WORKER_FAILED');
    // Column k is intact and still readable; the worker pool survived the decoder crash.
    expect((await (await sluice.read.parquet(path)).select('k').toArray()).length).toBe(1000);
    const good = join(dir, 'batch', 'good.parquet');
    await writeParquet(good, 'g', 10, 1_700_000_000);
    expect((await (await sluice.read.parquet(good)).toArray()).map((r) => r.v)).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i)));
  });

  it('fails the streaming batch blaming the scan, not the sink; deleting the file as told and restarting with ignoreMissingFiles recovers', async () => {
    const c = await streamCase();
    const e = await errorOf(start(c.input, c.ckpt, c.out).then((q) => q.awaitTermination(20_000)));
    expect(e.code).toBe('QUERY_FAILED');
    expect(e.message).toContain('failed in batch 1 (running the query plan of batch 1)');
    expect(e.message).not.toContain('addBatch 1 to FileStreamSink');
    expect(e.message).toContain(`FileScanExec (parquet scan) failed: Cannot read Parquet file '${c.bad}' (row group 0, column 'v')`);
    expect((e.cause as SluiceError).code).toBe('CORRUPT_FILE');
    expect(e.message).toContain("delete it and restart the query with readStream.option('ignoreMissingFiles', true)");
    expect(await keys(c.out)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6']);

    // Deleting alone is no longer a dead end: the message says what to do next.
    rmSync(c.bad);
    const missing = await errorOf(start(c.input, c.ckpt, c.out).then((q) => q.awaitTermination(20_000)));
    expect(missing.message).toContain(`Parquet file '${c.bad}' does not exist any more`);
    expect(missing.message).toContain("restart a streaming query with readStream.option('ignoreMissingFiles', true)");

    const q = await start(c.input, c.ckpt, c.out, { ignoreMissingFiles: true });
    expect(await q.awaitTermination(20_000)).toBe(true);
    expect(await keys(c.out)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(readdirSync(join(c.ckpt, 'commits')).sort()).toEqual(['0', '1', '2']);
  });

  it('replacing the file with a good copy under the same name and restarting recovers every row', async () => {
    const c = await streamCase();
    const e = await errorOf(start(c.input, c.ckpt, c.out).then((q) => q.awaitTermination(20_000)));
    expect(e.message).toContain('replace the file with a good copy under the same name');
    const fixed = join(dir, `fixed-${seq++}.parquet`);
    await writeParquet(fixed, 'b', 1000, 1_700_000_000);
    copyFileSync(fixed, c.bad);
    const q = await start(c.input, c.ckpt, c.out);
    expect(await q.awaitTermination(20_000)).toBe(true);
    const rows = await (await sluice.read.parquet(c.out)).toArray();
    expect(rows.length).toBe(50 + 1000 + 50);
    expect(existsSync(c.bad)).toBe(true);
  });
});
