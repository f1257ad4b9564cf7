import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice } from '../../../engine/session/sluice.js';
import job from '../../../jobs/examples/active-cards-per-minute.js';
import { sigkillEventJob } from '../../helpers/sigkill-event-jobs.js';
import { assertDistBuilt } from '../../helpers/sigkill-harness.js';

const JOB_FILE = 'dist/jobs/examples/active-cards-per-minute.js';
const KILLS = 50;

let sluice: Sluice;

beforeAll(async () => {
  assertDistBuilt(JOB_FILE);
  sluice = await Sluice.builder().workers(1).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
});

describe('SIGKILL: chained aggregations in append mode', () => {
  it(`events and active cards per minute after ${KILLS} kills and restarts equal the batch run`, async () => {
    const { actual } = await sigkillEventJob(sluice, {
      job,
      jobFile: JOB_FILE,
      columns: ['window_start', 'window_end', 'events', 'cards'],
      kills: KILLS,
      files: 60,
      refillFiles: 20,
      rowsPerFile: 8,
      requiredMoments: ['stateCommit', 'afterOffsetWrite|sinkWrite|offsetWrite'],
      seed: 17,
    });
    // One row per minute, every minute of the data: three 20-second files per window.
    const starts = actual.map((r) => (r.window_start as Date).getTime()).sort((a, b) => a - b);
    expect(new Set(starts).size).toBe(starts.length);
    for (let i = 1; i < starts.length; i++) expect((starts[i] as number) - (starts[i - 1] as number)).toBe(60_000);
  }, 360_000);
});
