import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeClickstreamFiles } from '../../../benchmarks/data/generate-clickstream.js';
import type { Row } from '../../../dataframe/data-frame.js';
import { Sluice } from '../../../engine/session/sluice.js';
import clickstreamCounts from '../../../jobs/examples/clickstream-counts.js';
import userSessions from '../../../jobs/examples/user-sessions.js';
import { batchRun, canonical, replayRun, streamRun } from '../../helpers/example-runs.js';

/**
 * The clickstream examples on the seeded clickstream generator's page views (files in
 * arrival order, event time up to 5 s out of order): the stream's result equals the batch
 * run's (for sessions: every session the watermark closed), and both equal counts computed
 * here from the raw rows; so does the replay of the same files in event-time order.
 */

let sluice: Sluice;
let dir: string;
let data: string;
let views: Row[];

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-clickstream-'));
  data = join(dir, 'views');
  await writeClickstreamFiles(data, 5, { rows: 20_000, seed: 11, users: 600, spanMs: 4 * 3_600_000 });
  views = await (await sluice.read.parquet(data)).toArray();
}, 60_000);

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ms = (v: unknown): number => (v as Date).getTime();

describe('clickstream-counts example: page views per page per minute', () => {
  const COLS = ['window_start', 'window_end', 'page', 'views'];

  it('batch counts equal a count over the raw rows; the stream (complete mode) ends with the same counts', async () => {
    const expected = new Map<string, number>();
    for (const v of views) {
      const start = Math.floor(ms(v.event_time) / 60_000) * 60_000;
      const key = `${start}|${v.page}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const batch = await batchRun(sluice, clickstreamCounts, { views: data }, join(dir, 'counts'));
    expect(batch.length).toBe(expected.size);
    for (const r of batch) {
      expect(ms(r.window_end) - ms(r.window_start)).toBe(60_000);
      expect(Number(r.views)).toBe(expected.get(`${ms(r.window_start)}|${r.page}`));
    }
    const { rows, query } = await streamRun(sluice, clickstreamCounts, { views: data }, join(dir, 'counts'));
    expect(query.recentProgress.filter((p) => p.numInputRows > 0).length).toBe(5);
    expect(canonical(rows, COLS)).toEqual(canonical(batch, COLS));
    // Complete mode rewrites every window per batch: replay 4 hours in 10-minute triggers.
    const replay = await replayRun(sluice, clickstreamCounts, { views: data }, join(dir, 'counts'), 600_000);
    expect(replay.query.lastProgress?.batchId).toBeGreaterThan(20);
    expect(canonical(replay.rows, COLS)).toEqual(canonical(batch, COLS));
  });
});

describe('user-sessions example: 30-minute sessions with page count and length', () => {
  const COLS = ['user_id', 'session_start', 'session_end', 'pages', 'length_s'];

  it('batch sessions follow the 30-minute gap rule over the raw rows', async () => {
    const byUser = new Map<number, number[]>();
    for (const v of views) {
      const u = Number(v.user_id);
      const list = byUser.get(u) ?? [];
      list.push(ms(v.event_time));
      byUser.set(u, list);
    }
    const expected: string[] = [];
    for (const [u, times] of byUser) {
      times.sort((a, b) => a - b);
      let first = times[0] as number;
      let last = first;
      let n = 1;
      for (const t of times.slice(1)) {
        if (t < last + 1_800_000) {
          last = t;
          n++;
          continue;
        }
        expected.push(`${u}|${first}|${last + 1_800_000}|${n}|${(last - first) / 1000}`);
        first = last = t;
        n = 1;
      }
      expected.push(`${u}|${first}|${last + 1_800_000}|${n}|${(last - first) / 1000}`);
    }
    const batch = await batchRun(sluice, userSessions, { views: data }, join(dir, 'sessions'));
    const got = batch.map((r) => `${r.user_id}|${ms(r.session_start)}|${ms(r.session_end)}|${r.pages}|${r.length_s}`);
    expect(got.sort()).toEqual(expected.sort());
    expect(batch.some((r) => Number(r.pages) > 10)).toBe(true);
  });

  it('the stream (append) writes every session the watermark closed, equal to the batch run', async () => {
    const batch = await batchRun(sluice, userSessions, { views: data }, join(dir, 'sessions'));
    const { rows, query } = await streamRun(sluice, userSessions, { views: data }, join(dir, 'sessions'));
    const watermark = Date.parse(query.lastProgress?.eventTime.watermark ?? '');
    const maxEvent = Math.max(...views.map((v) => ms(v.event_time)));
    expect(watermark).toBe(maxEvent - 60_000);
    const closed = batch.filter((r) => ms(r.session_end) <= watermark);
    // Sessions of the last 30 minutes are still open; every other one is written once.
    expect(closed.length).toBeGreaterThan(batch.length * 0.8);
    expect(batch.length - closed.length).toBeGreaterThan(0);
    expect(canonical(rows, COLS)).toEqual(canonical(closed, COLS));
  });

  it('the replay writes the same sessions as the stream', async () => {
    const batch = await batchRun(sluice, userSessions, { views: data }, join(dir, 'sessions'));
    const { rows, query } = await replayRun(sluice, userSessions, { views: data }, join(dir, 'sessions'), 300_000);
    const watermark = Date.parse(query.lastProgress?.eventTime.watermark ?? '');
    const closed = batch.filter((r) => ms(r.session_end) <= watermark);
    expect(closed.length).toBeGreaterThan(batch.length * 0.8);
    expect(canonical(rows, COLS)).toEqual(canonical(closed, COLS));
  });
});
