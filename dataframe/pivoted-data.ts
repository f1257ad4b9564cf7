import { invalidArgument } from '../common/errors.js';
import type { JsValue } from '../common/vector-from-values.js';
import { Column } from './expr/column.js';
import { columnExpr } from './expr/column.js';
import type { Expr } from './expr/expr.js';
import { exprOutputName } from './expr/expr-to-string.js';
import { avg, col, count, first, lit, max, min, sum, when } from './expr/functions.js';
import type { LiteralInput } from './expr/literal-of.js';
import type { DataFrame } from './data-frame.js';

/** Spark's `spark.sql.pivotMaxValues`: the most distinct values a pivot without values may find. */
export const PIVOT_MAX_VALUES = 10000;

const PIVOT_COLUMN = '__pivot_value';

/** A pivot value as Spark names its column: `null`, numbers and strings as written, dates as yyyy-MM-dd. */
function valueName(v: JsValue): string {
  if (v === null) return 'null';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}

/**
 * Result of `groupBy(...).pivot(column, values)` (Spark's RelationalGroupedDataset after
 * pivot): each aggregation yields one row per group of the grouping columns and one column
 * per pivot value (named after the value; `value_aggregate` when there are several
 * aggregates), holding the aggregate over the group's rows with that pivot value (null when
 * there are none). Runs as two aggregations: by the grouping columns and the pivot column,
 * then by the grouping columns, taking each value's result.
 */
export class PivotedData {
  constructor(
    private readonly source: DataFrame,
    private readonly keys: readonly Expr[],
    private readonly pivot: Expr,
    private readonly values: readonly LiteralInput[],
  ) {
    if (values.length > PIVOT_MAX_VALUES)
      throw invalidArgument(`pivot() got ${values.length} values; at most ${PIVOT_MAX_VALUES} are allowed (Spark's spark.sql.pivotMaxValues).`);
  }

  /** Computes the aggregates per group and pivot value. */
  agg(...aggs: (Column | Column[])[]): DataFrame {
    const exprs = aggs.flat().map((c) => columnExpr(c, 'pivot().agg()'));
    if (exprs.length === 0) throw invalidArgument('pivot().agg() needs at least one aggregate.');
    const names = exprs.map((e) => (e.kind === 'alias' ? e.name : exprOutputName(e)));
    const inner = exprs.map((e, i) => new Column(e).alias(`__pivot_agg_${i}`));
    const byValue = this.source.groupBy([...this.keys.map((k) => new Column(k)), new Column(this.pivot).alias(PIVOT_COLUMN)]).agg(inner);
    const keyNames = byValue.columns.slice(0, this.keys.length);
    const outer: Column[] = [];
    for (const v of this.values) {
      const match = col(PIVOT_COLUMN).eqNullSafe(lit(v));
      exprs.forEach((_, i) => {
        const name = exprs.length === 1 ? valueName(v) : `${valueName(v)}_${names[i]}`;
        outer.push(first(when(match, col(`__pivot_agg_${i}`)), true).alias(name));
      });
    }
    return byValue.groupBy(...keyNames).agg(outer);
  }

  /** Rows per group and pivot value. */
  count(): DataFrame {
    return this.agg(count().alias('count'));
  }
  /** Sum of each named column per pivot value. */
  sum(...names: string[]): DataFrame {
    return this.agg(names.map((n) => sum(n)));
  }
  /** Average of each named column per pivot value. */
  avg(...names: string[]): DataFrame {
    return this.agg(names.map((n) => avg(n)));
  }
  /** Alias of {@link avg}. */
  mean(...names: string[]): DataFrame {
    return this.avg(...names);
  }
  /** Minimum of each named column per pivot value. */
  min(...names: string[]): DataFrame {
    return this.agg(names.map((n) => min(n)));
  }
  /** Maximum of each named column per pivot value. */
  max(...names: string[]): DataFrame {
    return this.agg(names.map((n) => max(n)));
  }
}
