import type { Column } from './expr/column.js';
import { columnExpr } from './expr/column.js';
import type { Expr } from './expr/expr.js';
import { avg, count, max, min, sum } from './expr/functions.js';
import type { DataFrame } from './data-frame.js';
import type { StatefulProcessor, TransformWithStateOptions } from './transform-with-state.js';
import { transformWithState } from './transform-with-state.js';
import type { ColumnLike } from './expr/functions.js';
import type { LiteralInput } from './expr/literal-of.js';
import type { PivotedData } from './pivoted-data.js';
import { pivotGroupedData } from './pivot.js';

/** Result of `groupBy(...)`: call an aggregation to get a DataFrame (Spark's RelationalGroupedDataset). */
export class GroupedData {
  private readonly source: DataFrame;
  private readonly keys: readonly Expr[];
  private readonly build: (keys: readonly Expr[], aggs: readonly Expr[]) => DataFrame;

  private readonly grouping: 'groupBy' | 'cube' | 'rollup' | 'groupingSets';

  constructor(
    source: DataFrame,
    keys: readonly Expr[],
    build: (keys: readonly Expr[], aggs: readonly Expr[]) => DataFrame,
    grouping: 'groupBy' | 'cube' | 'rollup' | 'groupingSets' = 'groupBy',
  ) {
    this.source = source;
    this.keys = keys;
    this.build = build;
    this.grouping = grouping;
  }

  /**
   * Pivots `pivotColumn` (Spark's `pivot`): aggregations then produce one column per pivot
   * value. With `values`, those values in that order (synchronous). Without, the distinct
   * values of the column, sorted ascending (nulls first), found by running a job now, as
   * Spark does: hence the Promise. Only after `groupBy(...)`.
   */
  pivot(pivotColumn: ColumnLike): Promise<PivotedData>;
  pivot(pivotColumn: ColumnLike, values: readonly LiteralInput[]): PivotedData;
  pivot(pivotColumn: ColumnLike, values?: readonly LiteralInput[]): PivotedData | Promise<PivotedData> {
    return pivotGroupedData(this.source, this.keys, this.grouping, pivotColumn, values);
  }

  /** Computes aggregate expressions per group: grouping columns first, then one column per aggregate. */
  agg(...aggs: (Column | Column[])[]): DataFrame {
    return this.build(
      this.keys,
      aggs.flat().map((c) => columnExpr(c, 'agg()')),
    );
  }

  /** Rows per group, in a column named `count`. */
  count(): DataFrame {
    return this.agg(count().alias('count'));
  }

  private each(fn: (c: string) => Column, names: string[]): DataFrame {
    const cols =
      names.length > 0
        ? names
        : this.source.schema.fields.filter((f) => f.type.kind === 'int32' || f.type.kind === 'int64' || f.type.kind === 'float64').map((f) => f.name);
    return this.agg(...cols.map(fn));
  }

  /** Sum of each named column (all numeric columns when none given). */
  sum(...names: string[]): DataFrame {
    return this.each(sum, names);
  }
  /** Average of each named column. */
  avg(...names: string[]): DataFrame {
    return this.each(avg, names);
  }
  /** Alias of {@link avg}. */
  mean(...names: string[]): DataFrame {
    return this.each(avg, names);
  }
  /** Minimum of each named column. */
  min(...names: string[]): DataFrame {
    return this.each(min, names);
  }
  /** Maximum of each named column. */
  max(...names: string[]): DataFrame {
    return this.each(max, names);
  }

  /**
   * Runs a stateful processor per group (Spark's transformWithState): see
   * `dataframe/transform-with-state.ts` and docs/STREAMING.md, "Arbitrary stateful processing".
   * Group by plain columns.
   */
  // biome-ignore lint/suspicious/noExplicitAny: processors declare their own key, input and output row types
  transformWithState(processor: StatefulProcessor<any, any, any>, options: TransformWithStateOptions): DataFrame {
    return transformWithState(this.source, this.keys, processor, options);
  }
}
