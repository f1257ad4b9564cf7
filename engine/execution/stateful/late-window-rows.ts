import type { ColumnarBatch, ColumnVector } from '../../../common/column-vector.js';
import { concatBatches, gatherBatch } from '../../../common/columnar-batch.js';
import { maskToIndices } from '../../../common/vector-gather.js';
import type { Expr } from '../../../dataframe/expr/expr.js';
import type { LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import type { QueryExecutor } from '../../../dataframe/query-executor.js';
import { compileExpr } from '../../eval/compile-expr.js';

function unalias(e: Expr): Expr {
  return e.kind === 'alias' ? unalias(e.child) : e;
}

/** The `window(t, durationUs, slideUs, startUs)` call among `groupBy`, if any. */
export function windowCallOf(groupBy: readonly Expr[]): Expr | undefined {
  return groupBy.map(unalias).find((e) => e.kind === 'call' && e.fn === 'window' && e.args.length === 4);
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/**
 * The input rows of a window aggregation that reach no window because every window holding
 * them ended at or before the late-events watermark (their latest window's end <= it): the
 * rows that vanish, for the late-rows side output. Rows dropped from some windows only still
 * count in the others, so they are not returned. Reads the batch's input once more.
 */
export async function lateWindowRows(input: LogicalPlan, windowCall: Expr, lateWatermarkMs: number, executor: QueryExecutor): Promise<ColumnarBatch[]> {
  if (windowCall.kind !== 'call') return [];
  const [timeExpr, d, s, st] = windowCall.args as [Expr, Expr, Expr, Expr];
  const lit = (e: Expr): bigint => (e.kind === 'lit' ? BigInt(e.value as bigint) : 0n);
  const [durationUs, slideUs, startUs] = [lit(d), lit(s), lit(st)];
  const local = input.kind === 'local' ? input : await executor.materialize(input);
  if (local.kind !== 'local' || local.batches.length === 0) return [];
  const rows = concatBatches(local.schema, local.batches);
  if (rows.numRows === 0) return [];
  const time = compileExpr(timeExpr, rows.schema)(rows) as ColumnVector;
  const perUnit = time.type.kind === 'timestamp' && time.type.unit === 'us' ? 1n : 1000n;
  const wm = BigInt(lateWatermarkMs) * 1000n;
  const values = time.values as BigInt64Array;
  const late = new Uint8Array(rows.numRows);
  let any = false;
  for (let i = 0; i < rows.numRows; i++) {
    if (time.validity !== null && time.validity[i] === 0) continue;
    const t = (values[i] as bigint) * perUnit;
    const lastEnd = t - mod(t - startUs, slideUs) + durationUs;
    if (lastEnd <= wm) {
      late[i] = 1;
      any = true;
    }
  }
  return any ? [gatherBatch(rows, maskToIndices(late, null, rows.numRows))] : [];
}

/**
 * The input rows of an aggregation grouped by an event-time column whose time is at or
 * before the late-events watermark (the rows it dropped), for the late-rows side output.
 */
export async function lateTimeRows(input: LogicalPlan, timeExpr: Expr, lateWatermarkMs: number, executor: QueryExecutor): Promise<ColumnarBatch[]> {
  const local = input.kind === 'local' ? input : await executor.materialize(input);
  if (local.kind !== 'local' || local.batches.length === 0) return [];
  const rows = concatBatches(local.schema, local.batches);
  if (rows.numRows === 0) return [];
  const time = compileExpr(unalias(timeExpr), rows.schema)(rows) as ColumnVector;
  const perMs = time.type.kind === 'timestamp' && time.type.unit === 'us' ? 1000n : 1n;
  const wm = BigInt(lateWatermarkMs) * perMs;
  const values = time.values as BigInt64Array;
  const late = new Uint8Array(rows.numRows);
  let any = false;
  for (let i = 0; i < rows.numRows; i++) {
    if (time.validity !== null && time.validity[i] === 0) continue;
    if ((values[i] as bigint) <= wm) {
      late[i] = 1;
      any = true;
    }
  }
  return any ? [gatherBatch(rows, maskToIndices(late, null, rows.numRows))] : [];
}
