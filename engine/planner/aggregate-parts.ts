import { collectAggCalls } from '../../dataframe/expr/analyze-expr.js';
import type { AggCall, Expr } from '../../dataframe/expr/expr.js';
import type { Aggregate } from '../../dataframe/plan/logical-plan.js';
import { rewriteExpr } from '../../dataframe/plan/optimizer/expr-rewrite.js';

/** An Aggregate node taken apart for physical planning. */
export interface AggregateParts {
  /** Grouping expressions over the aggregate's input. */
  readonly groupBy: readonly Expr[];
  /** Output names of the grouping columns. */
  readonly groupNames: readonly string[];
  /** The distinct aggregate calls, computed by the hash aggregate. */
  readonly aggCalls: readonly AggCall[];
  /** Internal column names of the aggregate call results (`_agg0`, `_agg1`, ...). */
  readonly aggNames: readonly string[];
  /** The final projection over [group columns, aggregate results] giving the Aggregate's output. */
  readonly resultExprs: readonly Expr[];
}

function key(e: Expr): string {
  return JSON.stringify(e, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

/**
 * Splits an Aggregate into a hash aggregation of distinct aggregate calls plus a projection
 * that combines them (`sum(a) / count(b)` computes sum and count once, then divides).
 */
export function aggregateParts(agg: Aggregate): AggregateParts {
  const groupNames = agg.schema.fields.slice(0, agg.groupBy.length).map((f) => f.name);
  const calls: AggCall[] = [];
  const index = new Map<string, number>();
  for (const e of agg.aggregates) {
    for (const c of collectAggCalls(e)) {
      const k = key(c);
      if (!index.has(k)) {
        index.set(k, calls.length);
        calls.push(c);
      }
    }
  }
  const aggNames = calls.map((_, i) => `_agg${i}`);
  const groupRefs: Expr[] = groupNames.map((name) => Object.freeze({ kind: 'col', name, qualifier: null }));
  const resultExprs: Expr[] = [
    ...groupRefs,
    ...agg.aggregates.map((e) =>
      rewriteExpr(e, (x) => {
        if (x.kind !== 'agg') return x;
        const i = index.get(key(x));
        return i === undefined ? x : Object.freeze({ kind: 'col', name: aggNames[i] as string, qualifier: null });
      }),
    ),
  ];
  return { groupBy: agg.groupBy, groupNames, aggCalls: calls, aggNames, resultExprs };
}
