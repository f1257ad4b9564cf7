/**
 * Compares Sluice's event-time results with Apache Spark's for the same queries and input
 * (scripts/spark-check/README.md): `npx tsx scripts/spark-check/compare.ts <data dir> <spark out dir>`.
 * Prints one line per query and exits non-zero on any difference.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataFrame } from '../../index.js';
import { Sluice, col, count, sessionWindow, sum, unixMillis, window } from '../../index.js';

type Row = Record<string, unknown>;

const w3 = (df: DataFrame): DataFrame =>
  df
    .groupBy(window('event_time', '1 minute'), col('country'))
    .agg(count().alias('n'), sum('amount').alias('sum_amount'))
    .select(unixMillis(col('window.start')).alias('window_start_ms'), col('country'), col('n'), col('sum_amount'));
const w4 = (df: DataFrame): DataFrame =>
  df
    .groupBy(col('card_id'), window('event_time', '10 minutes', '1 minute'))
    .agg(count().alias('n'))
    .where(col('n').geq(5))
    .select(col('card_id'), unixMillis(col('window.start')).alias('window_start_ms'), col('n'));
const w6 = (df: DataFrame): DataFrame =>
  df
    .groupBy(col('card_id'), sessionWindow(col('event_time'), '5 minutes'))
    .agg(count().alias('n'), sum('amount').alias('sum_amount'))
    .select(
      col('card_id'),
      unixMillis(col('session_window.start')).alias('session_start_ms'),
      unixMillis(col('session_window.end')).alias('session_end_ms'),
      col('n'),
      col('sum_amount'),
    );

/** Canonical text of a row set: values as strings (doubles to 6 decimals), sorted. */
function canon(rows: readonly Row[]): string[] {
  return rows
    .map((r) =>
      Object.keys(r)
        .sort()
        .map((k) => {
          const v = r[k];
          return `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(6) : String(v)}`;
        })
        .join(','),
    )
    .sort();
}

function readSpark(dir: string, name: string): Row[] {
  return readFileSync(join(dir, `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Row);
}

const [data, sparkOut] = process.argv.slice(2) as [string, string];
const sluice = await Sluice.builder().workers(2).getOrCreate();
let failed = 0;
const check = (name: string, mine: readonly Row[], theirs: readonly Row[]): void => {
  const a = canon(mine);
  const b = canon(theirs);
  const same = a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same) failed++;
  const firstDiff = a.findIndex((x, i) => x !== b[i]);
  process.stdout.write(
    `${name}: sluice ${a.length} rows, spark ${b.length} rows: ${same ? 'same' : `DIFFERENT (first: ${a[firstDiff]} vs ${b[firstDiff]})`}\n`,
  );
};
const tx = await sluice.read.parquet(data);
for (const [name, q] of [
  ['W3', w3],
  ['W4', w4],
  ['W6', w6],
] as const) {
  check(`batch ${name}`, await q(tx).toArray(), readSpark(sparkOut, `batch-${name}`));
}
for (const [name, q] of [
  ['W4', w4],
  ['W6', w6],
] as const) {
  const stream = (await sluice.readStream.format('parquet').schema(tx.schema).option('maxFilesPerTrigger', 1).load(data)).withWatermark(
    'event_time',
    '10 minutes',
  );
  const query = await q(stream)
    .writeStream.format('memory')
    .queryName(`s${name}`)
    .outputMode('append')
    .option('checkpointLocation', mkdtempSync(join(tmpdir(), 'sluice-spark-check-')))
    .trigger({ kind: 'availableNow' })
    .start();
  await query.awaitTermination();
  const sparkWm = readFileSync(join(sparkOut, `stream-${name}.watermark`), 'utf8').trim();
  process.stdout.write(`stream ${name}: final watermark sluice ${query.lastProgress?.eventTime.watermark}, spark ${sparkWm}\n`);
  check(`stream ${name}`, await sluice.table(`s${name}`).toArray(), readSpark(sparkOut, `stream-${name}`));
}
await sluice.stop();
process.exit(failed === 0 ? 0 : 1);
