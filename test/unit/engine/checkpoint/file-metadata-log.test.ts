import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SluiceError } from '../../../../common/errors.js';
import { CommitLog } from '../../../../engine/checkpoint/commit-log.js';
import { FaultInjectingFileManager } from '../../../../common/log/fault-injecting-file-manager.js';
import { LocalFileManager } from '../../../../common/log/local-file-manager.js';
import type { OffsetLogEntry } from '../../../../engine/checkpoint/offset-log.js';
import { OffsetLog } from '../../../../engine/checkpoint/offset-log.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (n: number): OffsetLogEntry => ({
  batchWatermarkMs: n * 1000,
  batchTimestampMs: 1_700_000_000_000 + n,
  conf: { 'sluice.sql.shuffle.partitions': '4' },
  offsets: [`{"logOffset":${n}}`, null],
});

async function corruptError(log: OffsetLog, batchId: number): Promise<SluiceError> {
  try {
    await log.get(batchId);
  } catch (e) {
    return e as SluiceError;
  }
  throw new Error('expected an error');
}

describe('FileMetadataLog', () => {
  it('adds, gets, lists and purges entries in Spark layout', async () => {
    const log = new OffsetLog(new LocalFileManager(), join(dir, 'offsets'));
    expect(await log.getLatest()).toBeUndefined();
    expect(await log.list()).toEqual([]);
    for (const n of [0, 1, 2, 10]) expect(await log.add(n, entry(n))).toBe(true);
    expect(await log.list()).toEqual([0, 1, 2, 10]);
    expect(await log.get(1)).toEqual(entry(1));
    expect(await log.get(5)).toBeUndefined();
    expect(await log.getLatest()).toEqual({ batchId: 10, entry: entry(10) });
    const raw = await new LocalFileManager().readFile(join(dir, 'offsets', '2'));
    expect(new TextDecoder().decode(raw).split('\n')[0]).toBe('v1');
    await log.purge(2);
    expect(await log.list()).toEqual([2, 10]);
  });

  it('refuses to overwrite an existing batch', async () => {
    const log = new CommitLog(new LocalFileManager(), join(dir, 'commits'));
    expect(await log.add(0, { nextBatchWatermarkMs: 5 })).toBe(true);
    expect(await log.add(0, { nextBatchWatermarkMs: 99 })).toBe(false);
    expect(await log.get(0)).toEqual({ nextBatchWatermarkMs: 5 });
  });

  it('rejects bad batch ids', async () => {
    const log = new CommitLog(new LocalFileManager(), join(dir, 'commits'));
    await expect(log.add(-1, { nextBatchWatermarkMs: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(log.get(1.5)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('a crashed add leaves no entry, and the batch can be added after restart', async () => {
    const fm = new FaultInjectingFileManager();
    const log = new OffsetLog(fm, join(dir, 'offsets'));
    await log.add(0, entry(0));
    fm.inject({ at: { op: 'writeAtomic', step: 'written', torn: true } });
    await expect(log.add(1, entry(1))).rejects.toThrow(/Injected crash/);
    expect(await log.list()).toEqual([0]);
    expect(await log.getLatest()).toEqual({ batchId: 0, entry: entry(0) });
    expect(await log.add(1, entry(1))).toBe(true);
    expect(await log.get(1)).toEqual(entry(1));
  });

  const full = `v1\n${JSON.stringify(entry(3))}\n`;
  const cases: [string, string, RegExp][] = [
    ['truncated JSON', full.slice(0, full.length - 10), /truncated or garbled/],
    ['truncated after the version line', 'v1\n', /nothing follows the version line/],
    ['an empty file', '', /it is empty/],
    ['an unknown version', `v7\n${JSON.stringify(entry(3))}\n`, /log version v7 but this Sluice reads only v1/],
    ['a foreign first line', 'hello\n{}', /not the version line/],
    ['a wrong shape', 'v1\n{"batchWatermarkMs":1}\n', /batchTimestampMs is missing/],
    ['bad offsets', 'v1\n{"batchWatermarkMs":1,"batchTimestampMs":2,"conf":{},"offsets":[1]}\n', /offsets is missing or not an array/],
  ];
  for (const [what, content, problem] of cases) {
    it(`reports ${what} as CHECKPOINT_CORRUPT naming the file and the way out`, async () => {
      const log = new OffsetLog(new LocalFileManager(), join(dir, 'offsets'));
      await log.add(2, entry(2));
      await writeFile(join(dir, 'offsets', '3'), content);
      const e = await corruptError(log, 3);
      expect(e.code).toBe('CHECKPOINT_CORRUPT');
      expect(e.message).toContain(join(dir, 'offsets', '3'));
      expect(e.message).toMatch(problem);
      expect(e.message).toContain('re-run batch 3');
      expect(e.message).toContain('new checkpoint location');
      await expect(log.getLatest()).rejects.toMatchObject({ code: 'CHECKPOINT_CORRUPT' });
    });
  }

  it('detects truncation at every length of an entry', async () => {
    const log = new OffsetLog(new LocalFileManager(), join(dir, 'offsets'));
    const body = full.trimEnd();
    await new LocalFileManager().mkdirs(join(dir, 'offsets'));
    for (let len = 0; len < body.length; len++) {
      await writeFile(join(dir, 'offsets', '3'), body.slice(0, len));
      expect((await corruptError(log, 3)).code).toBe('CHECKPOINT_CORRUPT');
    }
    await writeFile(join(dir, 'offsets', '3'), body);
    expect(await log.get(3)).toEqual(entry(3));
  });
});
