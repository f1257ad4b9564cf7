import type { ColumnarBatch } from '../../../../common/column-vector.js';
import { makeBatch } from '../../../../common/columnar-batch.js';
import { types } from '../../../../common/data-type.js';
import type { JsValue } from '../../../../common/vector-from-values.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { valueAt } from '../../../../common/vector-value-at.js';
import { field, schemaOf } from '../../../../common/schema.js';
import type { StateStore } from '../../../../engine/state/state-store.js';

/** Key schema of the store tests: (user string, bucket bigint). */
export const keySchema = schemaOf([field('user', types.utf8), field('bucket', types.int64)]);
/** Value schema of the store tests: (count bigint, total double). */
export const valueSchema = schemaOf([field('count', types.int64), field('total', types.float64)]);

/** A key batch from [user, bucket] pairs. */
export function keys(rows: readonly [string | null, number | null][]): ColumnarBatch {
  return makeBatch(
    keySchema,
    [
      vectorFromValues(
        types.utf8,
        rows.map((r) => r[0]),
      ),
      vectorFromValues(
        types.int64,
        rows.map((r) => r[1]),
      ),
    ],
    rows.length,
  );
}

/** A value batch from [count, total] pairs. */
export function values(rows: readonly [number | null, number | null][]): ColumnarBatch {
  return makeBatch(
    valueSchema,
    [
      vectorFromValues(
        types.int64,
        rows.map((r) => r[0]),
      ),
      vectorFromValues(
        types.float64,
        rows.map((r) => r[1]),
      ),
    ],
    rows.length,
  );
}

/** Rows of a batch as JS arrays. */
export function rowsOf(b: ColumnarBatch): JsValue[][] {
  return Array.from({ length: b.numRows }, (_, r) => b.columns.map((c) => valueAt(c, r)));
}

/** Every key -> value of a store, as sorted strings `user|bucket=count|total`. */
export function contents(store: StateStore): string[] {
  const out: string[] = [];
  for (const chunk of store.iterate(3)) {
    const k = rowsOf(chunk.keys);
    const v = rowsOf(chunk.values);
    k.forEach((row, i) => {
      out.push(`${row.join('|')}=${(v[i] as JsValue[]).join('|')}`);
    });
  }
  return out.sort();
}
