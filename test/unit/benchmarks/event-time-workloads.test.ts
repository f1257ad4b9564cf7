import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalRows } from '../../../benchmarks/canonical-rows.js';
import { compareResults } from '../../../benchmarks/compare-results.js';
import { ensureDataset } from '../../../benchmarks/data/write-dataset.js';
import { DuckdbRunner, readParquetSql } from '../../../benchmarks/engines/duckdb-runner.js';
import type { EngineRunConfig, EngineRunner } from '../../../benchmarks/engines/engine-runner.js';
import { SluiceRunner } from '../../../benchmarks/engines/sluice-runner.js';
import { benchCase, selectCases } from '../../../benchmarks/workloads/bench-cases.js';
import type { BenchQuery } from '../../../benchmarks/workloads/bench-query.js';
import { W4_PARAMS } from '../../../benchmarks/workloads/w4-sliding-windows.js';
import { W5_PARAMS } from '../../../benchmarks/workloads/w5-fraud-rule.js';
import { W6_GAP_MS } from '../../../benchmarks/workloads/w6-sessions.js';

// 6,000 rows at 2 per second (50 minutes) over 150 cards: about 40 transactions per card, so
// cards have several sessions, many 10-minute windows with >= 5 rows, and (with 5 % of rows
// in bursts of 5-8 within 100 s) fraud-rule hits.
const OPTS = { rows: 6_000, seed: 21, rate: 2, cards: 150, merchants: 400, burstFrac: 0.05 };
let dir: string;

interface Tx {
  readonly card: number;
  readonly t: number;
  readonly merchant: string;
  readonly amount: number;
}
let txs: Tx[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-bench-et-'));
  await ensureDataset({ out: dir, files: 2, rowGroupRows: 2048, ...OPTS });
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run("SET TimeZone='UTC'");
  const r = await conn.runAndReadAll(`SELECT card_id, epoch_ms(event_time) AS t, merchant_id, amount FROM ${readParquetSql(dir)}`);
  txs = r.getRowObjectsJS().map((x) => ({ card: Number(x.card_id), t: Number(x.t), merchant: String(x.merchant_id), amount: Number(x.amount) }));
  conn.closeSync();
  db.closeSync();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rowsOf(runner: EngineRunner): Promise<Readonly<Record<string, unknown>>[]> {
  try {
    await runner.prepare();
    await runner.runOnce();
    return runner.resultRows();
  } finally {
    await runner.close();
  }
}

function config(workload: string): EngineRunConfig {
  return { dataDir: dir, benchCase: benchCase(workload), workers: 1, memorySource: 'arrow' };
}

function byCard(): Map<number, Tx[]> {
  const m = new Map<number, Tx[]>();
  for (const x of txs) {
    const list = m.get(x.card) ?? [];
    list.push(x);
    m.set(x.card, list);
  }
  for (const list of m.values()) list.sort((a, b) => a.t - b.t);
  return m;
}

/** W4 by brute force: every (card, window start) a row falls in, counted, kept at >= 5. */
function w4Reference(): Record<string, unknown>[] {
  const counts = new Map<string, number>();
  const { windowMs, slideMs, minCount } = W4_PARAMS;
  for (const x of txs) {
    const last = Math.floor(x.t / slideMs) * slideMs;
    for (let s = last; s > x.t - windowMs; s -= slideMs) counts.set(`${x.card}|${s}`, (counts.get(`${x.card}|${s}`) ?? 0) + 1);
  }
  return [...counts]
    .filter(([, n]) => n >= minCount)
    .map(([k, n]) => {
      const [card, start] = k.split('|');
      return { card_id: Number(card), window_start_ms: Number(start), n };
    });
}

/** W5 by brute force: per transaction, the card's transactions in [t - 2 min, t]. */
function w5Reference(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const [card, list] of byCard()) {
    for (const x of list) {
      const frame = list.filter((y) => y.t >= x.t - W5_PARAMS.rangeMs && y.t <= x.t);
      const merchants = new Set(frame.map((y) => y.merchant)).size;
      if (frame.length >= W5_PARAMS.minCount && merchants >= W5_PARAMS.minMerchants)
        out.push({ card_id: card, event_time_ms: x.t, n: frame.length, n_merchants: merchants });
    }
  }
  return out;
}

/** W6 by brute force: per card in time order, a new session when the gap is over 5 minutes. */
function w6Reference(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const [card, list] of byCard()) {
    let first = 0;
    for (let i = 1; i <= list.length; i++) {
      if (i < list.length && (list[i] as Tx).t - (list[i - 1] as Tx).t <= W6_GAP_MS) continue;
      const s = list.slice(first, i);
      const t0 = (s[0] as Tx).t;
      const t1 = (s[s.length - 1] as Tx).t;
      out.push({
        card_id: card,
        session_start_ms: t0,
        session_end_ms: t1 + W6_GAP_MS,
        n: s.length,
        sum_amount: s.reduce((a, y) => a + y.amount, 0),
        length_ms: t1 - t0,
      });
      first = i;
    }
  }
  return out;
}

function expectSame(q: BenchQuery, got: readonly Readonly<Record<string, unknown>>[], want: readonly Readonly<Record<string, unknown>>[]): void {
  expect(compareResults(canonicalRows(got, q.columns), canonicalRows(want, q.columns), q.columns)).toEqual({ equal: true, differences: [] });
}

describe('event-time workloads W4-W6', () => {
  it('selects W3-W6 as event-time and keeps W4-W6 out of all', () => {
    expect(selectCases('event-time').map((c) => c.name)).toEqual(['W3', 'W4', 'W5', 'W6']);
    const all = selectCases('all').map((c) => c.name);
    expect(all).toContain('W3');
    expect(all.filter((n) => ['W4', 'W5', 'W6'].includes(n))).toEqual([]);
  });

  it("DuckDB's W4, W5 and W6 equal brute-force computations over the same rows", async () => {
    const w4 = w4Reference();
    const w5 = w5Reference();
    const w6 = w6Reference();
    // The data is shaped so each workload has a real result to compare.
    expect(w4.length).toBeGreaterThan(100);
    expect(w5.length).toBeGreaterThan(10);
    expect(w6.length).toBeGreaterThan(150);
    expectSame(benchCase('W4').query, await rowsOf(new DuckdbRunner(config('W4'))), w4);
    expectSame(benchCase('W5').query, await rowsOf(new DuckdbRunner(config('W5'))), w5);
    expectSame(benchCase('W6').query, await rowsOf(new DuckdbRunner(config('W6'))), w6);
  });

  it("Sluice's W4 (window(event_time, '10 minutes', '1 minute')) equals DuckDB's", async () => {
    const q = benchCase('W4').query;
    const duck = await rowsOf(new DuckdbRunner(config('W4')));
    expectSame(q, await rowsOf(new SluiceRunner(config('W4'))), duck);
  });

  it("Sluice's W5 (transformWithState) and W6 (sessionWindow) equal DuckDB's", async () => {
    for (const w of ['W5', 'W6']) {
      const q = benchCase(w).query;
      expectSame(q, await rowsOf(new SluiceRunner(config(w))), await rowsOf(new DuckdbRunner(config(w))));
    }
  });
});
