import type { DataType } from '../../common/data-type.js';
import type { Expr } from '../../dataframe/expr/expr.js';
import type { BoundAggregate } from './bind-aggregate.js';
import type { FusedFn, FusedSpec } from './fused-double-aggregates.js';

/** Which aggregates of a call list run in one {@link FusedDoubleAggregates}, and over which inputs. */
export interface FusedPlan {
  /** Indexes (into the call list) of the fused aggregates, ascending. */
  readonly members: readonly number[];
  /** One spec per member, in `members` order. */
  readonly specs: readonly FusedSpec[];
  /** The distinct input expressions the specs' `input` indexes refer to. */
  readonly inputs: readonly Expr[];
}

function exprKey(e: Expr): string {
  return JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

function fusedFn(b: BoundAggregate, valueType: DataType): FusedFn | null {
  const fn = b.call.fn;
  if (fn === 'count') {
    if (b.valueArgs.length === 0) return 'count';
    return b.valueArgs.length === 1 && valueType.kind === 'float64' ? 'count' : null;
  }
  if (fn !== 'sum' && fn !== 'avg' && fn !== 'min' && fn !== 'max') return null;
  return valueType.kind === 'float64' && b.valueArgs.length === 1 ? fn : null;
}

/**
 * Picks the aggregates that can share one fused update loop: count(*), and count/sum/avg/
 * min/max over a float64 expression (`valueTypes[k]` is call k's first-argument type).
 * Arguments are deduplicated structurally, so sum(x), avg(x) and max(x) read `x` once.
 * Returns null when fewer than two aggregates qualify (nothing to share).
 */
export function planFusedAggregates(bound: readonly BoundAggregate[], valueTypes: readonly DataType[]): FusedPlan | null {
  const members: number[] = [];
  const specs: FusedSpec[] = [];
  const inputs: Expr[] = [];
  const keys = new Map<string, number>();
  bound.forEach((b, k) => {
    const fn = fusedFn(b, valueTypes[k] as DataType);
    if (fn === null) return;
    let input = -1;
    const arg = b.valueArgs[0];
    if (arg !== undefined) {
      const key = exprKey(arg);
      input = keys.get(key) ?? -1;
      if (input < 0) {
        input = inputs.length;
        keys.set(key, input);
        inputs.push(arg);
      }
    }
    members.push(k);
    specs.push({ fn, input });
  });
  return members.length >= 2 ? { members, specs, inputs } : null;
}
