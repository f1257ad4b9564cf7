import { invalidArgument } from '../common/errors.js';
import type { Expr } from './expr/expr.js';
import { exprOutputName } from './expr/expr-to-string.js';
import type { ColumnLike } from './expr/functions.js';
import { exprOf } from './expr/functions.js';

const text = (e: Expr): string => JSON.stringify(e, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));

/**
 * The grouping keys and, per set, the indices of its keys for `groupingSets(sets, ...cols)`:
 * the keys are `cols` when given (every set column must be one of them), else the distinct
 * columns of the sets in order of first appearance.
 */
export function groupingSetIndices(sets: readonly (readonly ColumnLike[])[], cols: readonly ColumnLike[]): { keys: Expr[]; indices: number[][] } {
  if (sets.length === 0) throw invalidArgument('groupingSets() needs at least one grouping set, e.g. groupingSets([["a", "b"], ["a"], []]).');
  const keys = cols.map(exprOf);
  const given = keys.length > 0;
  const indices = sets.map((set) =>
    set.map((c) => {
      const e = exprOf(c);
      let i = keys.findIndex((k) => text(k) === text(e));
      if (i < 0 && given)
        throw invalidArgument(
          `groupingSets(): ${exprOutputName(e)} is in a grouping set but not among the grouping columns (${keys.map(exprOutputName).join(', ')}).`,
        );
      if (i < 0) i = keys.push(e) - 1;
      return i;
    }),
  );
  return { keys, indices };
}
