import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice } from '../../../engine/session/sluice.js';
import job from '../../../jobs/examples/card-sessions.js';
import { sigkillEventJob } from '../../helpers/sigkill-event-jobs.js';
import { assertDistBuilt } from '../../helpers/sigkill-harness.js';

const JOB_FILE = 'dist/jobs/examples/card-sessions.js';
const KILLS = 50;

let sluice: Sluice;

beforeAll(async () => {
  assertDistBuilt(JOB_FILE);
  sluice = await Sluice.builder().workers(1).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
});

describe('SIGKILL: session windows in append mode', () => {
  it(`card sessions (10 s gap) after ${KILLS} kills and restarts equal the batch run`, async () => {
    const { actual } = await sigkillEventJob(sluice, {
      job,
      jobFile: JOB_FILE,
      columns: ['session_start', 'session_end', 'card_id', 'n', 'total', 'first_t', 'last_t'],
      kills: KILLS,
      files: 60,
      refillFiles: 20,
      rowsPerFile: 8,
      requiredMoments: ['stateCommit', 'afterOffsetWrite|sinkWrite|offsetWrite'],
      seed: 29,
    });
    // Sessions of one card never overlap: a merge across batches (or a restart) left no fragment behind.
    const byCard = new Map<string, [number, number][]>();
    for (const r of actual) {
      const list = byCard.get(String(r.card_id)) ?? [];
      list.push([(r.session_start as Date).getTime(), (r.session_end as Date).getTime()]);
      byCard.set(String(r.card_id), list);
    }
    for (const list of byCard.values()) {
      list.sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < list.length; i++) expect((list[i] as [number, number])[0]).toBeGreaterThanOrEqual((list[i - 1] as [number, number])[1]);
    }
  }, 360_000);
});
