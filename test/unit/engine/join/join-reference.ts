/**
 * A row-at-a-time reference join for tests: nested loops over JS rows with SQL semantics
 * (null keys never match; a preserved row whose matches all fail the condition is
 * null-extended). Output rows are left values then right values; semi/anti left only.
 */
import type { JsValue } from '../../../../common/vector-from-values.js';
import type { JoinType } from '../../../../dataframe/plan/logical-plan.js';

/** A row of JS values. */
export type Row = readonly JsValue[];

/** Reference result of joining `left` and `right` on key column positions, plus an optional JS condition; `widths` are the column counts (default: from the first rows, else 2). */
export function referenceJoin(
  joinType: JoinType,
  left: readonly Row[],
  right: readonly Row[],
  leftKeys: readonly number[],
  rightKeys: readonly number[],
  condition: ((l: Row, r: Row) => boolean) | null,
  widths: readonly [number, number] = [left[0]?.length ?? 2, right[0]?.length ?? 2],
): JsValue[][] {
  const [lw, rw] = widths;
  const matches = (l: Row, r: Row): boolean =>
    leftKeys.every((lk, i) => {
      const a = l[lk];
      const b = r[rightKeys[i] as number];
      return a !== null && a !== undefined && b !== null && b !== undefined && a === b;
    }) &&
    (condition === null || condition(l, r));
  const out: JsValue[][] = [];
  const rightHit = new Array<boolean>(right.length).fill(false);
  for (const l of left) {
    let hit = false;
    right.forEach((r, j) => {
      if (!matches(l, r)) return;
      hit = true;
      rightHit[j] = true;
      if (joinType !== 'semi' && joinType !== 'anti') out.push([...l, ...r]);
    });
    if (joinType === 'semi' && hit) out.push([...l]);
    if (joinType === 'anti' && !hit) out.push([...l]);
    if ((joinType === 'left' || joinType === 'full') && !hit) out.push([...l, ...new Array<JsValue>(rw).fill(null)]);
  }
  if (joinType === 'right' || joinType === 'full') {
    right.forEach((r, j) => {
      if (!rightHit[j]) out.push([...new Array<JsValue>(lw).fill(null), ...r]);
    });
  }
  return out;
}
