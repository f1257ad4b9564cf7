import { Column } from './column.js';
import type { ColumnLike } from './functions.js';
import { exprOf } from './functions.js';
import { literalOf } from './literal-of.js';

/** JSON functions (Spark's, camelCase); see also `fromJson`. */

/** Spark's `to_json`: a struct or array column as a JSON string (null fields left out). */
export function toJson(col: ColumnLike): Column {
  return new Column(Object.freeze({ kind: 'call', fn: 'toJson', args: Object.freeze([exprOf(col)]) }));
}

/** Spark's `get_json_object`: the value at a JSONPath such as '$.user.id' or '$.items[0].sku' as a string; null when absent or the JSON is invalid. */
export function getJsonObject(col: ColumnLike, path: string): Column {
  return new Column(Object.freeze({ kind: 'call', fn: 'getJsonObject', args: Object.freeze([exprOf(col), literalOf(path)]) }));
}
