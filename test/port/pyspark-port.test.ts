/**
 * The port test of issue 9: five PySpark jobs, each written as Spark SQL and as DataFrame
 * code, give the same rows as each other and as Apache Spark 4.2.0. Spark's rows come from
 * running the same SQL text in PySpark over the same seeded files
 * (scripts/spark-check/port_jobs.py), recorded in test/port/spark-results.json; regenerate
 * them with `UPDATE_SPARK_RESULTS=1 npx vitest run test/port/pyspark-port.test.ts` (needs
 * Java 17; the first run installs pyspark into .venv-spark). The two streaming jobs also run
 * over streaming views of the same files and give the batch rows of every window the final
 * watermark has closed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeClickstreamFiles } from '../../benchmarks/data/generate-clickstream.js';
import { CLICKSTREAM_SCHEMA } from '../../benchmarks/data/generate-clickstream.js';
import { ensureDataset } from '../../benchmarks/data/write-dataset.js';
import { sparkPython } from '../../benchmarks/engines/spark-python.js';
import * as api from '../../index.js';
import type { DataFrame, Row } from '../../index.js';
import { Sluice } from '../../index.js';
import { parseInterval } from '../../scheduler/parse-interval.js';
import { Trigger } from '../../scheduler/trigger.js';
import { PORT_JOBS } from './port-jobs.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SPARK_RESULTS = new URL('./spark-results.json', import.meta.url);
const TX_SCHEMA = 'event_time timestamp[ms, UTC], card_id BIGINT, merchant_id STRING, amount DOUBLE, country STRING, is_online BOOLEAN';

type Cell = string | number | boolean | null;
interface Result {
  readonly columns: string[];
  readonly rows: Cell[][];
}

/** A comparable cell: timestamps as epoch ms and integers as decimal strings; doubles to 12 significant digits (sums differ in the last bits). */
function cell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return String(v.getTime());
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number(v.toPrecision(12));
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  throw new Error(`unexpected value ${String(v)}`);
}

function canonical(columns: string[], rows: readonly Record<string, unknown>[]): Result {
  const out = rows.map((r) => columns.map((c) => cell(r[c])));
  out.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
  return { columns, rows: out };
}

async function result(df: DataFrame): Promise<Result> {
  const fields = df.schema.fields;
  // Integers are compared as decimal strings whatever their width (Spark's Python rows carry them as int).
  const ints = fields.filter((f) => /^(int8|int16|int32|int64)$/.test(f.type.kind)).map((f) => f.name);
  const rows = ((await df.toArray()) as Row[]).map((r) => {
    const o: Record<string, unknown> = { ...r };
    for (const n of ints) if (typeof o[n] === 'number') o[n] = BigInt(o[n] as number);
    return o;
  });
  return canonical(
    fields.map((f) => f.name),
    rows,
  );
}

let dir: string;
let sluice: Sluice;
const inputs = { tx: '', views: '' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-port-'));
  inputs.tx = join(dir, 'tx');
  inputs.views = join(dir, 'views');
  await ensureDataset({ out: inputs.tx, rows: 20_000, files: 4, seed: 11, rate: 2, cards: 300, merchants: 100, burstFrac: 0.02 });
  await writeClickstreamFiles(inputs.views, 4, { rows: 20_000, seed: 5, users: 200, spanMs: 3 * 3_600_000 });
  sluice = await Sluice.builder().workers(2).getOrCreate();
  (await sluice.read.schema(TX_SCHEMA).parquet(inputs.tx)).createOrReplaceTempView('tx');
  (await sluice.read.schema(CLICKSTREAM_SCHEMA).parquet(inputs.views)).createOrReplaceTempView('views');
  if (process.env.UPDATE_SPARK_RESULTS === '1') {
    const jobsFile = join(dir, 'jobs.json');
    const out = join(dir, 'spark.json');
    writeFileSync(jobsFile, JSON.stringify(PORT_JOBS.map((j) => ({ name: j.name, sql: j.sql }))));
    const python = await sparkPython(ROOT);
    execFileSync(python, [join(ROOT, 'scripts/spark-check/port_jobs.py'), '--tx', inputs.tx, '--views', inputs.views, '--jobs', jobsFile, '--out', out], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, TZ: 'UTC' },
    });
    const raw = JSON.parse(readFileSync(out, 'utf8')) as Record<string, { columns: string[]; rows: Record<string, unknown>[] }>;
    const recorded = Object.fromEntries(Object.entries(raw).map(([name, r]) => [name, canonical(r.columns, r.rows)]));
    // One line per row keeps the file small and its diffs readable.
    const text = Object.entries(recorded)
      .map(
        ([name, r]) =>
          `${JSON.stringify(name)}: {"columns": ${JSON.stringify(r.columns)}, "rows": [\n${r.rows.map((row) => JSON.stringify(row)).join(',\n')}\n]}`,
      )
      .join(',\n');
    writeFileSync(SPARK_RESULTS, `{\n${text}\n}\n`);
  }
}, 600_000);

afterAll(async () => {
  await sluice?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('PySpark jobs ported to Sluice: SQL = DataFrame code = Spark', () => {
  const spark = (): Record<string, Result> => JSON.parse(readFileSync(SPARK_RESULTS, 'utf8')) as Record<string, Result>;

  for (const job of PORT_JOBS) {
    it(`${job.name}: SQL and DataFrame code give Spark's rows`, async () => {
      const viaSql = await result(await sluice.sql(job.sql));
      const viaDataFrame = await result(job.dataframe(sluice.table(job.input), api));
      expect(viaSql.rows.length).toBeGreaterThan(2);
      expect(viaDataFrame).toEqual(viaSql);
      const want = spark()[job.name];
      expect(want, `no Spark result for ${job.name}: run with UPDATE_SPARK_RESULTS=1`).toBeDefined();
      expect(viaSql).toEqual(want);
    });
  }

  for (const job of PORT_JOBS.filter((j) => j.stream !== undefined)) {
    it(`${job.name}: the SQL over a streaming view gives the batch rows of every closed window`, async () => {
      const stream = job.stream as NonNullable<typeof job.stream>;
      const s = await Sluice.builder().workers(2).getOrCreate();
      try {
        const schema = job.input === 'tx' ? TX_SCHEMA : CLICKSTREAM_SCHEMA;
        const source = await s.readStream.schema(schema).option('maxFilesPerTrigger', 1).parquet(inputs[job.input]);
        source.withWatermark(stream.column, stream.delay).createOrReplaceTempView(job.input);
        const q = await (await s.sql(job.sql)).writeStream
          .format('memory')
          .queryName(`${job.name}_out`)
          .outputMode('append')
          .option('checkpointLocation', join(dir, `ck-${job.name}`))
          .trigger(Trigger.availableNow())
          .start();
        expect(await q.awaitTermination(120_000)).toBe(true);
        const streamed = await result(s.table(`${job.name}_out`));
        // The final watermark: the latest event time minus the delay; append mode emits the windows that end by then.
        const batch = await sluice.sql(job.sql);
        const max = (await sluice.sql(`SELECT max(unix_millis(${stream.column})) AS m FROM ${job.input}`)).toArray();
        const watermark = Number((await max)[0]?.m) - parseInterval(stream.delay);
        const endColumn = batch.schema.fields.map((f) => f.name).find((n) => n.endsWith('_end')) as string;
        const closed = await result(batch.filter(api.unixMillis(endColumn).leq(watermark)));
        expect(closed.rows.length).toBeGreaterThan(2);
        expect(streamed).toEqual(closed);
      } finally {
        await s.stop();
      }
    });
  }
});
