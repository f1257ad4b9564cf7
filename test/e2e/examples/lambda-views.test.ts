import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDataset } from '../../../benchmarks/data/write-dataset.js';
import type { Row } from '../../../dataframe/data-frame.js';
import { Sluice } from '../../../engine/session/sluice.js';
import hourly from '../../../jobs/examples/hourly-country-spend.js';
import { compareLambdaViews } from '../../../jobs/examples/lambda-check.js';
import { batchRun, replayRun, streamRun } from '../../helpers/example-runs.js';

/**
 * The lambda-style pair on the seeded generator's transactions with their arrival jitter
 * and late rows (up to 10 minutes): the streaming view of hourly-country-spend and the
 * nightly batch recompute of the same job agree on every hour the stream closed, and so
 * does a replay of the files in event-time order; a view
 * with a changed or a missing row does not.
 */

let sluice: Sluice;
let dir: string;
let data: string;
let view: Row[];
let recompute: Row[];
let watermarkMs: number;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-lambda-'));
  data = join(dir, 'tx');
  // ~5.5 hours of transactions at 2/s, with the generator's default jitter and late rows.
  const { manifest } = await ensureDataset({ out: data, rows: 40_000, files: 8, rowGroupRows: 4096, cards: 5_000, merchants: 2_000, rate: 2 });
  expect(manifest.stats.lateEvents).toBeGreaterThan(100);
  expect(manifest.stats.outOfOrderRows).toBeGreaterThan(1000);
  const stream = await streamRun(sluice, hourly, { transactions: data }, join(dir, 'run'));
  view = stream.rows;
  watermarkMs = Date.parse(stream.query.lastProgress?.eventTime.watermark ?? '');
  recompute = await batchRun(sluice, hourly, { transactions: data }, join(dir, 'run'));
}, 120_000);

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

const options = () => ({ keys: ['hour_start', 'country'], windowEnd: 'hour_end', watermarkMs });

describe('lambda pair: streaming view and nightly recompute of hourly-country-spend', () => {
  it('agree on every hour the stream closed; the last hour is still open in the stream', () => {
    const check = compareLambdaViews(view, recompute, options());
    expect(check.missingInStream).toEqual([]);
    expect(check.extraInStream).toEqual([]);
    expect(check.differing).toEqual([]);
    expect(check.agree).toBe(true);
    expect(check.matched).toBe(view.length);
    expect(check.matched).toBeGreaterThan(100);
    expect(check.open.length).toBeGreaterThan(0);
    expect(check.matched + check.open.length).toBe(recompute.length);
    const total = recompute.reduce((s, r) => s + Number(r.n), 0);
    expect(total).toBe(40_000);
  });

  it('a replay of the same files (event-time order, simulated clock) agrees with the recompute too', async () => {
    const replay = await replayRun(sluice, hourly, { transactions: data }, join(dir, 'run'), 300_000);
    const replayWatermark = Date.parse(replay.query.lastProgress?.eventTime.watermark ?? '');
    const check = compareLambdaViews(replay.rows, recompute, { ...options(), watermarkMs: replayWatermark });
    expect(check.agree).toBe(true);
    expect(check.matched).toBeGreaterThan(100);
    expect(check.matched).toBe(replay.rows.length);
  });

  it('a view with a changed total or a missing hour does not agree', () => {
    const changed = view.map((r, i) => (i === 3 ? { ...r, total: Number(r.total) + 0.01 } : r));
    const a = compareLambdaViews(changed, recompute, options());
    expect(a.agree).toBe(false);
    expect(a.differing.length).toBe(1);
    const b = compareLambdaViews(view.slice(1), recompute, options());
    expect(b.agree).toBe(false);
    expect(b.missingInStream.length).toBe(1);
  });
});
