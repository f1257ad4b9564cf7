import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommitLog } from '../../../../engine/checkpoint/commit-log.js';
import { LocalFileManager } from '../../../../common/log/local-file-manager.js';
import type { OffsetLogEntry } from '../../../../engine/checkpoint/offset-log.js';
import { OffsetLog } from '../../../../engine/checkpoint/offset-log.js';
import { planRecovery, purgeOldBatches } from '../../../../engine/checkpoint/recovery-plan.js';

let dir: string;
let offsets: OffsetLog;
let commits: CommitLog;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-recovery-'));
  const fm = new LocalFileManager();
  offsets = new OffsetLog(fm, join(dir, 'offsets'));
  commits = new CommitLog(fm, join(dir, 'commits'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (n: number): OffsetLogEntry => ({ batchWatermarkMs: n * 10, batchTimestampMs: 5000 + n, conf: { partitions: '2' }, offsets: [String(n * 100)] });

async function run(batches: number, committed: number): Promise<void> {
  for (let n = 0; n < batches; n++) await offsets.add(n, entry(n));
  for (let n = 0; n < committed; n++) await commits.add(n, { nextBatchWatermarkMs: n * 10 + 7 });
}

describe('planRecovery', () => {
  it('starts a fresh query at batch 0', async () => {
    expect(await planRecovery(offsets, commits)).toEqual({ nextBatchId: 0, watermarkMs: 0, warnings: [] });
  });

  it('continues after the last committed batch with the larger watermark', async () => {
    await run(3, 3);
    expect(await planRecovery(offsets, commits)).toEqual({
      nextBatchId: 3,
      startOffsets: entry(2),
      watermarkMs: 27,
      lastCommit: { nextBatchWatermarkMs: 27 },
      warnings: [],
    });
  });

  it('re-runs the uncommitted batch with exactly its logged entry', async () => {
    await run(3, 2);
    expect(await planRecovery(offsets, commits)).toEqual({
      nextBatchId: 2,
      rerun: { batchId: 2, entry: entry(2) },
      startOffsets: entry(1),
      watermarkMs: 20,
      lastCommit: { nextBatchWatermarkMs: 17 },
      warnings: [],
    });
  });

  it('re-runs batch 0 with no start offsets', async () => {
    await run(1, 0);
    expect(await planRecovery(offsets, commits)).toEqual({ nextBatchId: 0, rerun: { batchId: 0, entry: entry(0) }, watermarkMs: 0, warnings: [] });
  });

  it('warns when the commit log lags by more than one batch', async () => {
    await run(4, 1);
    const plan = await planRecovery(offsets, commits);
    expect(plan.rerun?.batchId).toBe(3);
    expect(plan.startOffsets).toEqual(entry(2));
    expect(plan.warnings).toEqual(['The newest commit is batch 0 but batches up to 3 were logged; re-running batch 3 only.']);
  });

  it('reports commits ahead of offsets as CHECKPOINT_CORRUPT', async () => {
    await run(2, 2);
    await commits.add(2, { nextBatchWatermarkMs: 0 });
    await expect(planRecovery(offsets, commits)).rejects.toMatchObject({
      code: 'CHECKPOINT_CORRUPT',
      message: expect.stringContaining(join(dir, 'commits', '2')),
    });
  });

  it('reports a commit without any offsets as CHECKPOINT_CORRUPT', async () => {
    await commits.add(0, { nextBatchWatermarkMs: 0 });
    await expect(planRecovery(offsets, commits)).rejects.toMatchObject({ code: 'CHECKPOINT_CORRUPT' });
  });

  it('reports a missing start entry for a re-run as CHECKPOINT_CORRUPT naming it', async () => {
    await run(4, 3);
    await offsets.purge(3);
    await expect(planRecovery(offsets, commits)).rejects.toMatchObject({
      code: 'CHECKPOINT_CORRUPT',
      message: expect.stringContaining(join(dir, 'offsets', '2')),
    });
  });
});

describe('purgeOldBatches', () => {
  it('keeps the newest minBatchesToRetain + 1 entries of both logs', async () => {
    await run(10, 9);
    await purgeOldBatches(offsets, commits, 9, 3);
    expect(await offsets.list()).toEqual([6, 7, 8, 9]);
    expect(await commits.list()).toEqual([6, 7, 8]);
    // A crash now still re-runs batch 9 from batch 8's offsets.
    expect((await planRecovery(offsets, commits)).startOffsets).toEqual(entry(8));
  });

  it('does nothing while the log is short, and validates its argument', async () => {
    await run(3, 3);
    await purgeOldBatches(offsets, commits, 2, 100);
    expect(await offsets.list()).toEqual([0, 1, 2]);
    await expect(purgeOldBatches(offsets, commits, 2, 0)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
