import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsValue } from '../../../../common/vector-from-values.js';
import { buildFileScan } from '../../../../dataframe/plan/builders/build-misc.js';
import { LocalFileManager } from '../../../../common/log/local-file-manager.js';
import { committedFileEntries, committedFiles } from '../../../../common/log/committed-files.js';
import { FileSinkLog } from '../../../../common/log/file-sink-log.js';
import { FileStreamSink } from '../../../../sinks/file-stream/file-stream-sink.js';
import { writeParquetFile } from '../../../../sinks/file/parquet-writer.js';
import { FileStreamSource } from '../../../../sources/file-stream/file-stream-source.js';
import { tempDir } from '../../../contract/contract-fixtures.js';
import { localFrame, planRows } from '../../../contract/local-query-executor.js';
import { SINK_SCHEMA } from '../../../contract/sink-contract.js';

let dir: string;
let out: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('fsink'));
  out = join(dir, 'out');
});
afterEach(async () => cleanup());

const row = (i: number): JsValue[] => [BigInt(i), i % 2 === 0 ? null : `n${i}`, i / 2];

async function committedRows(): Promise<JsValue[][]> {
  const files = (await committedFileEntries(out)) ?? [];
  const rows = files.length === 0 ? [] : await planRows(buildFileScan('parquet', files, SINK_SCHEMA, {}));
  return rows.sort((a, b) => Number(a[0]) - Number(b[0]));
}

describe('FileStreamSink', () => {
  it('makes only logged part files visible; orphans are ignored', async () => {
    expect(await committedFiles(out)).toBeNull();
    const sink = new FileStreamSink(out);
    await sink.addBatch(0, localFrame(SINK_SCHEMA, [row(1), row(2)]), 'append');
    const orphan = join(out, 'part-00001-orphan.zstd.parquet');
    await writeParquetFile(orphan, SINK_SCHEMA, [await localFrame(SINK_SCHEMA, [row(99)]).collectBatch()]);
    const files = (await committedFiles(out)) as string[];
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\/out\/part-00000-[0-9a-f-]+\.zstd\.parquet$/);
    expect(files).not.toContain(orphan);
    expect(await committedRows()).toEqual([row(1), row(2)]);
    expect(await readdir(join(out, '_sluice_metadata'))).toEqual(['0']);
  });

  it('logs an empty batch without writing a file', async () => {
    const sink = new FileStreamSink(out);
    await sink.addBatch(0, localFrame(SINK_SCHEMA, []), 'append');
    expect(await committedFiles(out)).toEqual([]);
    await sink.addBatch(0, localFrame(SINK_SCHEMA, [row(1)]), 'append');
    expect(await committedFiles(out)).toEqual([]);
  });

  it('compacts every 10 batches and keeps all files readable', async () => {
    const sink = new FileStreamSink(out);
    for (let b = 0; b < 23; b++) await sink.addBatch(b, localFrame(SINK_SCHEMA, [row(b)]), 'append');
    const names = await readdir(join(out, '_sluice_metadata'));
    expect(names.sort()).toEqual(['10', '11', '12', '13', '14', '15', '16', '17', '18', '19.compact', '20', '21', '22', '9.compact'].sort());
    expect(await committedRows()).toEqual(Array.from({ length: 23 }, (_, i) => row(i)));
    await sink.addBatch(5, localFrame(SINK_SCHEMA, [row(500)]), 'append');
    expect(await committedFiles(out)).toHaveLength(23);
    const log = new FileSinkLog(new LocalFileManager(), out);
    expect(await log.latestBatchId()).toBe(22);
  });

  it('throws CHECKPOINT_CORRUPT naming a corrupt log file', async () => {
    const sink = new FileStreamSink(out);
    await sink.addBatch(0, localFrame(SINK_SCHEMA, [row(1)]), 'append');
    const bad = join(out, '_sluice_metadata', '1');
    await writeFile(bad, 'v1\n{"files": [{"path": "x"');
    await expect(committedFiles(out)).rejects.toThrow(expect.objectContaining({ code: 'CHECKPOINT_CORRUPT', message: expect.stringContaining(bad) }));
    await writeFile(bad, 'v9\n{}');
    await expect(committedFiles(out)).rejects.toThrow(/not 'v1'/);
    await writeFile(bad, 'v1\n{"files":[{"path":"a","size":-1,"mtimeMs":1}]}');
    await expect(committedFiles(out)).rejects.toThrow(/no valid size/);
  });

  it('splits files at maxRecordsPerFile and writes partition folders', async () => {
    const sink = new FileStreamSink(out, { maxRecordsPerFile: 2, partitionBy: 'name', compression: 'none' });
    await sink.addBatch(0, localFrame(SINK_SCHEMA, [row(1), row(3), row(5), row(7), row(9)]), 'append');
    const files = ((await committedFiles(out)) as string[]).map((f) => f.slice(out.length + 1).replace(/part-00000-.*\.parquet$/, 'part'));
    expect(files.sort()).toEqual(['name=n1/part', 'name=n3/part', 'name=n5/part', 'name=n7/part', 'name=n9/part']);
    const sink2 = new FileStreamSink(join(dir, 'plain'), { maxRecordsPerFile: 2 });
    await sink2.addBatch(0, localFrame(SINK_SCHEMA, [row(1), row(2), row(3), row(4), row(5)]), 'append');
    expect(await committedFiles(join(dir, 'plain'))).toHaveLength(3);
  });

  it('rejects other output modes and bad options', async () => {
    const sink = new FileStreamSink(out);
    await expect(sink.addBatch(0, localFrame(SINK_SCHEMA, [row(1)]), 'complete')).rejects.toThrow(/only output mode 'append'/);
    expect(() => new FileStreamSink(out, { compression: 'lz4' })).toThrow(/zstd, snappy or none/);
    expect(() => new FileStreamSink(out, { format: 'x' })).toThrow(/Unknown option 'format'/);
    await expect(new FileStreamSink(out, { partitionBy: 'nope' }).addBatch(0, localFrame(SINK_SCHEMA, [row(1)]), 'append')).rejects.toThrow(
      /unknown column 'nope'/,
    );
  });

  it('is read by a streaming file source through its log only', async () => {
    const sink = new FileStreamSink(out);
    await sink.addBatch(0, localFrame(SINK_SCHEMA, [row(1)]), 'append');
    await writeParquetFile(join(out, 'part-00001-orphan.parquet'), SINK_SCHEMA, [await localFrame(SINK_SCHEMA, [row(99)]).collectBatch()]);
    const source = await FileStreamSource.create({
      format: 'parquet',
      path: out,
      schema: null,
      options: {},
      metadataPath: join(dir, 'cp'),
      fileManager: new LocalFileManager(),
    });
    const end = await source.latestOffset(-1, {});
    expect(await planRows(await source.getBatch(-1, end))).toEqual([row(1)]);
  });
});
