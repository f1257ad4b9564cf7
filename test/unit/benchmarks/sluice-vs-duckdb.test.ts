import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalRows } from '../../../benchmarks/canonical-rows.js';
import { compareResults } from '../../../benchmarks/compare-results.js';
import { ensureDataset } from '../../../benchmarks/data/write-dataset.js';
import { DuckdbRunner } from '../../../benchmarks/engines/duckdb-runner.js';
import type { EngineRunConfig, EngineRunner } from '../../../benchmarks/engines/engine-runner.js';
import { SluiceRunner } from '../../../benchmarks/engines/sluice-runner.js';
import { BENCH_CASES, benchCase } from '../../../benchmarks/workloads/bench-cases.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-bench-cmp-'));
  await ensureDataset({ out: dir, rows: 5_000, files: 2, seed: 5, cards: 2_000, merchants: 500, rowGroupRows: 2048 });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runOnce(runner: EngineRunner): Promise<Readonly<Record<string, unknown>>[]> {
  try {
    await runner.prepare();
    await runner.runOnce();
    return runner.resultRows();
  } finally {
    await runner.close();
  }
}

describe('Sluice and DuckDB agree on every benchmark case (5,000 rows)', () => {
  for (const c of BENCH_CASES.filter((x) => x.workerCounts === null && x.notInAll !== true)) {
    it(c.name, async () => {
      const config: EngineRunConfig = { dataDir: dir, benchCase: c, workers: 1, memorySource: 'arrow' };
      const sluice = canonicalRows(await runOnce(new SluiceRunner(config)), c.query.columns);
      const duck = canonicalRows(await runOnce(new DuckdbRunner(config)), c.query.columns);
      expect(duck.length).toBeGreaterThan(0);
      expect(compareResults(sluice, duck, c.query.columns)).toEqual({ equal: true, differences: [] });
    });
  }
});

describe('in-memory loading', () => {
  for (const memorySource of ['reader', 'generate'] as const) {
    it(`W2-mem with memory source '${memorySource}' gives DuckDB's result`, async () => {
      const c = benchCase('W2-mem');
      const config: EngineRunConfig = { dataDir: dir, benchCase: c, workers: 1, memorySource };
      const sluice = canonicalRows(await runOnce(new SluiceRunner(config)), c.query.columns);
      const duck = canonicalRows(await runOnce(new DuckdbRunner(config)), c.query.columns);
      expect(sluice.length).toBeGreaterThan(400);
      expect(compareResults(sluice, duck, c.query.columns).differences).toEqual([]);
    });
  }
});
