import { invalidArgument } from '../common/errors.js';
import type { JsValue } from '../common/vector-from-values.js';
import type { Expr } from './expr/expr.js';
import type { ColumnLike } from './expr/functions.js';
import { exprOf } from './expr/functions.js';
import { Column } from './expr/column.js';
import type { LiteralInput } from './expr/literal-of.js';
import type { DataFrame } from './data-frame.js';
import { PIVOT_MAX_VALUES, PivotedData } from './pivoted-data.js';

function literalInput(v: JsValue): LiteralInput {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string' || v instanceof Date) return v;
  throw invalidArgument(`pivot() cannot pivot on a value like ${String(v)}: pivot on a column of numbers, strings, booleans, dates or timestamps.`);
}

/**
 * `groupBy(keys).pivot(column, values?)`: the {@link PivotedData} over `values`, or (without
 * values) a promise of it over the column's distinct values sorted ascending, found by a job
 * (at most {@link PIVOT_MAX_VALUES}, as Spark's `spark.sql.pivotMaxValues`).
 */
export function pivotGroupedData(
  source: DataFrame,
  keys: readonly Expr[],
  grouping: string,
  pivotColumn: ColumnLike,
  values: readonly LiteralInput[] | undefined,
): PivotedData | Promise<PivotedData> {
  if (grouping !== 'groupBy') throw invalidArgument(`pivot() follows groupBy(...), not ${grouping}(...), as in Spark.`);
  const pivot = exprOf(pivotColumn);
  if (values !== undefined) return new PivotedData(source, keys, pivot, values);
  if (source.isStreaming)
    throw invalidArgument('pivot() without values runs a job to find them, which a streaming DataFrame cannot; pass the values: pivot(column, [v1, v2, ...]).');
  const found = source
    .select(new Column(pivot).alias('v'))
    .distinct()
    .limit(PIVOT_MAX_VALUES + 1)
    .orderBy('v');
  return found.toArray().then((rows) => {
    if (rows.length > PIVOT_MAX_VALUES)
      throw invalidArgument(
        `pivot() found more than ${PIVOT_MAX_VALUES} distinct values in its column (Spark's spark.sql.pivotMaxValues). Pass the values you want: pivot(column, [v1, v2, ...]).`,
      );
    return new PivotedData(
      source,
      keys,
      pivot,
      rows.map((r) => literalInput(r.v ?? null)),
    );
  });
}
