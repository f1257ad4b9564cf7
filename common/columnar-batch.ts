import type { ColumnarBatch, ColumnVector } from './column-vector.js';
import type { Schema } from './schema.js';
import { concatVectors, sliceVector } from './vector-concat.js';
import { gatherVector } from './vector-gather.js';
import { vectorFromValues } from './vector-from-values.js';

/** Creates a batch; `numRows` defaults to the first column's length (0 with no columns). */
export function makeBatch(schema: Schema, columns: readonly ColumnVector[], numRows?: number): ColumnarBatch {
  return { schema, columns, numRows: numRows ?? columns[0]?.length ?? 0 };
}

/** An empty batch of a schema. */
export function emptyBatch(schema: Schema): ColumnarBatch {
  return makeBatch(
    schema,
    schema.fields.map((f) => vectorFromValues(f.type, [])),
    0,
  );
}

/** The batch of rows `indices` of `batch`, in that order; -1 yields an all-null row. */
export function gatherBatch(batch: ColumnarBatch, indices: Int32Array, count = indices.length): ColumnarBatch {
  return makeBatch(
    batch.schema,
    batch.columns.map((c) => gatherVector(c, indices, count)),
    count,
  );
}

/** Rows `[start, end)` of a batch, sharing storage. */
export function sliceBatch(batch: ColumnarBatch, start: number, end: number): ColumnarBatch {
  return makeBatch(
    batch.schema,
    batch.columns.map((c) => sliceVector(c, start, end)),
    end - start,
  );
}

/** Concatenates batches of one schema; an empty list gives an empty batch of `schema`. */
export function concatBatches(schema: Schema, batches: readonly ColumnarBatch[]): ColumnarBatch {
  const nonEmpty = batches.filter((b) => b.numRows > 0);
  if (nonEmpty.length === 0) return emptyBatch(schema);
  if (nonEmpty.length === 1) {
    const only = nonEmpty[0] as ColumnarBatch;
    return makeBatch(schema, only.columns, only.numRows);
  }
  const columns = schema.fields.map((_, i) => concatVectors(nonEmpty.map((b) => b.columns[i] as ColumnVector)));
  return makeBatch(
    schema,
    columns,
    nonEmpty.reduce((s, b) => s + b.numRows, 0),
  );
}
