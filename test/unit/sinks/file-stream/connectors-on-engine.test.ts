import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFrame } from '../../../../dataframe/data-frame.js';
import { LocalFileManager } from '../../../../common/log/local-file-manager.js';
import type { Sluice } from '../../../../index.js';
import { Sluice as SluiceSession } from '../../../../index.js';
import { committedFiles } from '../../../../common/log/committed-files.js';
import { FileStreamSink } from '../../../../sinks/file-stream/file-stream-sink.js';
import { MemorySink } from '../../../../sinks/memory/memory-sink.js';
import { MemorySinkRegistry } from '../../../../sinks/memory/memory-sink-registry.js';
import { FileStreamSource } from '../../../../sources/file-stream/file-stream-source.js';
import { RatePerMicroBatchSource } from '../../../../sources/rate/rate-micro-batch-source.js';
import { tempDir } from '../../../contract/contract-fixtures.js';
import { batchRows } from '../../../contract/local-query-executor.js';

let sluice: Sluice;
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  sluice = await SluiceSession.builder().workers(1).getOrCreate();
  ({ dir, cleanup } = await tempDir('engine'));
});
afterAll(async () => {
  await sluice.stop();
  await cleanup();
});

describe('connectors on the session engine', () => {
  it('rate-micro-batch -> parquet sink -> streaming parquet source round trip', async () => {
    const out = join(dir, 'out');
    const rate = new RatePerMicroBatchSource({ rowsPerBatch: 3, startTimestamp: 5000, advanceMillisPerBatch: 1000 });
    const sink = new FileStreamSink(out);
    for (let b = 0; b < 2; b++) await sink.addBatch(b, new DataFrame(await rate.getBatch(b, b + 1), sluice.executor), 'append');
    expect(await committedFiles(out)).toHaveLength(2);
    const source = await FileStreamSource.create({
      format: 'parquet',
      path: out,
      schema: null,
      options: {},
      metadataPath: join(dir, 'cp'),
      fileManager: new LocalFileManager(),
    });
    const end = await source.latestOffset(-1, {});
    const rows = await new DataFrame(await source.getBatch(-1, end), sluice.executor).orderBy('value').toArray();
    expect(rows.map((r) => [r.value, (r.timestamp as Date).getTime()])).toEqual([
      [0n, 5000],
      [1n, 5000],
      [2n, 5000],
      [3n, 6000],
      [4n, 6000],
      [5n, 6000],
    ]);
  });

  it('memory sink keeps a query result computed by the engine', async () => {
    const registry = new MemorySinkRegistry();
    const sink = new MemorySink('evens', registry);
    const rate = new RatePerMicroBatchSource({ rowsPerBatch: 4 });
    for (let b = 0; b < 2; b++) {
      const df = new DataFrame(await rate.getBatch(b, b + 1), sluice.executor);
      await sink.addBatch(b, df.filter(df.col('value').mod(2).equalTo(0)).select('value'), 'append');
    }
    expect(batchRows(registry.table('evens'))).toEqual([[0n], [2n], [4n], [6n]]);
  });
});

describe('batch reads of a streaming sink output', () => {
  it('read.parquet reads only the files the sink log committed', async () => {
    const out = join(dir, 'committed-only');
    const sink = new FileStreamSink(out);
    await sink.addBatch(0, sluice.createDataFrame([{ v: 1 }, { v: 2 }]), 'append');
    // An orphan part file, as a crash between the file write and the log commit leaves it.
    await sluice
      .createDataFrame([{ v: 100 }])
      .write.mode('overwrite')
      .parquet(join(dir, 'orphan-src'));
    const { readdirSync, copyFileSync } = await import('node:fs');
    const orphan = readdirSync(join(dir, 'orphan-src')).find((f) => f.endsWith('.parquet')) as string;
    copyFileSync(join(dir, 'orphan-src', orphan), join(out, 'part-00099-orphan.zstd.parquet'));
    const rows = await (await sluice.read.parquet(out)).orderBy('v').toArray();
    expect(rows).toEqual([{ v: 1n }, { v: 2n }]);
  });
});
