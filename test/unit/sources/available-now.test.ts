import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import { LocalFileManager } from '../../../common/log/local-file-manager.js';
import { ManualClock } from '../../../scheduler/manual-clock.js';
import { FileStreamSource } from '../../../sources/file-stream/file-stream-source.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { RatePerMicroBatchSource } from '../../../sources/rate/rate-micro-batch-source.js';
import { RateStreamSource } from '../../../sources/rate/rate-stream-source.js';
import { PEOPLE, tempDir, writePeopleFile } from '../../contract/contract-fixtures.js';
import { planRows } from '../../contract/local-query-executor.js';

const T0 = 1_600_000_000_000;

describe('FileStreamSource.prepareForTriggerAvailableNow', () => {
  let dir: string;
  let input: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('avail-fss'));
    input = join(dir, 'in');
    await mkdir(input);
  });
  afterEach(async () => cleanup());

  const source = (metadata = 'cp'): Promise<FileStreamSource> =>
    FileStreamSource.create({
      format: 'json',
      path: input,
      schema: PEOPLE,
      options: { maxFilesPerTrigger: 1 },
      metadataPath: join(dir, metadata, 'sources', '0'),
      fileManager: new LocalFileManager(),
    });
  const names = (plan: LogicalPlan): string[] => (plan.kind === 'fileScan' ? plan.files.map((f) => f.path.slice(input.length + 1)) : []);

  it('takes only the files listed at that moment, under the read limit, then reports no data', async () => {
    await writePeopleFile(input, 'a', 'json', [[1, 'a']], T0);
    await writePeopleFile(input, 'b', 'json', [[2, 'b']], T0 + 1000);
    const s = await source();
    await s.prepareForTriggerAvailableNow();
    expect(await s.latestOffset(-1, {})).toBe(0);
    expect(names(await s.getBatch(-1, 0))).toEqual(['a.json']);
    // A file older than both (so it would be ordered first) arrives during the run.
    await writePeopleFile(input, 'early', 'json', [[0, 'e']], T0 - 1000);
    expect(await s.latestOffset(0, {})).toBe(1);
    expect(names(await s.getBatch(0, 1))).toEqual(['b.json']);
    expect(await planRows(await s.getBatch(0, 1))).toEqual([[2n, 'b']]);
    expect(await s.latestOffset(1, {})).toBe(1);

    // The next run (a new source instance on the same checkpoint) sees the new file.
    const next = await source();
    await next.prepareForTriggerAvailableNow();
    expect(await next.latestOffset(1, {})).toBe(2);
    expect(names(await next.getBatch(1, 2))).toEqual(['early.json']);
    expect(await next.latestOffset(2, {})).toBe(2);
  });

  it('with an empty folder at that moment, admits nothing even after files arrive', async () => {
    const s = await source();
    await s.prepareForTriggerAvailableNow();
    await writePeopleFile(input, 'late', 'json', [[1, 'x']], T0);
    expect(await s.latestOffset(-1, {})).toBe(-1);
  });

  it('without the call, keeps listing the folder', async () => {
    const s = await source();
    expect(await s.latestOffset(-1, {})).toBe(-1);
    await writePeopleFile(input, 'late', 'json', [[1, 'x']], T0);
    expect(await s.latestOffset(-1, {})).toBe(0);
  });
});

describe('MemoryStream.prepareForTriggerAvailableNow', () => {
  const schema = schemaOf([field('v', types.int64)]);

  it('caps at the current offset, splits by maxRows, then lifts the cap once reached', async () => {
    const m = new MemoryStream(schema);
    m.addData([[1n], [2n], [3n]]);
    await m.prepareForTriggerAvailableNow();
    m.addData([[4n]]);
    expect(await m.latestOffset(0, { maxRows: 2 })).toBe(2);
    expect(await m.latestOffset(2, { maxRows: 2 })).toBe(3);
    expect(await planRows(await m.getBatch(2, 3))).toEqual([[3n]]);
    // Reaching the cap ends the run and lifts the cap: a later run with another trigger reads on.
    expect(await m.latestOffset(3, {})).toBe(3);
    expect(await m.latestOffset(3, {})).toBe(4);
    expect(await planRows(await m.getBatch(3, 4))).toEqual([[4n]]);
  });

  it('with nothing new at that moment, reports no data', async () => {
    const m = new MemoryStream(schema);
    await m.prepareForTriggerAvailableNow();
    m.addData([[1n]]);
    expect(await m.latestOffset(0, {})).toBe(0);
  });
});

describe('rate sources under availableNow', () => {
  it('RateStreamSource caps at the seconds elapsed at that moment', async () => {
    const clock = new ManualClock(10_000);
    const s = new RateStreamSource({ rowsPerSecond: 2 }, clock, null);
    expect(await s.initialOffset()).toBe(0);
    clock.advance(2500);
    await s.prepareForTriggerAvailableNow();
    clock.advance(5000);
    expect(await s.latestOffset(0, {})).toBe(2);
    expect(await planRows(await s.getBatch(0, 2))).toEqual([
      [new Date(10_000), 0n],
      [new Date(10_500), 1n],
      [new Date(11_000), 2n],
      [new Date(11_500), 3n],
    ]);
    expect(await s.latestOffset(2, {})).toBe(2);
  });

  it('RateStreamSource on a fresh source has nothing available', async () => {
    const clock = new ManualClock(0);
    const s = new RateStreamSource({ rowsPerSecond: 1 }, clock, null);
    await s.prepareForTriggerAvailableNow();
    clock.advance(3000);
    expect(await s.latestOffset(0, {})).toBe(0);
  });

  it('RatePerMicroBatchSource offers exactly one batch per run', async () => {
    const s = new RatePerMicroBatchSource({ rowsPerBatch: 2 });
    expect(await s.latestOffset(0, {})).toBe(1);
    await s.prepareForTriggerAvailableNow();
    expect(await s.latestOffset(3, {})).toBe(4);
    expect(await s.latestOffset(3, {})).toBe(4);
    expect(await planRows(await s.getBatch(3, 4))).toEqual([
      [new Date(3000), 6n],
      [new Date(3000), 7n],
    ]);
    expect(await s.latestOffset(4, {})).toBe(4);
    await s.prepareForTriggerAvailableNow();
    expect(await s.latestOffset(4, {})).toBe(5);
    expect(await s.latestOffset(5, {})).toBe(5);
  });
});
