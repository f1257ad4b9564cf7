import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { concatBatches, gatherBatch, makeBatch } from '../../common/columnar-batch.js';
import { types, windowStructType } from '../../common/data-type.js';
import type { Schema } from '../../common/schema.js';
import { field, schemaOf } from '../../common/schema.js';
import { maskToIndices } from '../../common/vector-gather.js';
import type { Expr } from '../../dataframe/expr/expr.js';
import { exprToString } from '../../dataframe/expr/expr-to-string.js';
import { compileExpr } from '../eval/compile-expr.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from '../physical/physical-operator.js';
import { newMetrics } from '../physical/physical-operator.js';
import { sessionize } from './sessionize.js';

/** A `session_window(time, gap)` call taken apart: gap in microseconds (a literal or a per-row expression). */
export interface SessionWindowSpec {
  readonly time: Expr;
  readonly gapMicros: Expr;
}

/** The session_window call in `e` (under aliases), if it is one. */
export function sessionWindowSpec(e: Expr): SessionWindowSpec | undefined {
  if (e.kind === 'alias') return sessionWindowSpec(e.child);
  if (e.kind === 'call' && (e.fn as string) === 'session_window' && e.args.length === 2) return { time: e.args[0] as Expr, gapMicros: e.args[1] as Expr };
  return undefined;
}

/** The constant gap of a spec in the time unit, or the per-row gap vector scaled to it. */
export function gapIn(unitIsMicros: boolean, gapMicros: ColumnVector | bigint): bigint | ColumnVector {
  if (typeof gapMicros === 'bigint') return unitIsMicros ? gapMicros : gapMicros / 1000n;
  if (unitIsMicros) return gapMicros;
  const src = gapMicros.values as BigInt64Array;
  const out = new BigInt64Array(gapMicros.length);
  for (let i = 0; i < out.length; i++) out[i] = (src[i] as bigint) / 1000n;
  return { ...gapMicros, values: out };
}

/**
 * Adds each row's session window as a struct column `outName` = `{start, end}` (Spark's
 * session_window), per distinct value of the key expressions, and drops rows without a
 * session (null time or gap <= 0). Blocking: sessions need every row of a key, so the
 * whole input is read first; output rows keep input order.
 */
export class SessionWindowExec implements PhysicalOperator {
  readonly name = 'SessionWindowExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  private readonly keys: readonly ((b: ColumnarBatch) => ColumnVector)[];
  private readonly time: (b: ColumnarBatch) => ColumnVector;
  private readonly gap: (b: ColumnarBatch) => ColumnVector;

  constructor(
    child: PhysicalOperator,
    private readonly keyExprs: readonly Expr[],
    private readonly spec: SessionWindowSpec,
    outName: string,
    timeType: import('../../common/data-type.js').DataType,
    /** Also add an int32 column of this name with a dense number per session (for grouping by one key). */
    private readonly idName: string | null = null,
  ) {
    this.children = [child];
    const fields = [...child.schema.fields, field(outName, windowStructType(timeType), true)];
    if (idName !== null) fields.push(field(idName, types.int32, false));
    this.schema = schemaOf(fields);
    this.keys = keyExprs.map((e) => compileExpr(e, child.schema));
    this.time = compileExpr(spec.time, child.schema);
    this.gap = compileExpr(spec.gapMicros, child.schema);
  }

  describe(): string {
    return `session_window(${exprToString(this.spec.time)}, ${exprToString(this.spec.gapMicros)} us) by [${this.keyExprs.map((e) => exprToString(e)).join(', ')}]`;
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    const child = this.children[0] as PhysicalOperator;
    const parts: ColumnarBatch[] = [];
    for await (const b of child.execute(ctx)) parts.push(b);
    const t0 = performance.now();
    const all = concatBatches(child.schema, parts);
    const out = withSessionColumn(all, this.schema, this.keys, this.time, this.gap, this.idName !== null);
    this.metrics.elapsedMs += performance.now() - t0;
    for (let s = 0; s < out.numRows || s === 0; s += ctx.batchSize) {
      const end = Math.min(out.numRows, s + ctx.batchSize);
      const slice =
        s === 0 && end === out.numRows
          ? out
          : gatherBatch(
              out,
              Int32Array.from({ length: end - s }, (_, i) => s + i),
            );
      this.metrics.outputRows += slice.numRows;
      this.metrics.outputBatches++;
      yield slice;
      if (end >= out.numRows) break;
    }
  }
}

/** `batch` plus the session struct column (schema `schema`), rows without a session dropped. */
export function withSessionColumn(
  batch: ColumnarBatch,
  schema: Schema,
  keys: readonly ((b: ColumnarBatch) => ColumnVector)[],
  timeOf: (b: ColumnarBatch) => ColumnVector,
  gapOf: (b: ColumnarBatch) => ColumnVector,
  withIds = false,
): ColumnarBatch {
  const n = batch.numRows;
  const time = timeOf(batch);
  const micros = time.type.kind === 'timestamp' && time.type.unit === 'us';
  const gapVec = gapOf(batch);
  const gap = gapVec.length > 0 && gapVec.validity === null && isConstant(gapVec) ? ((gapVec.values as BigInt64Array)[0] ?? 0n) : gapVec;
  const s = sessionize(
    keys.map((k) => k(batch)),
    time,
    gapIn(micros, gap),
    n,
  );
  const sessionType = windowStructType(time.type);
  const struct: ColumnVector = {
    type: sessionType,
    length: n,
    validity: null,
    values: new Uint8Array(0),
    children: [
      { type: time.type, length: n, validity: null, values: s.start },
      { type: time.type, length: n, validity: null, values: s.end },
    ],
  };
  const extra: ColumnVector[] = withIds ? [{ type: types.int32, length: n, validity: null, values: s.id }] : [];
  const full = makeBatch(schema, [...batch.columns, struct, ...extra], n);
  let all = true;
  for (let i = 0; i < n; i++) if (s.has[i] === 0) all = false;
  return all ? full : gatherBatch(full, maskToIndices(s.has, null, n));
}

function isConstant(v: ColumnVector): boolean {
  const a = v.values as BigInt64Array;
  const first = a[0];
  for (let i = 1; i < v.length; i++) if (a[i] !== first) return false;
  return true;
}
