import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice } from '../../../engine/session/sluice.js';
import job from '../../../jobs/examples/card-spend-windows.js';
import { sigkillEventJob } from '../../helpers/sigkill-event-jobs.js';
import { assertDistBuilt } from '../../helpers/sigkill-harness.js';

const JOB_FILE = 'dist/jobs/examples/card-spend-windows.js';
const KILLS = 50;

let sluice: Sluice;

beforeAll(async () => {
  assertDistBuilt(JOB_FILE);
  sluice = await Sluice.builder().workers(1).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
});

describe('SIGKILL: windowed event-time aggregation in append mode', () => {
  it(`1-minute windows per card after ${KILLS} kills and restarts equal the batch run`, async () => {
    const { run, actual } = await sigkillEventJob(sluice, {
      job,
      jobFile: JOB_FILE,
      columns: ['window_start', 'window_end', 'card_id', 'n', 'total'],
      kills: KILLS,
      files: 60,
      refillFiles: 20,
      rowsPerFile: 8,
      requiredMoments: ['stateCommit', 'afterOffsetWrite|sinkWrite|offsetWrite'],
      seed: 11,
    });
    expect(run.kills).toBeGreaterThanOrEqual(KILLS);
    // Each (window, card) is written once: append mode never emits a window twice, even across restarts.
    const keys = actual.map((r) => `${(r.window_start as Date).getTime()}/${String(r.card_id)}`);
    expect(new Set(keys).size).toBe(keys.length);
  }, 360_000);
});
