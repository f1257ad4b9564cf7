/**
 * Micro-benchmark of compiled int64/timestamp expressions, W3's window key first:
 * ns/row over 10M generated rows (128Ki-row batches cycled from a seeded pool of 8) for
 * (a) `floor(unixMillis(event_time) / 60000) * 60000` (timestamp[ms] without nulls),
 * (b) the same with ~5% null event times, (c) `unixMillis(event_time)` alone,
 * (d) `card_id * 3 + 1` and (e) `card_id % 1000` on an int64 column, and (f)
 * `dateTrunc('hour', event_time)`. Prints one line per case and a JSON summary.
 * Run: node dist/benchmarks/micro/eval-window-expr.js [rows]
 */
import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import { field, schemaOf } from '../../common/schema.js';
import { analyzeExpr } from '../../dataframe/expr/analyze-expr.js';
import type { Column } from '../../dataframe/expr/column.js';
import { col, dateTrunc, floor, lit, unixMillis } from '../../dataframe/expr/functions.js';
import { compileExpr } from '../../engine/eval/compile-expr.js';
import { uniformSource } from '../data/seeded-random.js';

const TOTAL_ROWS = Number(process.argv[2] ?? 10_000_000);
const BATCH = 131072;
const POOL = 8;

const schema = schemaOf([field('event_time', types.timestamp('ms', 'UTC')), field('card_id', types.int64)]);

function makeBatch(rnd: () => number, b: number, nulls: boolean): ColumnarBatch {
  const ts = new BigInt64Array(BATCH);
  const card = new BigInt64Array(BATCH);
  const valid = nulls ? new Uint8Array(BATCH) : null;
  for (let i = 0; i < BATCH; i++) {
    ts[i] = BigInt(1_700_000_000_000 + Math.floor((b * BATCH + i) * 2.6 + rnd() * 1000));
    card[i] = BigInt(Math.floor(rnd() * 1_000_000));
    if (valid !== null) valid[i] = rnd() < 0.05 ? 0 : 1;
  }
  const columns: ColumnVector[] = [
    { type: types.timestamp('ms', 'UTC'), length: BATCH, validity: valid, values: ts },
    { type: types.int64, length: BATCH, validity: null, values: card },
  ];
  return { schema, columns, numRows: BATCH };
}

function time(name: string, c: Column, pool: readonly ColumnarBatch[]): { name: string; nsPerRow: number } {
  const run = compileExpr(analyzeExpr(c.expr, schema).expr, schema);
  let best = Number.POSITIVE_INFINITY;
  let check = 0;
  for (let rep = 0; rep < 3; rep++) {
    let rows = 0;
    const start = process.hrtime.bigint();
    for (let b = 0; rows < TOTAL_ROWS; b++) {
      const batch = pool[b % pool.length] as ColumnarBatch;
      const v = run(batch);
      check += v.length;
      rows += batch.numRows;
    }
    best = Math.min(best, Number(process.hrtime.bigint() - start) / rows);
  }
  console.log(`${name.padEnd(44)} ${best.toFixed(2)} ns/row  (${check} rows)`);
  return { name, nsPerRow: Number(best.toFixed(3)) };
}

const rnd = uniformSource(11);
const plain = Array.from({ length: POOL }, (_, b) => makeBatch(rnd, b, false));
const withNulls = Array.from({ length: POOL }, (_, b) => makeBatch(rnd, b, true));
const window = floor(unixMillis('event_time').divide(60000)).multiply(60000);

const results = [
  time('floor(unixMillis(t) / 60000) * 60000', window, plain),
  time('same, 5% null t', window, withNulls),
  time('unixMillis(t)', unixMillis('event_time'), plain),
  time('card_id * 3 + 1', col('card_id').multiply(lit(3)).plus(lit(1)), plain),
  time('card_id % 1000', col('card_id').mod(lit(1000)), plain),
  time("dateTrunc('hour', t)", dateTrunc('hour', 'event_time'), plain),
];
console.log(JSON.stringify({ benchmark: 'eval-window-expr', rows: TOTAL_ROWS, batchRows: BATCH, node: process.version, results }));
