import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalFileManager } from '../../common/log/local-file-manager.js';
import { ManualClock } from '../../scheduler/manual-clock.js';
import { FileStreamSource } from '../../sources/file-stream/file-stream-source.js';
import { MemoryStream } from '../../sources/memory/memory-stream.js';
import { RatePerMicroBatchSource } from '../../sources/rate/rate-micro-batch-source.js';
import { RateStreamSource } from '../../sources/rate/rate-stream-source.js';
import type { FileFormat } from '../../dataframe/plan/logical-plan.js';
import { PEOPLE, tempDir, writePeopleFile } from './contract-fixtures.js';
import { sourceContract } from './source-contract.js';

sourceContract('MemoryStream', async () => {
  const stream = new MemoryStream(PEOPLE);
  let n = 0;
  return {
    create: async () => stream,
    addData: async () => {
      stream.addData([
        { id: BigInt(n), name: `p${n}` },
        { id: BigInt(n + 1), name: null },
        { id: BigInt(n + 2), name: 'x' },
      ]);
      n += 3;
    },
    limit: { limit: { maxRows: 2 }, maxRows: 2 },
    cleanup: async () => {},
  };
});

sourceContract('rate', async () => {
  const { dir, cleanup } = await tempDir('rate');
  const clock = new ManualClock(1_700_000_000_000);
  const fileManager = new LocalFileManager();
  return {
    create: async () => new RateStreamSource({ rowsPerSecond: 3, numPartitions: 2 }, clock, { metadataPath: join(dir, 'sources', '0'), fileManager }),
    addData: async () => clock.advance(2000),
    cleanup,
  };
});

sourceContract('rate-micro-batch', async () => ({
  create: async () => new RatePerMicroBatchSource({ rowsPerBatch: 4, startTimestamp: 1000, advanceMillisPerBatch: 50 }),
  addData: async () => {},
  endless: true,
  cleanup: async () => {},
}));

for (const format of ['parquet', 'csv', 'json'] as FileFormat[]) {
  sourceContract(`file (${format})`, async () => {
    const { dir, cleanup } = await tempDir(`fs-${format}`);
    const input = join(dir, 'in');
    let n = 0;
    const add = async (): Promise<void> => {
      await writePeopleFile(
        input,
        `f${n}`,
        format,
        [
          [n * 10, `a${n}`],
          [n * 10 + 1, null],
        ],
        1_600_000_000_000 + n * 1000,
      );
      n++;
    };
    await mkdir(input, { recursive: true });
    const fileManager = new LocalFileManager();
    return {
      create: () =>
        FileStreamSource.create({
          format,
          path: input,
          schema: PEOPLE,
          options: format === 'csv' ? { header: true } : {},
          metadataPath: join(dir, 'cp', 'sources', '0'),
          fileManager,
        }),
      addData: async () => {
        await add();
        await add();
      },
      limit: { limit: { maxFiles: 1 }, maxRows: 2 },
      cleanup,
    };
  });
}
