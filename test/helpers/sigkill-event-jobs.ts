/**
 * The SIGKILL test of one event-time job over the seeded card events of event-files.ts:
 * kill and restart it (available-now, one file per batch) at least `kills` times, add the
 * closing heartbeat file so the watermark passes the end of the data, run it to the end,
 * and compare the committed Parquet output with the batch run of the same job.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { JobDefinition } from '../../jobs/job-definition.js';
import { runJob } from '../../jobs/run-job.js';
import type { Sluice } from '../../engine/session/sluice.js';
import { writeEventFiles, writeHeartbeatFile } from './event-files.js';
import { normalizeRows } from './normalize-rows.js';
import type { SigkillHarnessResult } from './sigkill-harness.js';
import { readCommittedRows, runSigkillHarness } from './sigkill-harness.js';

/** Options of {@link sigkillEventJob}. */
export interface SigkillEventJobOptions {
  readonly job: JobDefinition;
  /** The built job, e.g. `dist/jobs/examples/card-spend-windows.js`. */
  readonly jobFile: string;
  /** Output columns compared (rows are compared as sorted multisets). */
  readonly columns: readonly string[];
  readonly kills: number;
  /** Event files written at the start, and per refill. */
  readonly files: number;
  readonly refillFiles: number;
  readonly rowsPerFile: number;
  readonly requiredMoments: readonly string[];
  readonly seed: number;
}

/** What {@link sigkillEventJob} found, for further assertions. */
export interface SigkillEventJobResult {
  readonly run: SigkillHarnessResult;
  readonly expected: Record<string, unknown>[];
  readonly actual: Record<string, unknown>[];
}

/** Runs the SIGKILL harness over a job on card events and asserts its output equals the batch run. */
export async function sigkillEventJob(sluice: Sluice, o: SigkillEventJobOptions): Promise<SigkillEventJobResult> {
  const dir = mkdtempSync(join(tmpdir(), `sluice-sigkill-${o.job.name}-`));
  try {
    const input = join(dir, 'in');
    const out = join(dir, 'out');
    let next = writeEventFiles(input, 0, o.files, o.rowsPerFile);
    const run = await runSigkillHarness({
      jobFile: o.jobFile,
      inputs: { events: input },
      output: out,
      checkpoint: join(dir, 'ckpt'),
      kills: o.kills,
      requiredMoments: o.requiredMoments,
      seed: o.seed,
      moreInput: () => {
        next = writeEventFiles(input, next, o.refillFiles, o.rowsPerFile);
      },
      beforeFinalRun: () => writeHeartbeatFile(input, next, o.rowsPerFile),
    });
    expect(run.finalExitCode).toBe(0);
    expect(run.kills).toBeGreaterThanOrEqual(o.kills);
    expect(run.covered).toBe(true);

    const batchOut = join(dir, 'batch');
    await runJob(sluice, o.job, { mode: 'batch', inputPaths: { events: input }, output: batchOut });
    const expected = await (await sluice.read.parquet(batchOut)).toArray();
    const actual = await readCommittedRows(sluice, out);
    expect(expected.length).toBeGreaterThan(0);
    expect(actual.length).toBe(expected.length);
    expect(normalizeRows(actual, o.columns)).toEqual(normalizeRows(expected, o.columns));
    return { run, expected, actual };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
