import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import { Sluice } from '../../../engine/session/sluice.js';
import job from '../../../jobs/examples/fraud-alerts.js';
import { runJob } from '../../../jobs/run-job.js';
import { normalizeRows } from '../../helpers/normalize-rows.js';
import { assertDistBuilt, readCommittedRows, runSigkillHarness } from '../../helpers/sigkill-harness.js';

/**
 * The fraud-alerts example job (transformWithState: list state per card plus an event-time
 * timer) under the SIGKILL harness: Parquet files of card transactions in event-time order,
 * one per batch; after at least 50 kills and restarts the committed alerts equal the batch
 * run of the same job over the same files.
 */

const JOB_FILE = 'dist/jobs/examples/fraud-alerts.js';
const KILLS = 50;
const FILES = 60;
const REFILL = 20;
const ROWS_PER_FILE = 40;

const schema = schemaOf([
  field('event_time', types.timestamp('ms', 'UTC')),
  field('card_id', types.int64),
  field('merchant_id', types.utf8),
  field('amount', types.float64),
  field('country', types.utf8),
  field('is_online', types.boolean),
]);

type Tx = { event_time: Date; card_id: bigint; merchant_id: string | null; amount: number; country: string; is_online: boolean };

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bursty transactions of 20 cards at whole seconds (ties happen), in event-time order: about `rows` rows. */
function generate(seed: number, rows: number): Tx[] {
  const r = rng(seed);
  const merchants = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', null];
  const out: Tx[] = [];
  const t0 = Date.UTC(2026, 0, 1);
  const bursts = Math.ceil(rows / 5);
  const span = bursts * 25; // seconds: bursts overlap in time
  for (let b = 0; b < bursts; b++) {
    const card = BigInt(Math.floor(r() * 20));
    const start = t0 + Math.floor(r() * span) * 1000;
    const n = 2 + Math.floor(r() * 7);
    const spread = 30 + Math.floor(r() * 200);
    const pool = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) {
      out.push({
        event_time: new Date(start + Math.floor(r() * spread) * 1000),
        card_id: card,
        merchant_id: merchants[Math.floor(r() * Math.min(pool + 1, merchants.length))] ?? null,
        amount: Math.round(r() * 50000) / 100,
        country: r() < 0.8 ? 'US' : 'GB',
        is_online: r() < 0.5,
      });
    }
  }
  return out.sort((a, b) => a.event_time.getTime() - b.event_time.getTime());
}

/** Splits rows (in time order) into chunks of about `size`, never splitting one timestamp (the job's exactness condition). */
function chunks(rows: Tx[], size: number): Tx[][] {
  const out: Tx[][] = [];
  let i = 0;
  while (i < rows.length) {
    let j = Math.min(rows.length, i + size);
    while (j < rows.length && rows[j]?.event_time.getTime() === rows[j - 1]?.event_time.getTime()) j++;
    out.push(rows.slice(i, j));
    i = j;
  }
  return out;
}

let dir: string;
let sluice: Sluice;

beforeAll(async () => {
  assertDistBuilt(JOB_FILE);
  dir = mkdtempSync(join(tmpdir(), 'sluice-sigkill-fraud-'));
  sluice = await Sluice.builder().workers(1).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('SIGKILL: transformWithState (fraud-alerts)', () => {
  it(`the alerts after ${KILLS} kills and restarts equal the batch run`, async () => {
    const parts = chunks(generate(5, (FILES + 8 * REFILL) * ROWS_PER_FILE), ROWS_PER_FILE);
    const input = join(dir, 'in');
    mkdirSync(input, { recursive: true });
    const spare = join(dir, 'spare');
    mkdirSync(spare);
    /** Writes chunk `i` as Parquet into `folder` (written aside, renamed in, as a stream source needs). */
    const writeChunk = async (i: number, folder: string): Promise<void> => {
      const aside = join(dir, `aside-${i}`);
      await sluice
        .createDataFrame(parts[i] as Tx[], schema)
        .write.mode('overwrite')
        .parquet(aside);
      const written = readdirSync(aside).filter((f) => f.endsWith('.parquet'));
      for (const [k, f] of written.entries()) renameSync(join(aside, f), join(folder, `tx-${String(i).padStart(6, '0')}-${k}.parquet`));
      rmSync(aside, { recursive: true, force: true });
    };
    for (let i = 0; i < FILES; i++) await writeChunk(i, input);
    // The harness's refill hook is synchronous: the later chunks are written ahead into a side
    // folder (after the first ones, so in modification-time order) and moved in when asked.
    for (let i = FILES; i < parts.length; i++) await writeChunk(i, spare);
    let next = FILES;
    const run = await runSigkillHarness({
      jobFile: JOB_FILE,
      inputs: { transactions: input },
      output: join(dir, 'out'),
      checkpoint: join(dir, 'ckpt'),
      kills: KILLS,
      requiredMoments: ['stateCommit', 'afterOffsetWrite|sinkWrite|offsetWrite'],
      seed: 19,
      moreInput: () => {
        const end = next + REFILL;
        const moving = readdirSync(spare).filter((f) => Number.parseInt(f.slice(3, 9), 10) < end);
        if (moving.length === 0) throw new Error('No spare input left: generate more rows.');
        for (const f of moving) renameSync(join(spare, f), join(input, f));
        next = end;
      },
    });
    expect(run.finalExitCode).toBe(0);
    expect(run.kills).toBeGreaterThanOrEqual(KILLS);
    expect(run.covered).toBe(true);

    const batchOut = join(dir, 'batch');
    await runJob(sluice, job, { mode: 'batch', inputPaths: { transactions: input }, output: batchOut });
    const expected = await (await sluice.read.parquet(batchOut)).toArray();
    const actual = await readCommittedRows(sluice, join(dir, 'out'));
    const cols = ['card_id', 'event_time_ms', 'n', 'n_merchants'];
    expect(expected.length).toBeGreaterThan(20);
    expect(actual.length).toBe(expected.length);
    expect(normalizeRows(actual, cols)).toEqual(normalizeRows(expected, cols));
  }, 360_000);
});
