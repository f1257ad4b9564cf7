import type { ColumnVector } from '../../../common/column-vector.js';
import { resolveFieldIndex } from '../../../common/schema.js';
import type { LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import type { QueryExecutor } from '../../../dataframe/query-executor.js';
import { readParquetFooter } from '../../../sources/file/parquet-footer.js';
import type { EventTimeStats } from './watermark-tracker.js';
import { mergeEventTimeStats, NO_EVENT_TIME } from './watermark-tracker.js';

/** Milliseconds per unit of a timestamp column. */
function msDivisor(v: ColumnVector): bigint {
  return v.type.kind === 'timestamp' && v.type.unit === 'us' ? 1000n : 1n;
}

/** Floor division of a bigint (timestamps before 1970 round down, like Spark's µs -> ms). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** Event-time statistics of one timestamp vector (nulls skipped). */
export function vectorEventTimeStats(v: ColumnVector): EventTimeStats {
  const values = v.values as BigInt64Array;
  const valid = v.validity;
  const div = msDivisor(v);
  let count = 0;
  let min = 0n;
  let max = 0n;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const x = values[i] as bigint;
    if (count === 0 || x < min) min = x;
    if (count === 0 || x > max) max = x;
    sum += Number(x);
    count++;
  }
  if (count === 0) return NO_EVENT_TIME;
  return { count, minMs: Number(floorDiv(min, div)), maxMs: Number(floorDiv(max, div)), sumMs: div === 1n ? sum : sum / 1000 };
}

/**
 * Event-time statistics of column `eventTime` over the rows of `plan` (a watermark node's
 * bound child), plus the plan the batch should go on with:
 * - in-memory rows are read directly;
 * - a Parquet file scan uses the footers' min/max statistics, so the files are not read an
 *   extra time (the sum, and so the average, is then unknown: NaN);
 * - anything else is run once (materialized) and the result is both measured and used.
 */
export async function eventTimeStatsOf(plan: LogicalPlan, eventTime: string, executor: QueryExecutor): Promise<{ stats: EventTimeStats; plan: LogicalPlan }> {
  if (plan.kind === 'fileScan' && plan.format === 'parquet' && plan.pushedFilters.length === 0) {
    const fromFooters = await footerStats(
      plan.files.map((f) => f.path),
      eventTime,
    );
    if (fromFooters !== undefined) return { stats: fromFooters, plan };
  }
  const local = plan.kind === 'local' ? plan : await executor.materialize(plan);
  if (local.kind !== 'local') throw new Error(`internal: materialize returned a ${local.kind} plan`);
  const idx = resolveFieldIndex(local.schema, eventTime, null);
  let stats = NO_EVENT_TIME;
  for (const b of local.batches) stats = mergeEventTimeStats(stats, vectorEventTimeStats(b.columns[idx] as ColumnVector));
  return { stats, plan: local };
}

async function footerStats(paths: readonly string[], column: string): Promise<EventTimeStats | undefined> {
  let count = 0;
  let min: bigint | null = null;
  let max: bigint | null = null;
  for (const path of paths) {
    const footer = await readParquetFooter(path);
    for (const rg of footer.rowGroups) {
      const s = rg.columns.get(column);
      if (rg.numRows === 0) continue;
      if (s === undefined || typeof s.min !== 'bigint' || typeof s.max !== 'bigint' || s.nullCount === null) return undefined;
      const n = rg.numRows - s.nullCount;
      if (n <= 0) continue;
      count += n;
      if (min === null || s.min < min) min = s.min;
      if (max === null || s.max > max) max = s.max;
    }
  }
  if (count === 0 || min === null || max === null) return count === 0 ? NO_EVENT_TIME : undefined;
  // Footer timestamps are microseconds.
  return { count, minMs: Number(floorDiv(min, 1000n)), maxMs: Number(floorDiv(max, 1000n)), sumMs: Number.NaN };
}
