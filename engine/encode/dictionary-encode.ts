import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { makeBatch } from '../../common/columnar-batch.js';
import { GroupTable } from '../hash/group-table.js';

/** Encode a utf8 column when it has at most this fraction of distinct values. */
const MAX_DISTINCT_FRACTION = 0.25;

/**
 * Dictionary-encodes a plain utf8 vector when that pays: when it has few distinct values
 * relative to its length. The dictionary holds each distinct string once in first-seen
 * order; `values` become Int32 indices. Group-bys and string predicates on an encoded
 * column work per distinct value instead of per row. Other vectors pass through.
 */
export function dictionaryEncodeIfWorthwhile(v: ColumnVector): ColumnVector {
  if (v.type.kind !== 'utf8' || v.dictionary || v.length < 1024) return v;
  const table = new GroupTable([v.type]);
  const ids = table.insert([v], v.length);
  if (table.size > v.length * MAX_DISTINCT_FRACTION) return v;
  const dictionary = table.keyVectors()[0] as ColumnVector;
  return { type: v.type, length: v.length, validity: v.validity, values: ids, dictionary };
}

/** {@link dictionaryEncodeIfWorthwhile} applied to every column of a batch. */
export function dictionaryEncodeBatch(b: ColumnarBatch): ColumnarBatch {
  return makeBatch(b.schema, b.columns.map(dictionaryEncodeIfWorthwhile), b.numRows);
}
