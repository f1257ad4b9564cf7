import type { ColumnarBatch } from '../../common/column-vector.js';
import { fieldNames } from '../../common/schema.js';
import { valueAt } from '../../common/vector-value-at.js';

/** The rows of a result batch as objects keyed by column name (for the result check only, untimed). */
export function batchRows(batch: ColumnarBatch): Record<string, unknown>[] {
  const names = fieldNames(batch.schema);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < batch.numRows; i++) {
    const r: Record<string, unknown> = {};
    names.forEach((n, j) => {
      const v = batch.columns[j];
      if (v !== undefined) r[n] = valueAt(v, i);
    });
    rows.push(r);
  }
  return rows;
}

/**
 * The table an update-mode sink holds after applying `batches` in order: each row replaces
 * the earlier row with the same values in the `keys` columns.
 */
export function upsertRows(batches: readonly ColumnarBatch[], keys: readonly string[]): Record<string, unknown>[] {
  const table = new Map<string, Record<string, unknown>>();
  for (const b of batches) for (const r of batchRows(b)) table.set(JSON.stringify(keys.map((k) => String(r[k]))), r);
  return [...table.values()];
}
