import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice } from '../../../engine/session/sluice.js';
import job from '../../../jobs/examples/card-events-dedup.js';
import { sigkillEventJob } from '../../helpers/sigkill-event-jobs.js';
import { assertDistBuilt } from '../../helpers/sigkill-harness.js';

const JOB_FILE = 'dist/jobs/examples/card-events-dedup.js';
const KILLS = 50;

let sluice: Sluice;

beforeAll(async () => {
  assertDistBuilt(JOB_FILE);
  sluice = await Sluice.builder().workers(1).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
});

describe('SIGKILL: dropDuplicatesWithinWatermark', () => {
  it(`each event once after ${KILLS} kills and restarts, as in the batch run`, async () => {
    const { actual } = await sigkillEventJob(sluice, {
      job,
      jobFile: JOB_FILE,
      columns: ['event_id', 't', 'card_id', 'merchant', 'amount'],
      kills: KILLS,
      files: 60,
      refillFiles: 20,
      rowsPerFile: 8,
      requiredMoments: ['stateCommit', 'afterOffsetWrite|sinkWrite|offsetWrite'],
      seed: 13,
    });
    // The input redelivers about one event in five; the output holds every event id exactly once.
    const ids = actual.map((r) => Number(r.event_id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.min(...ids)).toBe(0);
    expect(Math.max(...ids)).toBe(ids.length - 1);
  }, 360_000);
});
