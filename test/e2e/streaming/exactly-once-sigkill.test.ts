import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice } from '../../../engine/session/sluice.js';
import job from '../../../jobs/examples/transactions-cleaning.js';
import { runJob } from '../../../jobs/run-job.js';
import { normalizeRows } from '../../helpers/normalize-rows.js';
import { assertDistBuilt, readCommittedRows, runSigkillHarness } from '../../helpers/sigkill-harness.js';
import { writeTransactionFiles } from '../../helpers/transaction-files.js';

const KILLS = 50;
const FILES = 200;
/** Kill more than KILLS times (up to this) until every protocol moment was hit. */
const MAX_KILLS = 80;
const MOMENTS = ['gapBeforeCommit', 'afterOffsetWrite|sinkWrite|offsetWrite'];
const JOB_FILE = 'dist/jobs/examples/transactions-cleaning.js';

let dir: string;
let sluice: Sluice;

beforeAll(async () => {
  assertDistBuilt(JOB_FILE);
  dir = mkdtempSync(join(tmpdir(), 'sluice-sigkill-'));
  sluice = await Sluice.builder().workers(1).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('exactly-once under SIGKILL', () => {
  it(`the output after ${KILLS} kills and restarts equals the batch run`, async () => {
    const input = join(dir, 'in');
    const out = join(dir, 'out');
    let nextId = writeTransactionFiles(input, 42, FILES, 6);
    const run = await runSigkillHarness({
      jobFile: JOB_FILE,
      inputs: { transactions: input },
      output: out,
      checkpoint: join(dir, 'ckpt'),
      kills: KILLS,
      maxKills: MAX_KILLS,
      requiredMoments: MOMENTS,
      seed: 7,
      // The job caught up with its input before enough kills: give it more files (later in mtime order).
      moreInput: (round) => {
        nextId = writeTransactionFiles(input, 100 + round, FILES / 4, 6, nextId);
      },
    });
    expect(run.finalExitCode).toBe(0);
    expect(run.kills).toBeGreaterThanOrEqual(KILLS);
    expect(run.covered).toBe(true);

    const batchOut = join(dir, 'batch');
    await runJob(sluice, job, { mode: 'batch', inputPaths: { transactions: input }, output: batchOut });
    const expected = await (await sluice.read.parquet(batchOut)).toArray();
    const actual = await readCommittedRows(sluice, out);
    const cols = ['tx_id', 'user_id', 'merchant', 'amount', 'large'];
    expect(actual.length).toBe(expected.length);
    expect(normalizeRows(actual, cols)).toEqual(normalizeRows(expected, cols));
  }, 180_000);
});
