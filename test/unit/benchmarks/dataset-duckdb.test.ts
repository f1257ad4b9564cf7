import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalRows } from '../../../benchmarks/canonical-rows.js';
import { COUNTRIES } from '../../../benchmarks/data/countries.js';
import { MERCHANTS_DIR, readManifest } from '../../../benchmarks/data/dataset-manifest.js';
import { generateTransactions } from '../../../benchmarks/data/generate-transactions.js';
import { transactionOptions } from '../../../benchmarks/data/transaction-options.js';
import { ensureDataset } from '../../../benchmarks/data/write-dataset.js';
import { DuckdbRunner, readParquetSql } from '../../../benchmarks/engines/duckdb-runner.js';
import { benchCase } from '../../../benchmarks/workloads/bench-cases.js';

const ROWS = 20_000;
const OPTS = { rows: ROWS, seed: 11, cards: 5_000, merchants: 2_000 };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-bench-test-'));
  await ensureDataset({ out: dir, files: 3, rowGroupRows: 4096, ...OPTS });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function duckdbRows(workload: string): Promise<Readonly<Record<string, unknown>>[]> {
  const runner = new DuckdbRunner({ dataDir: dir, benchCase: benchCase(workload), workers: 1, memorySource: 'arrow' });
  await runner.prepare();
  await runner.runOnce();
  const rows = runner.resultRows();
  expect(runner.resultRowCount()).toBe(rows.length);
  await runner.close();
  return rows;
}

describe('ensureDataset', () => {
  it('writes the files, merchants and a manifest whose fingerprint matches the generator', async () => {
    const m = await readManifest(dir);
    expect(m?.rows).toBe(ROWS);
    expect(m?.transactionFiles.map((f) => [f.file, f.rows])).toEqual([
      ['part-00000.parquet', 6666],
      ['part-00001.parquet', 6667],
      ['part-00002.parquet', 6667],
    ]);
    expect(m?.merchantsFile).toMatchObject({ file: join(MERCHANTS_DIR, 'part-00000.parquet'), rows: 2_000 });
    expect(m?.stats).toEqual(generateTransactions(transactionOptions(OPTS)).stats);
  });

  it('reuses a dataset with the same spec and regenerates when the spec changes', async () => {
    expect((await ensureDataset({ out: dir, files: 3, rowGroupRows: 4096, ...OPTS })).generated).toBe(false);
    const other = await mkdtemp(join(tmpdir(), 'sluice-bench-test-'));
    try {
      expect((await ensureDataset({ out: other, files: 1, rows: 500, seed: 1, cards: 100, merchants: 50 })).generated).toBe(true);
      expect((await ensureDataset({ out: other, files: 1, rows: 500, seed: 2, cards: 100, merchants: 50 })).generated).toBe(true);
      expect((await readManifest(other))?.spec.options.seed).toBe(2);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('writes Parquet that DuckDB reads with the benchmark schema, zstd and the requested row groups', async () => {
    const db = await DuckDBInstance.create(':memory:', { threads: '1' });
    const conn = await db.connect();
    const schema = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${readParquetSql(dir)}`))
      .getRowObjectsJS()
      .map((r) => `${r.column_name}:${r.column_type}`);
    expect(schema).toEqual([
      'event_time:TIMESTAMP WITH TIME ZONE',
      'card_id:BIGINT',
      'merchant_id:VARCHAR',
      'amount:DOUBLE',
      'country:VARCHAR',
      'is_online:BOOLEAN',
    ]);
    const meta = (
      await conn.runAndReadAll(
        `SELECT count(DISTINCT row_group_id) AS groups, max(row_group_num_rows) AS max_rows, min(compression) AS codec
         FROM parquet_metadata('${join(dir, 'part-00001.parquet')}')`,
      )
    ).getRowObjectsJS()[0];
    expect(meta).toEqual({ groups: 2n, max_rows: 4096n, codec: 'ZSTD' });
    const dims = (
      await conn.runAndReadAll(`SELECT count(*) AS n, count(DISTINCT category) AS c FROM ${readParquetSql(join(dir, MERCHANTS_DIR))}`)
    ).getRowObjectsJS();
    expect(dims).toEqual([{ n: 2000n, c: 20n }]);
    conn.closeSync();
    db.closeSync();
  });
});

describe('DuckdbRunner on a tiny generated dataset', () => {
  const tx = generateTransactions(transactionOptions(OPTS));

  it('W0 returns the generator fingerprint', async () => {
    const rows = await duckdbRows('W0');
    expect(rows).toHaveLength(1);
    const r = rows[0] as Record<string, unknown>;
    expect(r.n).toBe(BigInt(ROWS));
    expect(r.sum_card_id).toBe(BigInt(tx.stats.fingerprint.sumCardId));
    expect(r.n_online).toBe(BigInt(tx.stats.fingerprint.nOnline));
    expect(r.sum_amount as number).toBeCloseTo(tx.stats.fingerprint.sumAmount, 4);
  });

  it('W1 counts the rows the filter keeps', async () => {
    const keep = new Set(['US', 'GB', 'DE']);
    let n = 0;
    let sum = 0;
    for (let i = 0; i < ROWS; i++) {
      if ((tx.amount[i] as number) > 100 && keep.has(COUNTRIES[tx.countryIdx[i] as number] as string)) {
        n++;
        sum += tx.amount[i] as number;
      }
    }
    const rows = canonicalRows(await duckdbRows('W1'), benchCase('W1').query.columns);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[0]).toBe(String(n));
    expect(rows[0]?.[1] as number).toBeCloseTo(sum, 6);
  });

  it('W2 has one row per merchant that occurs, W3 one per (minute, country), join one per category', async () => {
    const merchants = new Set(tx.merchantIdx);
    const windows = new Set<string>();
    for (let i = 0; i < ROWS; i++) windows.add(`${Math.floor((tx.eventTimeMs[i] as number) / 60_000)}:${tx.countryIdx[i]}`);
    expect(await duckdbRows('W2')).toHaveLength(merchants.size);
    expect(await duckdbRows('W3')).toHaveLength(windows.size);
    const join = await duckdbRows('join');
    expect(join).toHaveLength(20);
    expect(join.reduce((s, r) => s + (r.n as bigint), 0n)).toBe(BigInt(ROWS));
  });

  it('memory cases load the tables first and give the same result as the parquet case', async () => {
    const runner = new DuckdbRunner({ dataDir: dir, benchCase: benchCase('W2-mem'), workers: 1, memorySource: 'arrow' });
    await runner.prepare();
    await runner.runOnce();
    const cols = benchCase('W2').query.columns;
    expect(canonicalRows(runner.resultRows(), cols)).toEqual(canonicalRows(await duckdbRows('W2'), cols));
    await runner.close();
  });
});
