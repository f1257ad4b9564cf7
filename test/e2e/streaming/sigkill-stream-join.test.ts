import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice } from '../../../engine/session/sluice.js';
import job from '../../../jobs/examples/auth-settlements.js';
import { runJob } from '../../../jobs/run-job.js';
import { writeAuthSettlementFiles, writeAuthSettlementHeartbeats } from '../../helpers/auth-settlement-files.js';
import { normalizeRows } from '../../helpers/normalize-rows.js';
import { assertDistBuilt, readCommittedRows, runSigkillHarness } from '../../helpers/sigkill-harness.js';

/**
 * The auth-settlements example job (stream-stream left outer join with a time range) under
 * the SIGKILL harness: two CSV inputs, one file of each per batch; after at least 50 kills
 * and restarts, and heartbeats that move both watermarks past the end, the committed rows
 * (matched pairs and null-padded unsettled authorisations) equal the batch run.
 */

const JOB_FILE = 'dist/jobs/examples/auth-settlements.js';
const KILLS = 50;
const ROWS_PER_FILE = 8;

let dir: string;
let sluice: Sluice;

beforeAll(async () => {
  assertDistBuilt(JOB_FILE);
  dir = mkdtempSync(join(tmpdir(), 'sluice-sigkill-join-'));
  sluice = await Sluice.builder().workers(1).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('SIGKILL: stream-stream left outer join', () => {
  it(`matched and unmatched authorisations after ${KILLS} kills and restarts equal the batch run`, async () => {
    const auths = join(dir, 'auths');
    const settlements = join(dir, 'settlements');
    let next = writeAuthSettlementFiles(auths, settlements, 0, 60, ROWS_PER_FILE);
    const run = await runSigkillHarness({
      jobFile: JOB_FILE,
      inputs: { auths, settlements },
      output: join(dir, 'out'),
      checkpoint: join(dir, 'ckpt'),
      kills: KILLS,
      requiredMoments: ['stateCommit', 'afterOffsetWrite|sinkWrite|offsetWrite'],
      seed: 23,
      moreInput: () => {
        next = writeAuthSettlementFiles(auths, settlements, next, 20, ROWS_PER_FILE);
      },
      beforeFinalRun: () => writeAuthSettlementHeartbeats(auths, settlements, next),
    });
    expect(run.finalExitCode).toBe(0);
    expect(run.kills).toBeGreaterThanOrEqual(KILLS);
    expect(run.covered).toBe(true);

    const batchOut = join(dir, 'batch');
    await runJob(sluice, job, { mode: 'batch', inputPaths: { auths, settlements }, output: batchOut });
    const expected = await (await sluice.read.parquet(batchOut)).toArray();
    const actual = await readCommittedRows(sluice, join(dir, 'out'));
    const cols = ['auth_id', 'auth_time', 'card_id', 'amount', 'settled_auth_id', 'settle_time', 'settled_amount'];
    // Every authorisation exactly once: matched, or null-padded when its state was evicted.
    expect(expected.length).toBe(next * ROWS_PER_FILE);
    expect(expected.some((r) => r.settle_time === null)).toBe(true);
    expect(actual.length).toBe(expected.length);
    expect(normalizeRows(actual, cols)).toEqual(normalizeRows(expected, cols));
  }, 360_000);
});
