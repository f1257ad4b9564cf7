import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice } from '../../../engine/session/sluice.js';
import job from '../../../jobs/examples/transactions-cleaning.js';
import { runJob } from '../../../jobs/run-job.js';
import { normalizeRows } from '../../helpers/normalize-rows.js';
import { assertDistBuilt, readCommittedRows, runSigkillHarness } from '../../helpers/sigkill-harness.js';
import { writeTransactionFiles } from '../../helpers/transaction-files.js';

/** Fewer kills than the unpartitioned test (exactly-once-sigkill.test.ts): this one checks the partitioned layout on top. */
const KILLS = 10;
const MAX_KILLS = 30;
const FILES = 60;
const JOB_FILE = 'dist/jobs/examples/transactions-cleaning.js';

let dir: string;
let sluice: Sluice;

beforeAll(async () => {
  assertDistBuilt(JOB_FILE);
  dir = mkdtempSync(join(tmpdir(), 'sluice-sigkill-parted-'));
  sluice = await Sluice.builder().workers(1).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('partitioned Parquet sink under SIGKILL', () => {
  it(`partitionBy output after ${KILLS} kills and restarts equals the batch run, without duplicates`, async () => {
    const input = join(dir, 'in');
    const out = join(dir, 'out');
    let nextId = writeTransactionFiles(input, 11, FILES, 6);
    const run = await runSigkillHarness({
      jobFile: JOB_FILE,
      inputs: { transactions: input },
      output: out,
      checkpoint: join(dir, 'ckpt'),
      extraArgs: ['--max-files-per-trigger', '1', '--workers', '1', '--sink-option', 'partitionBy=large'],
      kills: KILLS,
      maxKills: MAX_KILLS,
      requiredMoments: ['gapBeforeCommit|sinkWrite'],
      seed: 3,
      moreInput: (round) => {
        nextId = writeTransactionFiles(input, 200 + round, FILES / 4, 6, nextId);
      },
    });
    expect(run.finalExitCode).toBe(0);
    expect(run.kills).toBeGreaterThanOrEqual(KILLS);
    expect(
      readdirSync(out)
        .filter((f) => !f.startsWith('_'))
        .sort(),
    ).toEqual(['large=false', 'large=true']);

    const batchOut = join(dir, 'batch');
    await runJob(sluice, job, { mode: 'batch', inputPaths: { transactions: input }, output: batchOut });
    // Partition discovery types 'true'/'false' folders as strings, as Spark does (it infers numbers, dates and timestamps only).
    const expected = (await (await sluice.read.parquet(batchOut)).toArray()).map((r) => ({ ...r, large: String(r.large) }));
    const actual = await readCommittedRows(sluice, out);
    const cols = ['tx_id', 'user_id', 'merchant', 'amount', 'large'];
    expect(actual.length).toBe(expected.length);
    expect(new Set(actual.map((r) => r.tx_id)).size).toBe(actual.length);
    expect(normalizeRows(actual, cols)).toEqual(normalizeRows(expected, cols));
  }, 180_000);
});
