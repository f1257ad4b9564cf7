/**
 * Micro-benchmark of compilePredicate on `amount > 100 AND country IN ('US','GB','DE')`:
 * ns/row over 10M generated rows (64Ki-row batches cycled from a seeded pool of 16), with
 * `amount` a double column (~5% nulls; about half the rows pass the first conjunct) and
 * `country` a utf8 column of 12 countries, once dictionary-encoded and once plain.
 * Also times compileExpr of the same predicate (a boolean vector instead of indices).
 * Prints one line per case and a JSON summary.
 * Run: npx tsx benchmarks/micro/eval-filter.ts [rows]
 */
import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import { field, schemaOf } from '../../common/schema.js';
import { vectorFromValues } from '../../common/vector-from-values.js';
import { analyzeExpr } from '../../dataframe/expr/analyze-expr.js';
import { col } from '../../dataframe/expr/functions.js';
import { compileExpr } from '../../engine/eval/compile-expr.js';
import { compilePredicate } from '../../engine/eval/compile-predicate.js';
import { uniformSource } from '../data/seeded-random.js';

const TOTAL_ROWS = Number(process.argv[2] ?? 10_000_000);
const BATCH = 65536;
const POOL = 16;
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'IT', 'ES', 'NL', 'SE', 'PL', 'BR', 'IN', 'JP'];

const schema = schemaOf([field('amount', types.float64), field('country', types.utf8)]);
const dictionary = vectorFromValues(types.utf8, COUNTRIES);

function makeBatch(rnd: () => number, dict: boolean): ColumnarBatch {
  const amount = new Float64Array(BATCH);
  const valid = new Uint8Array(BATCH);
  const codes = new Int32Array(BATCH);
  for (let i = 0; i < BATCH; i++) {
    amount[i] = Math.round(rnd() * 20000) / 100;
    valid[i] = rnd() < 0.05 ? 0 : 1;
    codes[i] = Math.floor(rnd() * COUNTRIES.length);
  }
  const amountVec: ColumnVector = { type: types.float64, length: BATCH, validity: valid, values: amount };
  const countryVec: ColumnVector = dict
    ? { type: types.utf8, length: BATCH, validity: null, values: codes, dictionary }
    : vectorFromValues(
        types.utf8,
        Array.from(codes, (c) => COUNTRIES[c] as string),
      );
  return { schema, columns: [amountVec, countryVec], numRows: BATCH };
}

function time(name: string, pool: readonly ColumnarBatch[], run: (b: ColumnarBatch) => number): { name: string; nsPerRow: number; selected: number } {
  let best = Number.POSITIVE_INFINITY;
  let selected = 0;
  for (let rep = 0; rep < 3; rep++) {
    let rows = 0;
    selected = 0;
    const t0 = process.hrtime.bigint();
    for (let k = 0; rows < TOTAL_ROWS; k++) {
      const b = pool[k % pool.length] as ColumnarBatch;
      selected += run(b);
      rows += b.numRows;
    }
    const ns = Number(process.hrtime.bigint() - t0) / rows;
    best = Math.min(best, ns);
  }
  console.log(`${name}: ${best.toFixed(2)} ns/row (selected ${selected} of ${TOTAL_ROWS})`);
  return { name, nsPerRow: Number(best.toFixed(3)), selected };
}

const condition = analyzeExpr(
  col('amount')
    .gt(100)
    .and(col('country').isin('US', 'GB', 'DE')).expr,
  schema,
).expr;
const predicate = compilePredicate(condition, schema);
const vectorized = compileExpr(condition, schema);
const results = [];
for (const dict of [true, false]) {
  const rnd = uniformSource(42);
  const pool = Array.from({ length: POOL }, () => makeBatch(rnd, dict));
  const label = dict ? 'dictionary country' : 'plain country';
  results.push(time(`compilePredicate, ${label}`, pool, (b) => predicate(b).length));
  results.push(
    time(`compileExpr (boolean vector), ${label}`, pool, (b) => {
      const v = vectorized(b);
      return v.length;
    }),
  );
}
console.log(JSON.stringify({ benchmark: 'eval-filter', rows: TOTAL_ROWS, batch: BATCH, results }));
