import { Table } from 'apache-arrow';
import { batchesFromArrowTable, schemaFromArrow } from '../../common/arrow-convert.js';
import type { ColumnarBatch } from '../../common/column-vector.js';
import { concatBatches, makeBatch } from '../../common/columnar-batch.js';
import { invalidArgument } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';
import { field, schemaOf } from '../../common/schema.js';
import type { JsValue } from '../../common/vector-from-values.js';
import { inferTypeOfValues, vectorFromValues } from '../../common/vector-from-values.js';

/** Rows given to `createDataFrame`: objects keyed by column name, or arrays in schema order. */
export type InputRows = readonly Readonly<Record<string, JsValue>>[] | readonly (readonly JsValue[])[];

/** Builds one columnar batch from JS rows or an Arrow Table, with a given or inferred schema. */
export function createLocalBatch(data: InputRows | Table, schema?: Schema): { schema: Schema; batch: ColumnarBatch } {
  if (data instanceof Table) {
    const s = schema ?? schemaFromArrow(data.schema);
    return {
      schema: s,
      batch: concatBatches(
        s,
        batchesFromArrowTable(data).map((b) => makeBatch(s, b.columns, b.numRows)),
      ),
    };
  }
  const rows = data as readonly unknown[];
  const first = rows[0];
  const arrayRows = Array.isArray(first);
  let names: string[];
  if (schema) names = schema.fields.map((f) => f.name);
  else if (rows.length === 0) throw invalidArgument('createDataFrame([]) needs a schema to know the columns.');
  else if (arrayRows) throw invalidArgument('createDataFrame() with array rows needs a schema naming the columns.');
  else {
    const seen = new Set<string>();
    for (const r of rows as Record<string, JsValue>[]) for (const k of Object.keys(r)) seen.add(k);
    names = [...seen];
  }
  const columnValues = names.map((name, j) => rows.map((r) => (arrayRows ? (r as JsValue[])[j] : (r as Record<string, JsValue>)[name]) ?? null));
  const s = schema ?? schemaOf(names.map((n, j) => field(n, inferTypeOfValues(columnValues[j] as JsValue[], `column '${n}'`))));
  const columns = s.fields.map((f, j) => vectorFromValues(f.type, columnValues[j] as JsValue[], `column '${f.name}'`));
  return { schema: s, batch: makeBatch(s, columns, rows.length) };
}
