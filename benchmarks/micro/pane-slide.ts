/**
 * Micro-benchmark of the sliding-window step of a pane aggregation (PaneSlideExec) on one
 * thread: pane-level partial rows shaped like W4's (card_id int64, 1-minute pane, count),
 * `rows` rows over `rows / 10` cards spread over `rows / 200` seconds (about one row per
 * (card, pane), the worst case for panes), windowed as 10 minutes sliding 1 minute, with and
 * without the HAVING `count >= 5`. Prints ms per case and ns per pane row.
 * Run: npx tsx benchmarks/micro/pane-slide.ts [rows], or node on the compiled
 * dist/benchmarks/micro/pane-slide.js.
 */
import type { ColumnarBatch } from '../../common/column-vector.js';
import { makeBatch } from '../../common/columnar-batch.js';
import { types } from '../../common/data-type.js';
import { field, schemaOf } from '../../common/schema.js';
import type { AggCall, Expr } from '../../dataframe/expr/expr.js';
import { LocalScanExec } from '../../engine/physical/local-scan-exec.js';
import { PaneSlideExec } from '../../engine/physical/pane-slide-exec.js';
import type { PanePlan } from '../../engine/planner/aggregate-parts.js';
import { PANE_COLUMN } from '../../engine/planner/aggregate-parts.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const MIN_US = 60_000_000n;

function input(): ColumnarBatch {
  const schema = schemaOf([field('card_id', types.int64), field(PANE_COLUMN, types.timestamp('ms')), field('_agg0#count', types.int64)]);
  const cards = new BigInt64Array(ROWS);
  const panes = new BigInt64Array(ROWS);
  const counts = new BigInt64Array(ROWS);
  let seed = 42;
  const rnd = (): number => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const spanMs = (ROWS / 200) * 1000;
  for (let i = 0; i < ROWS; i++) {
    cards[i] = BigInt(Math.floor(rnd() * (ROWS / 10)));
    panes[i] = BigInt(Math.floor((1_704_067_200_000 + rnd() * spanMs) / 60_000) * 60_000);
    counts[i] = 1n;
  }
  return makeBatch(schema, [
    { type: types.int64, length: ROWS, validity: null, values: cards },
    { type: types.timestamp('ms'), length: ROWS, validity: null, values: panes },
    { type: types.int64, length: ROWS, validity: null, values: counts },
  ]);
}

async function main(): Promise<void> {
  const batch = input();
  const panes: PanePlan = {
    paneGroupBy: [],
    paneGroupNames: ['card_id', PANE_COLUMN],
    position: 1,
    durationUs: 10n * MIN_US,
    slideUs: MIN_US,
    startUs: 0n,
    paneUs: MIN_US,
    timeType: types.timestamp('ms'),
  };
  const call: AggCall = Object.freeze({ kind: 'agg', fn: 'count', args: Object.freeze([]), distinct: false }) as unknown as AggCall;
  const having: Expr = Object.freeze({
    kind: 'binary',
    op: '>=',
    left: Object.freeze({ kind: 'col', name: '_agg0', qualifier: null }),
    right: Object.freeze({ kind: 'lit', value: 5n, type: types.int64 }),
  }) as Expr;
  for (const [name, withHaving] of [
    ['all windows', false],
    ['having count >= 5', true],
  ] as const) {
    for (let run = 0; run < 4; run++) {
      const scan = new LocalScanExec(batch.schema, [batch]);
      const base = new PaneSlideExec(scan, panes, [call], ['_agg0'], 'final', 'window.start', null);
      const op = withHaving ? (base.withHaving(having) as PaneSlideExec) : base;
      const t0 = performance.now();
      let out = 0;
      for await (const b of op.execute({ batchSize: 65536 })) out += b.numRows;
      const ms = performance.now() - t0;
      if (run === 3) console.log(`${name}: ${ms.toFixed(0)} ms, ${((ms * 1e6) / ROWS).toFixed(0)} ns/pane row, ${out} windows`);
    }
  }
}

await main();
