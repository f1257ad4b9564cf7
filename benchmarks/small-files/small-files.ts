/**
 * The `small-files` benchmark: many small Parquet files (default 10,000 files of 100 rows),
 * Sluice against DuckDB in the same run, on the same files, with the same thread count.
 *
 *   npm run bench -- small-files [--files 10000] [--rows 1000000] [--runs 3] [--warmup 1] [--workers 2]
 *
 * Four measurements, one JSON line each (`workload` small-files-count, small-files-agg,
 * small-files-stream-count, small-files-stream-agg):
 * - count: Sluice `read.parquet(dir)` + `count()`; DuckDB `SELECT count(*) FROM read_parquet(...)`.
 * - agg: group by country -> count, sum(amount); DuckDB the same SQL.
 * - stream-count / stream-agg: one availableNow trigger of the streaming count / aggregation
 *   over the folder (`readStream.load` included; complete mode, foreachBatch materialising
 *   the result), from `readStream` to termination, on a fresh checkpoint each run; the peer
 *   is DuckDB's batch query (there is no streaming peer), so the ratio says what one
 *   trigger costs against a batch engine.
 * Every run re-lists the folder and re-reads every footer (Sluice's footer cache is cleared
 * before each run). Both engines run in this process, one after the other.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DataFrame } from '../../dataframe/data-frame.js';
import { count, sum } from '../../dataframe/expr/functions.js';
import { Sluice } from '../../engine/session/sluice.js';
import { Trigger } from '../../scheduler/trigger.js';
import { clearParquetFooterCache } from '../../sources/file/parquet-footer.js';
import type { BenchRecord } from '../bench-record.js';
import { appendRecord } from '../bench-record.js';
import { canonicalRows } from '../canonical-rows.js';
import { compareResults } from '../compare-results.js';
import { ensureDataset } from '../data/write-dataset.js';
import { readParquetSql } from '../engines/duckdb-runner.js';
import type { ResultColumn } from '../workloads/bench-query.js';

type Rows = Readonly<Record<string, unknown>>[];

interface Measured {
  readonly times: number[];
  readonly rows: Rows;
}

const COUNT_COLUMNS: readonly ResultColumn[] = [{ name: 'n', kind: 'int' }];
const AGG_COLUMNS: readonly ResultColumn[] = [
  { name: 'country', kind: 'str' },
  { name: 'n', kind: 'int' },
  { name: 'total', kind: 'float' },
];

async function timed(runs: number, warmup: number, once: () => Promise<Rows>): Promise<Measured> {
  let rows: Rows = [];
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    clearParquetFooterCache();
    (globalThis as { gc?: () => void }).gc?.();
    const t0 = performance.now();
    rows = await once();
    const s = (performance.now() - t0) / 1000;
    if (i >= warmup) times.push(s);
  }
  return { times, rows };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const r4 = (x: number): number => Math.round(x * 10000) / 10000;

/** Runs the benchmark; returns the exit status (1 when a result differs or a run fails). */
export async function runSmallFiles(argv: readonly string[], commit: string | null): Promise<number> {
  const { values: a } = parseArgs({
    args: [...argv],
    options: {
      files: { type: 'string', default: '10000' },
      rows: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '1' },
      workers: { type: 'string', default: '2' },
      data: { type: 'string' },
      'results-dir': { type: 'string', default: 'benchmarks/results' },
      'checkpoint-dir': { type: 'string', default: tmpdir() },
    },
    allowPositionals: true,
    strict: true,
  });
  const files = Number(a.files);
  const rows = Number(a.rows);
  const runs = Number(a.runs);
  const warmup = Number(a.warmup);
  const workers = Number(a.workers);
  const dataDir = a.data ?? `.bench-data/small-files-${files}x${rows / files}`;
  const dataset = await ensureDataset({ out: dataDir, rows, files });
  process.stderr.write(dataset.generated ? `generated ${files} files into ${dataDir} in ${dataset.seconds.toFixed(1)} s\n` : `using ${dataDir}\n`);

  const { DuckDBInstance } = await import('@duckdb/node-api');
  const duck = await DuckDBInstance.create(':memory:', { threads: String(workers) });
  const conn = await duck.connect();
  const tx = readParquetSql(dataDir);
  const duckRows = async (sql: string): Promise<Rows> => (await conn.runAndReadAll(sql)).getRowObjectsJS();

  const sluice = await Sluice.builder().workers(workers).getOrCreate();
  const aggOf = async () => (await sluice.read.parquet(dataDir)).groupBy('country').agg(count().alias('n'), sum('amount').alias('total'));
  /** One availableNow trigger of `query` over the folder (complete mode, fresh checkpoint), from start() to termination. */
  const streamTrigger = async (query: (input: DataFrame) => DataFrame): Promise<Rows> => {
    const ckpt = await mkdtemp(join(a['checkpoint-dir'], 'sluice-small-files-'));
    try {
      const input = await sluice.readStream.format('parquet').load(dataDir);
      let out: Rows = [];
      const q = await query(input)
        .writeStream.outputMode('complete')
        .option('checkpointLocation', ckpt)
        .trigger(Trigger.availableNow())
        .foreachBatch(async (b) => {
          out = await b.toArray();
        })
        .start();
      await q.awaitTermination();
      if (q.exception !== null) throw q.exception;
      return out;
    } finally {
      await rm(ckpt, { recursive: true, force: true });
    }
  };
  let status = 0;
  try {
    const cases: { name: string; columns: readonly ResultColumn[]; sluice: () => Promise<Rows>; sql: string }[] = [
      {
        name: 'small-files-count',
        columns: COUNT_COLUMNS,
        sluice: async () => [{ n: await (await sluice.read.parquet(dataDir)).count() }],
        sql: `SELECT count(*) AS n FROM ${tx}`,
      },
      {
        name: 'small-files-agg',
        columns: AGG_COLUMNS,
        sluice: async () => (await aggOf()).toArray(),
        sql: `SELECT country, count(*) AS n, sum(amount) AS total FROM ${tx} GROUP BY country`,
      },
      {
        name: 'small-files-stream-count',
        columns: COUNT_COLUMNS,
        sluice: () => streamTrigger((input) => input.groupBy().agg(count().alias('n'))),
        sql: `SELECT count(*) AS n FROM ${tx}`,
      },
      {
        name: 'small-files-stream-agg',
        columns: AGG_COLUMNS,
        sluice: () => streamTrigger((input) => input.groupBy('country').agg(count().alias('n'), sum('amount').alias('total'))),
        sql: `SELECT country, count(*) AS n, sum(amount) AS total FROM ${tx} GROUP BY country`,
      },
    ];
    for (const c of cases) {
      process.stderr.write(`${c.name}: sluice (${workers} workers)...\n`);
      let error: string | undefined;
      const s = await timed(runs, warmup, c.sluice).catch((e: unknown) => {
        error = `sluice: ${e instanceof Error ? e.message : String(e)}`;
        return null;
      });
      process.stderr.write(`${c.name}: duckdb (${workers} threads)...\n`);
      const p = await timed(runs, warmup, () => duckRows(c.sql));
      let match = s !== null;
      if (s !== null) {
        const cmp = compareResults(canonicalRows(s.rows, c.columns), canonicalRows(p.rows, c.columns), c.columns);
        match = cmp.equal;
        if (!cmp.equal) error = `results differ (sluice vs duckdb): ${cmp.differences.join('; ')}`;
      }
      const sluiceSeconds = s === null ? null : r4(median(s.times));
      const peerSeconds = r4(median(p.times));
      const record: BenchRecord & { files: number; rowsPerFile: number } = {
        workload: c.name,
        rows,
        sluiceSeconds,
        peer: 'duckdb',
        peerSeconds,
        ratio: sluiceSeconds === null ? null : Math.round((peerSeconds / sluiceSeconds) * 1000) / 1000,
        peakRssMb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
        peerPeakRssMb: null,
        workers,
        runs,
        warmup,
        resultsMatch: match,
        outputRows: p.rows.length,
        sluiceRunsSeconds: s === null ? [] : s.times.map(r4),
        peerRunsSeconds: p.times.map(r4),
        commit,
        timestamp: new Date().toISOString(),
        files,
        rowsPerFile: rows / files,
        ...(error === undefined ? {} : { error }),
      };
      process.stdout.write(`${JSON.stringify(record)}\n`);
      await appendRecord(a['results-dir'], record);
      if (!match) status = 1;
    }
  } finally {
    await sluice.stop();
    conn.closeSync();
    duck.closeSync();
  }
  return status;
}
