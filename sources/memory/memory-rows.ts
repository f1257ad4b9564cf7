import type { ColumnarBatch } from '../../common/column-vector.js';
import { makeBatch } from '../../common/columnar-batch.js';
import { typeEquals, typeName } from '../../common/data-type.js';
import { SluiceError } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';
import type { JsValue } from '../../common/vector-from-values.js';
import { vectorFromValues } from '../../common/vector-from-values.js';

/** Rows given to `MemoryStream.addData`: objects keyed by column name, arrays in schema order, or a batch. */
export type MemoryRows = readonly Readonly<Record<string, JsValue>>[] | readonly (readonly JsValue[])[] | ColumnarBatch;

/**
 * Converts rows for a memory stream to one batch of `schema`. Object rows may leave out
 * nullable columns (they become null); array rows list values in schema order. A batch
 * must have the same column names and types (TYPE_MISMATCH naming the column otherwise).
 */
export function memoryRowsToBatch(schema: Schema, rows: MemoryRows): ColumnarBatch {
  if (!Array.isArray(rows)) {
    const batch = rows as ColumnarBatch;
    schema.fields.forEach((f, i) => {
      const g = batch.schema.fields[i];
      if (!g || g.name !== f.name || !typeEquals(g.type, f.type) || batch.schema.fields.length !== schema.fields.length)
        throw new SluiceError(
          'TYPE_MISMATCH',
          `MemoryStream.addData got a batch with columns (${batch.schema.fields.map((x) => `${x.name} ${typeName(x.type)}`).join(', ')}) but the stream's schema is (${schema.fields.map((x) => `${x.name} ${typeName(x.type)}`).join(', ')}). Pass rows or a batch of the stream's schema.`,
        );
    });
    return makeBatch(schema, batch.columns, batch.numRows);
  }
  const list = rows as readonly unknown[];
  const columns = schema.fields.map((f, j) => {
    const values = list.map((r) => (Array.isArray(r) ? (r as readonly JsValue[])[j] : (r as Readonly<Record<string, JsValue>>)[f.name]) ?? null);
    return vectorFromValues(f.type, values, `column '${f.name}'`);
  });
  return makeBatch(schema, columns, list.length);
}
