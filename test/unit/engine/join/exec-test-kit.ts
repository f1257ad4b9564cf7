/**
 * Small helpers for operator tests: tables from rows, column and sort-order expressions,
 * running an operator to rows, and a child that counts what was pulled from it.
 */
import type { ColumnarBatch } from '../../../../common/column-vector.js';
import { makeBatch } from '../../../../common/columnar-batch.js';
import type { DataType } from '../../../../common/data-type.js';
import type { Schema } from '../../../../common/schema.js';
import { field, schemaOf } from '../../../../common/schema.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { valueAt } from '../../../../common/vector-value-at.js';
import type { BinaryOp, ColRef, Expr, SortOrder } from '../../../../dataframe/expr/expr.js';
import { LocalScanExec } from '../../../../engine/physical/local-scan-exec.js';
import type { ExecContext, OperatorMetrics, PhysicalOperator } from '../../../../engine/physical/physical-operator.js';
import { newMetrics } from '../../../../engine/physical/physical-operator.js';

/** A column spec: name, type and optional qualifier. */
export type ColSpec = readonly [string, DataType, string?];

/** Schema of column specs. */
export function schemaFor(cols: readonly ColSpec[]): Schema {
  return schemaOf(cols.map(([n, t, q]) => field(n, t, true, q ?? null)));
}

/** One batch holding `rows` (arrays of values in column order). */
export function batchOf(schema: Schema, rows: readonly (readonly JsValue[])[]): ColumnarBatch {
  return makeBatch(
    schema,
    schema.fields.map((f, i) =>
      vectorFromValues(
        f.type,
        rows.map((r) => r[i] ?? null),
      ),
    ),
    rows.length,
  );
}

/** A scan over `rows`, split into input batches of `chunk` rows (so operators see several batches). */
export function scanOf(cols: readonly ColSpec[], rows: readonly (readonly JsValue[])[], chunk = 3): LocalScanExec {
  const schema = schemaFor(cols);
  const batches: ColumnarBatch[] = [];
  for (let s = 0; s < rows.length; s += chunk) batches.push(batchOf(schema, rows.slice(s, s + chunk)));
  return new LocalScanExec(schema, batches);
}

/** Column reference expression. */
export function c(name: string, qualifier: string | null = null): ColRef {
  return Object.freeze({ kind: 'col', name, qualifier });
}

/** Binary expression (operands must already share a type, as analyzed expressions do). */
export function bin(op: BinaryOp, left: Expr, right: Expr): Expr {
  return Object.freeze({ kind: 'binary', op, left, right });
}

/** Sort order with Spark's default null placement unless given. */
export function order(child: Expr, ascending = true, nullsFirst = ascending): SortOrder {
  return Object.freeze({ kind: 'sort', child, ascending, nullsFirst });
}

/** Runs an operator and returns its rows as JS values, checking every batch has the operator's schema. */
export async function rowsOf(op: PhysicalOperator, batchSize = 4): Promise<JsValue[][]> {
  const out: JsValue[][] = [];
  for await (const b of op.execute({ batchSize })) {
    if (b.schema !== op.schema && JSON.stringify(b.schema) !== JSON.stringify(op.schema)) throw new Error(`${op.name} yielded a batch with another schema`);
    if (b.columns.length !== op.schema.fields.length) throw new Error(`${op.name} yielded ${b.columns.length} columns`);
    if (b.numRows > batchSize) throw new Error(`${op.name} yielded ${b.numRows} rows with batchSize ${batchSize}`);
    for (let i = 0; i < b.numRows; i++) out.push(b.columns.map((v) => valueAt(v, i)));
  }
  return out;
}

/** Sorts rows into a canonical order (for comparing join results whose order is unspecified). */
export function canonical(rows: readonly (readonly JsValue[])[]): string[] {
  return rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))).sort();
}

/** Wraps a child and counts the batches pulled from it and whether its iterator was closed. */
export class CountingExec implements PhysicalOperator {
  readonly name = 'CountingExec';
  readonly metrics: OperatorMetrics = newMetrics();
  readonly children: readonly PhysicalOperator[];
  readonly schema: Schema;
  pulled = 0;
  started = false;
  finished = false;

  constructor(child: PhysicalOperator) {
    this.children = [child];
    this.schema = child.schema;
  }

  describe(): string {
    return '';
  }

  async *execute(ctx: ExecContext): AsyncGenerator<ColumnarBatch> {
    this.started = true;
    try {
      for await (const b of (this.children[0] as PhysicalOperator).execute(ctx)) {
        this.pulled++;
        yield b;
      }
    } finally {
      this.finished = true;
    }
  }
}
