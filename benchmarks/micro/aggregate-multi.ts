/**
 * Micro-benchmark of the accumulator work of W2 (count(*), sum(x), avg(x), max(x) over a
 * float64 column, 50k groups), without the group table: ns/row for (a) four separate
 * accumulators, as HashAggregateExec ran them before fusion, and (b) FusedDoubleAggregates.
 * 10M rows in 64Ki-row batches cycled from a seeded pool of 16 batches of random group ids
 * and lognormal-ish amounts. Prints one line per case and a JSON summary.
 * Run: node dist/benchmarks/micro/aggregate-multi.js [rows] (after the tsc build).
 */
import type { ColumnVector } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import type { AggCall, AggregateFunctionName, Expr } from '../../dataframe/expr/expr.js';
import type { Accumulator } from '../../engine/aggregate/accumulator.js';
import { bindAggregate } from '../../engine/aggregate/bind-aggregate.js';
import { FusedDoubleAggregates } from '../../engine/aggregate/fused-double-aggregates.js';
import { uniformSource } from '../data/seeded-random.js';

const TOTAL_ROWS = Number(process.argv[2] ?? 10_000_000);
const BATCH = 65536;
const POOL = 16;
const GROUPS = 50_000;

interface Batch {
  readonly ids: Int32Array;
  readonly amount: ColumnVector;
}

function makePool(): Batch[] {
  const rnd = uniformSource(42);
  const out: Batch[] = [];
  for (let p = 0; p < POOL; p++) {
    const ids = new Int32Array(BATCH);
    const x = new Float64Array(BATCH);
    for (let i = 0; i < BATCH; i++) {
      ids[i] = Math.floor(rnd() * GROUPS);
      x[i] = Math.exp(3.5 + 1.1 * (rnd() + rnd() + rnd() - 1.5));
    }
    out.push({ ids, amount: { type: types.float64, length: BATCH, validity: null, values: x } });
  }
  return out;
}

const amountCol: Expr = { kind: 'col', name: 'amount', qualifier: null };
const agg = (fn: AggregateFunctionName, ...args: Expr[]): AggCall => ({ kind: 'agg', fn, args });

function timeIt(name: string, pool: readonly Batch[], run: (b: Batch) => void): number {
  for (let r = 0; r < 3 * POOL; r++) run(pool[r % POOL] as Batch); // warm-up
  const t0 = process.hrtime.bigint();
  let rows = 0;
  for (let r = 0; rows < TOTAL_ROWS; r++) {
    run(pool[r % POOL] as Batch);
    rows += BATCH;
  }
  const ns = Number(process.hrtime.bigint() - t0) / rows;
  console.log(`${name.padEnd(28)} ${ns.toFixed(2)} ns/row`);
  return ns;
}

const pool = makePool();
const calls = [agg('count'), agg('sum', amountCol), agg('avg', amountCol), agg('max', amountCol)];
const accs: Accumulator[] = calls.map((c) => bindAggregate(c, c.args.length === 0 ? types.null : types.float64).create());
for (const a of accs) a.resize(GROUPS);
const separate = timeIt('separate accumulators', pool, (b) => {
  accs.forEach((a, k) => {
    a.update(b.ids, k === 0 ? [] : [b.amount], BATCH);
  });
});
const fused = new FusedDoubleAggregates(
  [
    { fn: 'count', input: -1 },
    { fn: 'sum', input: 0 },
    { fn: 'avg', input: 0 },
    { fn: 'max', input: 0 },
  ],
  1,
);
fused.resize(GROUPS);
const fusedNs = timeIt('fused', pool, (b) => fused.update(b.ids, [b.amount], BATCH));
console.log(JSON.stringify({ bench: 'aggregate-multi', rows: TOTAL_ROWS, groups: GROUPS, separateNsPerRow: separate, fusedNsPerRow: fusedNs }));
